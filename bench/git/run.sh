#!/usr/bin/env bash
# Benchmark `secretlint git` against gitleaks and the physical floors.
#
#   bench/git/run.sh [-n RUNS] REPO...     full-history scans, one line per tool
#   bench/git/run.sh -s                    staged mode in a 10,000-file repository
#
# REPO is a clone with full history, e.g. made by
#   ../shared/bench/prepare-repo.sh GIT_DIR /tmp/bench/grpc-go   (then /tmp/bench/grpc-go/repo)
# Never commit a benchmark repository.
#
# Wall time, CPU time (user + system, children included) and peak RSS come
# from /usr/bin/time (the peak is the largest process of the tool's tree:
# gitleaks' `git log` child, our `git cat-file` children). Each figure is the
# median of RUNS runs (default 3), the tools alternating, warm cache.
# Environment: SECRETLINT (binary; built from this checkout when unset),
# GITLEAKS (default /tmp/bench/bin/gitleaks), TRUFFLEHOG (default
# /tmp/bench/bin/trufflehog; left out when missing), BASE (another secretlint
# binary, say the previous release, measured in the same run; optional). The floors: reading
# every object of the pack (cat-file --batch-all-objects), reading the blobs
# history reaches (rev-list --objects | cat-file --batch), and what gitleaks
# reads (log -p -U0).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=3 staged=0
while getopts "n:s" o; do
  case $o in n) runs=$OPTARG ;; s) staged=1 ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
work=$(mktemp -d /tmp/secretlint-bench-git.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -z "${SECRETLINT:-}" ]; then
  SECRETLINT=$work/bin/secretlint # not $work/secretlint: that name holds the figures
  (cd "$root" && go build -o "$SECRETLINT" ./cmd/secretlint)
fi
GITLEAKS=${GITLEAKS:-/tmp/bench/bin/gitleaks}
TRUFFLEHOG=${TRUFFLEHOG:-/tmp/bench/bin/trufflehog}

# measure NAME CMD... : runs CMD once, appends "seconds kb cpu-seconds" to
# $work/NAME.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/t" "$@" >/dev/null 2>"$work/err" || true
  # time adds a "Command exited with non-zero status" line; keep the figures.
  grep -E '^[0-9.]+ [0-9]+ [0-9.]+ [0-9.]+$' "$work/t" | awk '{print $1, $2, $3 + $4}' >>"$work/$name"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
report() {
  local name=$1
  local s kb cpu
  [ -s "$work/$name" ] || return 0
  s=$(cut -d' ' -f1 "$work/$name" | median)
  kb=$(cut -d' ' -f2 "$work/$name" | median)
  cpu=$(cut -d' ' -f3 "$work/$name" | median)
  printf "  %-34s %8.2f s wall %8.2f s cpu %8.1f MiB\n" "$name" "$s" "$cpu" "$(echo "$kb / 1024" | bc -l)"
}
# ratio A B FIELD: median of A over median of B (field 1 wall, 3 cpu).
ratio() {
  local a b
  a=$(cut -d' ' -f"$3" "$work/$1" | median)
  b=$(cut -d' ' -f"$3" "$work/$2" | median)
  echo "$a / $b" | bc -l
}

if [ "$staged" = 1 ]; then
  repo=$work/staged
  mkdir -p "$repo" && cd "$repo"
  git init -q -b main
  git config gc.auto 0 # no background gc racing the clean-up
  for d in $(seq 0 99); do
    mkdir -p "pkg$d"
    for f in $(seq 0 99); do printf 'package pkg%d\n\nconst Name%d = "file %d"\n' "$d" "$f" "$f" >"pkg$d/file$f.go"; done
  done
  git add -A && git -c user.name=b -c user.email=b@example.test commit -q -m "10,000 files"
  printf 'package pkg7\n\nconst Name3 = "changed"\n' >pkg7/file3.go
  git add pkg7/file3.go
  echo "staged mode: $(git ls-files | wc -l) files, one staged change"
  for i in $(seq 1 $((runs * 3))); do measure "secretlint git --staged" "$SECRETLINT" git --staged --no-policy --quiet .; done
  report "secretlint git --staged"
  exit 0
fi

for repo in "$@"; do
  repo=$(cd "$repo" && pwd)
  commits=$(git -C "$repo" rev-list --all | wc -l)
  echo "$repo: $commits commits, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  tools="secretlint"
  [ -n "${BASE:-}" ] && tools="$tools secretlint-base"
  tools="$tools gitleaks"
  [ -x "$TRUFFLEHOG" ] && tools="$tools trufflehog"
  for name in $tools cat-file-all cat-file-reachable log-p; do : >"$work/$name"; done
  for i in $(seq 1 "$runs"); do
    measure secretlint "$SECRETLINT" git --no-policy --format json --output "$work/sl.json" "$repo"
    if [ -n "${BASE:-}" ]; then
      measure secretlint-base "$BASE" git --no-policy --format json --output "$work/base.json" "$repo"
    fi
    measure gitleaks "$GITLEAKS" git "$repo" --no-banner --exit-code 0 --report-format json --report-path "$work/gl.json"
    if [ -x "$TRUFFLEHOG" ]; then
      measure trufflehog sh -c "'$TRUFFLEHOG' git 'file://$repo' --trust-local-git-config --no-verification --no-update --json >'$work/th.json'"
    fi
    measure cat-file-all sh -c "git -C '$repo' cat-file --batch-all-objects --batch --unordered >/dev/null"
    measure cat-file-reachable sh -c "git -C '$repo' rev-list --objects --all --missing=allow-any | cut -c1-40 | git -C '$repo' cat-file --batch >/dev/null"
    measure log-p sh -c "git -C '$repo' log -p -U0 --all >/dev/null"
  done
  for name in $tools cat-file-all cat-file-reachable log-p; do report "$name"; done
  printf "  secretlint / gitleaks: wall %.2f, cpu %.2f (target <= 0.25)\n" "$(ratio secretlint gitleaks 1)" "$(ratio secretlint gitleaks 3)"
  if [ -x "$TRUFFLEHOG" ]; then
    printf "  secretlint / trufflehog: wall %.2f, cpu %.2f (target <= 0.50)\n" "$(ratio secretlint trufflehog 1)" "$(ratio secretlint trufflehog 3)"
  fi
  printf "  findings: secretlint %s, gitleaks %s\n" \
    "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/sl.json")" \
    "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1])) or []))' "$work/gl.json")"
done
