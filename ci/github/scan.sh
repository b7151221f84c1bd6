#!/usr/bin/env bash
# The GitHub Action's scan step: runs secretlint with a SARIF report and
# writes the step outputs (findings, report, exit-code) to $GITHUB_OUTPUT.
# It always exits 0 so the SARIF upload runs; the action's last step fails
# the job with secretlint's exit status.
#
# Environment: SECRETLINT_COMMAND (default git), SECRETLINT_ARGS (split on
# whitespace, default .), SECRETLINT_FAIL_ON (default info),
# SECRETLINT_BASELINE (optional), RUNNER_TEMP (where the report goes),
# GITHUB_OUTPUT (the outputs file).
set -uo pipefail
command=${SECRETLINT_COMMAND:-git}
case "$command" in
  git | scan | image | logs | policy) ;;
  *) echo "secretlint action: command must be git, scan, image, logs or policy, not '$command'" >&2; exit 2 ;;
esac
report="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/secretlint.sarif"
rm -f "$report"
# Word splitting of the arguments is intended; globbing is not.
set -f
# shellcheck disable=SC2206
args=(${SECRETLINT_ARGS:-.})
set +f
flags=(--format sarif --output "$report" --fail-on "${SECRETLINT_FAIL_ON:-info}")
if [ -n "${SECRETLINT_BASELINE:-}" ]; then
  flags+=(--baseline "$SECRETLINT_BASELINE")
fi
code=0
secretlint "$command" "${flags[@]}" "${args[@]}" || code=$?
findings=0
if [ -s "$report" ]; then
  findings=$(jq '[.runs[].results[]] | length' "$report")
else
  report=""
fi
out=${GITHUB_OUTPUT:-/dev/stdout}
{
  echo "findings=$findings"
  echo "report=$report"
  echo "exit-code=$code"
} >>"$out"
echo "secretlint $command: $findings finding(s), exit $code"
exit 0
