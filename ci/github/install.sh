#!/usr/bin/env bash
# Installs secretlint for the GitHub Action into $GOPATH/bin (on PATH after
# setup-go). SECRETLINT_VERSION: a module version, latest, or local (build
# the checkout at ACTION_PATH, as a workflow that uses ./ from this
# repository does).
set -euo pipefail
version=${SECRETLINT_VERSION:-latest}
if [ "$version" = local ]; then
  (cd "${ACTION_PATH:?}" && go install ./cmd/secretlint)
else
  go install "github.com/secretlint/secretlint/cmd/secretlint@$version"
fi
secretlint version
