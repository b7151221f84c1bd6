#!/usr/bin/env bash
# Prints the `secretlint git` flags that select the commits this CI run
# brings, from the variables the CI system sets:
#
#   secretlint git $(bash ci/range/range.sh) .
#
# GitHub Actions  push: --range BEFORE..AFTER from the event (BEFORE is all
#                 zeros on a new branch: secretlint then scans what AFTER has
#                 that no other ref has); pull_request: --range BASE...HEAD.
# GitLab CI       merge request: --range CI_MERGE_REQUEST_DIFF_BASE_SHA..CI_COMMIT_SHA;
#                 push: --range CI_COMMIT_BEFORE_SHA..CI_COMMIT_SHA.
# Jenkins         --range GIT_PREVIOUS_SUCCESSFUL_COMMIT..GIT_COMMIT, or the
#                 whole history of GIT_COMMIT on a job's first build.
# Anywhere else it prints nothing: the whole history. The clone must hold
# the history (actions/checkout fetch-depth: 0, GIT_DEPTH: 0).
set -euo pipefail

zero=0000000000000000000000000000000000000000

if [ -n "${GITHUB_ACTIONS:-}" ]; then
  event="${GITHUB_EVENT_PATH:?GITHUB_EVENT_PATH is not set}"
  case "${GITHUB_EVENT_NAME:-}" in
  pull_request | pull_request_target)
    base=$(jq -r '.pull_request.base.sha // empty' "$event")
    head=$(jq -r '.pull_request.head.sha // empty' "$event")
    if [ -n "$base" ] && [ -n "$head" ]; then
      echo "--range ${base}...${head}"
    fi
    ;;
  push)
    before=$(jq -r '.before // empty' "$event")
    after=$(jq -r '.after // empty' "$event")
    if [ "$after" = "$zero" ]; then
      # A deleted branch brings no commits; scan the commit checked out.
      echo "--range ${GITHUB_SHA:-HEAD}^!"
    elif [ -n "$before" ] && [ -n "$after" ]; then
      echo "--range ${before}..${after}"
    fi
    ;;
  esac
elif [ -n "${GITLAB_CI:-}" ]; then
  if [ -n "${CI_MERGE_REQUEST_DIFF_BASE_SHA:-}" ]; then
    echo "--range ${CI_MERGE_REQUEST_DIFF_BASE_SHA}..${CI_COMMIT_SHA:?}"
  elif [ -n "${CI_COMMIT_BEFORE_SHA:-}" ] && [ -n "${CI_COMMIT_SHA:-}" ]; then
    echo "--range ${CI_COMMIT_BEFORE_SHA}..${CI_COMMIT_SHA}"
  fi
elif [ -n "${JENKINS_URL:-}" ] && [ -n "${GIT_COMMIT:-}" ]; then
  if [ -n "${GIT_PREVIOUS_SUCCESSFUL_COMMIT:-}" ]; then
    echo "--range ${GIT_PREVIOUS_SUCCESSFUL_COMMIT}..${GIT_COMMIT}"
  else
    echo "--branch ${GIT_COMMIT}"
  fi
fi
