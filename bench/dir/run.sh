#!/usr/bin/env bash
# bench/dir/run.sh TREE [TREE...]
# Scans checked-out source trees with `secretlint scan` and `gitleaks dir`,
# alternating, warm cache, RUNS times each (default 5), and prints medians of
# wall time and peak RSS, the ratios, and the floor of reading the files.
# Make trees with ../shared/bench/prepare-repo.sh (never commit them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
RUNS=${RUNS:-5}
[ $# -gt 0 ] || { echo "usage: $0 TREE [TREE...]" >&2; exit 2; }
build_secretlint
ensure_gitleaks
out=$(mktemp -d)
printf '%-28s %10s %10s %10s %10s %8s %8s %10s %10s\n' tree MB sl_s gl_s floor_s wall_x rss_x sl_MB/s sl_MiB
for tree in "$@"; do
  name=$(basename "$(dirname "$tree")")/$(basename "$tree")
  mb=$(du -sbm "$tree" | cut -f1)
  find "$tree" -type f -print0 | xargs -0 cat >/dev/null # warm the cache
  sl_t=(); sl_m=(); gl_t=(); gl_m=(); fl_t=()
  for _ in $(seq "$RUNS"); do
    read -r t m < <(measure "$BENCH_BIN/secretlint" scan --no-policy --quiet --format json --output "$out/sl.json" "$tree")
    sl_t+=("$t"); sl_m+=("$m")
    read -r t m < <(measure "$BENCH_BIN/gitleaks" dir "$tree" --no-banner --exit-code 0 --report-format json --report-path "$out/gl.json")
    gl_t+=("$t"); gl_m+=("$m")
    read -r t m < <(measure sh -c "find '$tree' -type f -print0 | xargs -0 cat > /dev/null")
    fl_t+=("$t")
  done
  st=$(printf '%s\n' "${sl_t[@]}" | median); sm=$(printf '%s\n' "${sl_m[@]}" | median)
  gt=$(printf '%s\n' "${gl_t[@]}" | median); gm=$(printf '%s\n' "${gl_m[@]}" | median)
  ft=$(printf '%s\n' "${fl_t[@]}" | median)
  bytes=$(du -sb "$tree" | cut -f1)
  printf '%-28s %10s %10s %10s %10s %8s %8s %10s %10s\n' "$name" "$mb" "$st" "$gt" "$ft" \
    "$(ratio "$gt" "$st")" "$(ratio "$gm" "$sm")" "$(awk -v b="$bytes" -v t="$st" 'BEGIN{printf "%.0f", b/1048576/(t>0?t:0.01)}')" "$((sm / 1024))"
done
echo "wall_x = gitleaks wall / secretlint wall (target >= 5); rss_x = gitleaks peak RSS / secretlint peak RSS (target >= 1)"
echo "findings: secretlint $(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))["findings"]))' "$out/sl.json"), gitleaks $(python3 -c 'import json,sys;print(len(json.load(open(sys.argv[1]))))' "$out/gl.json") (last tree)"
rm -rf "$out"
