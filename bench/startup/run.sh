#!/usr/bin/env bash
# Startup cost of the CLI: `secretlint version` and `secretlint scan` of an
# empty directory, N runs each (default 15), median wall seconds and median
# peak RSS. Pass binaries to compare (e.g. one built from main before a
# change and one after); with none it builds this checkout.
#   bench/startup/run.sh [-n N] [BINARY ...]
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
n=15
if [ "${1:-}" = -n ]; then n=$2; shift 2; fi
bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then build_secretlint; bins=("$BENCH_BIN/secretlint"); fi
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
printf '| binary | command | runs | median wall s | median peak RSS KB |\n| --- | --- | --- | --- | --- |\n'
for bin in "${bins[@]}"; do
  for cmd in "version" "scan --quiet --no-baseline $empty"; do
    walls=() rss=()
    for _ in $(seq "$n"); do
      read -r w r < <(measure "$bin" $cmd)
      walls+=("$w") rss+=("$r")
    done
    label=$cmd; [ "${cmd#scan}" != "$cmd" ] && label="scan EMPTYDIR"
    printf '| %s | %s | %d | %s | %s |\n' "$bin" "$label" "$n" \
      "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | median)"
  done
done
