# Shared helpers for the benchmark scripts: build the binaries, time a
# command (wall seconds and peak RSS of the whole process tree), and take
# medians. Source it; do not run it.

BENCH_BIN=${BENCH_BIN:-/tmp/bench/bin}
mkdir -p "$BENCH_BIN"

# build_secretlint builds the CLI from this checkout into $BENCH_BIN.
build_secretlint() {
  (cd "$(dirname "${BASH_SOURCE[0]}")/.." && go build -o "$BENCH_BIN/secretlint" ./cmd/secretlint)
}

# ensure_gitleaks installs the peer at the version the issues name.
ensure_gitleaks() {
  [ -x "$BENCH_BIN/gitleaks" ] || GOBIN="$BENCH_BIN" go install github.com/zricethezav/gitleaks/v8@v8.30.1
}

# measure CMD...: prints "WALL_SECONDS MAX_RSS_KB" for one run. GNU time's
# maximum resident set size covers the largest process of the tree.
measure() {
  local out
  out=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$out" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$out"
  rm -f "$out"
}

# median: reads numbers on stdin, prints the median.
median() {
  sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'
}

# ratio A B: prints A/B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
