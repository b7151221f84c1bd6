#!/usr/bin/env bash
# bench/logs/run.sh
# Log scanning benchmarks, in one run on this machine:
#  1. throughput on a realistic log file (default 1 GiB, made by genlog):
#     `secretlint logs FILE`, `secretlint logs - < FILE`, `gitleaks dir FILE`,
#     `gitleaks stdin < FILE`, and the floor `cat FILE > /dev/null`;
#  2. a log generated on the fly (default 10 GiB) piped to
#     `secretlint logs -`: wall time and peak memory of secretlint.
# Generated files stay in $WORK (default /tmp/bench/logs); never commit them.
# FILE_SIZE=1G STREAM_SIZE=10G RUNS=1 SKIP_GITLEAKS=0 override the defaults.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib.sh"
RUNS=${RUNS:-1}
FILE_SIZE=${FILE_SIZE:-1G}
STREAM_SIZE=${STREAM_SIZE:-10G}
WORK=${WORK:-/tmp/bench/logs}
mkdir -p "$WORK"
build_secretlint
ensure_gitleaks
(cd "$here/../.." && go build -o "$BENCH_BIN/genlog" ./bench/logs/genlog)
sl=$BENCH_BIN/secretlint
gl=$BENCH_BIN/gitleaks
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

file=$WORK/realistic-$FILE_SIZE.log
[ -s "$file" ] || "$BENCH_BIN/genlog" -size "$FILE_SIZE" >"$file"
bytes=$(stat -c %s "$file")
mib=$(awk -v b="$bytes" 'BEGIN{printf "%.0f", b/1048576}')
cat "$file" >/dev/null # warm the cache
echo "== throughput: $file ($mib MiB), medians of $RUNS run(s), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A T M
run() { # name cmd...
  local name=$1 t m ts=() ms=()
  shift
  for _ in $(seq "$RUNS"); do
    read -r t m < <(measure "$@")
    ts+=("$t"); ms+=("$m")
  done
  T[$name]=$(printf '%s\n' "${ts[@]}" | median)
  M[$name]=$(printf '%s\n' "${ms[@]}" | median)
}
run cat sh -c "cat '$file' > /dev/null"
run sl_file "$sl" logs --quiet --format json --output "$out/sl-file.json" "$file"
run sl_stdin sh -c "'$sl' logs --quiet --format json --output '$out/sl-stdin.json' - < '$file'"
if [ "${SKIP_GITLEAKS:-0}" != 1 ]; then
  run gl_dir "$gl" dir "$file" --no-banner --exit-code 0 --report-format json --report-path "$out/gl-dir.json"
  run gl_stdin sh -c "'$gl' stdin --no-banner --exit-code 0 --report-format json --report-path '$out/gl-stdin.json' < '$file'"
fi
printf '%-34s %10s %10s %10s %12s\n' command wall_s MB/s peak_MiB vs_secretlint
row() { # name label base
  [ -n "${T[$1]:-}" ] || return 0
  printf '%-34s %10s %10s %10s %12s\n' "$2" "${T[$1]}" \
    "$(awk -v b="$bytes" -v t="${T[$1]}" 'BEGIN{printf "%.1f", b/1048576/(t>0?t:0.01)}')" \
    "$((${M[$1]} / 1024))" "$(ratio "${T[$1]}" "${T[$3]}")"
}
row cat "cat FILE > /dev/null" sl_file
row sl_file "secretlint logs FILE" sl_file
row sl_stdin "secretlint logs - < FILE" sl_stdin
row gl_dir "gitleaks dir FILE" sl_file
row gl_stdin "gitleaks stdin < FILE" sl_stdin
count() { python3 -c 'import json,sys;d=json.load(open(sys.argv[1]));print(len(d["findings"]) if isinstance(d,dict) else len(d))' "$1"; }
echo "findings: secretlint file $(count "$out/sl-file.json"), stdin $(count "$out/sl-stdin.json")$([ -s "$out/gl-dir.json" ] && echo ", gitleaks dir $(count "$out/gl-dir.json"), stdin $(count "$out/gl-stdin.json")")"
echo "(vs_secretlint = wall / secretlint's wall on the same input: gitleaks rows are how many times slower; target >= 3)"

echo "== stream: genlog -size $STREAM_SIZE | secretlint logs -"
/usr/bin/time -f '%e %M' -o "$out/stream.time" sh -c \
  "'$BENCH_BIN/genlog' -size '$STREAM_SIZE' 2>'$out/gen.txt' | /usr/bin/time -f '%e %M' -o '$out/sl.time' '$sl' logs --quiet --format json --output '$out/stream.json' -" || true
read -r st sm < <(tail -n 1 "$out/sl.time")
echo "secretlint: wall ${st}s, peak RSS $((sm / 1024)) MiB (target < 100 MiB), $(count "$out/stream.json") findings; $(cat "$out/gen.txt")"
