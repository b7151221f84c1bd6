#!/usr/bin/env bash
# Benchmark `secretlint audit` sharding on local repositories.
#
#   bench/audit/run.sh [-n REPOS] [-m IMAGES] [-b BASE] [SHARDS...]   (default: 200 repositories, 20 images; 1 2 4 shards)
#
# Generates REPOS git repositories with git fast-import, their histories
# 2 to 200 commits long (100× apart), a fake AWS key shared by every tenth
# one, and IMAGES docker-save tarballs (bench/audit/images, no daemon) of
# 50 KB to 5 MB of files (100× apart), a fake key in each, deleted by a
# later layer in every other one; a targets file weighted by content size
# in KB (a commit adds about 2 KB); then, for each shard count,
# runs each shard as its own process, one after another (as separate
# machines would run them, without sharing this machine's cores), and
# merges. Prints per shard count: the slowest shard's wall seconds, the
# imbalance (slowest / mean), and whether the merged findings equal the
# unsharded run's. Repositories live in a temporary directory, removed at
# the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
repos=200
images=20
base=0 # -b BASE: add BASE to every weight, a per-target constant
while getopts "n:m:b:" o; do
  case $o in n) repos=$OPTARG ;; m) images=$OPTARG ;; b) base=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
shards=("$@")
[ ${#shards[@]} -gt 0 ] || shards=(1 2 4)
work=$(mktemp -d /tmp/secretlint-bench-audit.XXXXXX)
trap 'rm -rf "$work"' EXIT
SECRETLINT=${SECRETLINT:-$work/bin/secretlint}
[ -x "$SECRETLINT" ] || (cd "$root" && go build -o "$SECRETLINT" ./cmd/secretlint)

# fakekey: AKIA and 16 base32 characters, random, never a real key.
fakekey() { printf 'AKIA%s' "$(head -c 64 /dev/urandom | base32 | tr -dc 'A-Z2-7' | head -c 16)"; }
shared=$(fakekey)
: >"$work/targets.txt"
for ((i = 0; i < repos; i++)); do
  commits=$((2 + (i * 37) % 199))
  dir=$work/repos/r$i
  git init -q --bare "$dir"
  {
    for ((c = 1; c <= commits; c++)); do
      body="# config revision $c of repository $i
$(head -c 1500 /dev/urandom | base64 -w 76)
"
      if [ $c -eq $commits ] && [ $((i % 10)) -eq 0 ]; then body+="AWS_ACCESS_KEY_ID=$shared
"; fi
      if [ $c -eq 1 ] && [ $((i % 7)) -eq 0 ]; then body+="AWS_ACCESS_KEY_ID=$(fakekey)
"; fi
      msg="revision $c"
      printf 'commit refs/heads/main\ncommitter Bench <bench@example.test> %d +0000\ndata %d\n%s\n' $((1700000000 + c)) ${#msg} "$msg"
      printf 'M 644 inline app/config-%d.env\ndata %d\n%s\n' $((c % 20)) $(($(printf '%s' "$body" | wc -c))) "$body"
    done
  } | git -C "$dir" fast-import --quiet
  echo "git $dir weight=$((base + 2 * commits)) owner=team-$((i % 4))" >>"$work/targets.txt"
done
if [ "$images" -gt 0 ]; then
  (cd "$root" && go run ./bench/audit/images -n "$images" -out "$work/images") |
    awk -v b="$base" '{ split($3, w, "="); $3 = "weight=" (w[2] + b); print }' >>"$work/targets.txt"
fi
export SECRETLINT_FINGERPRINT_KEY=bench-fingerprint-key-0123456789

findings() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(json.dumps([r["findings"], r["stats"]["findings"]], sort_keys=True))' "$1"; }

"$SECRETLINT" audit --targets "$work/targets.txt" --no-policy -q -f json -o "$work/single.json" 2>/dev/null || true
want=$(findings "$work/single.json")
printf '%-7s %-10s %-10s %-9s %-12s %s\n' shards slowest_s mean_s imbalance merged_equal scan_imb
for n in "${shards[@]}"; do
  out=$work/shards-$n
  mkdir -p "$out"
  walls=()
  for ((i = 0; i < n; i++)); do
    t0=$(date +%s.%N)
    "$SECRETLINT" audit --targets "$work/targets.txt" --no-policy -q --shard "$i/$n" -o "$out/" 2>/dev/null
    walls+=("$(echo "$(date +%s.%N) - $t0" | bc)")
  done
  "$SECRETLINT" merge "$out" -f json -o "$work/merged-$n.json" -q 2>/dev/null || true
  equal=no
  [ "$(findings "$work/merged-$n.json")" = "$want" ] && equal=yes
  # scan_imb: the same ratio over the seconds the shards' reports give
  # their targets, without process start-up.
  scan=$(python3 -c 'import json,sys; s=[sum(t["seconds"] for t in json.load(open(f))["shard"]["targets"]) for f in sys.argv[1:]]; print("%.2f" % (max(s)/(sum(s)/len(s))))' "$out"/*.json)
  printf '%s\n' "${walls[@]}" | awk -v n="$n" -v eq="$equal" -v si="$scan" '{s+=$1; if ($1>m) m=$1} END {printf "%-7d %-10.2f %-10.2f %-9.2f %-12s %s\n", n, m, s/NR, m/(s/NR), eq, si}'
done
echo "findings in the unsharded run: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stats"]["findings"])' "$work/single.json")"
python3 - "$work/single.json" "$base" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ts = r["shard"]["targets"]
secs = sorted(t["seconds"] for t in ts)
print("per-target seconds: n=%d sum=%.2f median=%.3f max=%.3f" % (len(secs), sum(secs), secs[len(secs)//2], secs[-1]))
for kind in ("git", "image"):
    ks = sorted(t["seconds"] for t in ts if t["target"].startswith(kind + " "))
    if ks:
        print("  %-5s n=%d sum=%.2f mean=%.3f median=%.3f max=%.3f" % (kind, len(ks), sum(ks), sum(ks)/len(ks), ks[len(ks)//2], ks[-1]))
    # Least squares: seconds = a + b * weight (KB), for estimates.
    pts = [(float(t["target"].split("weight=")[1].split()[0]) - float(sys.argv[2]), t["seconds"]) for t in ts if t["target"].startswith(kind + " ")]
    if len(pts) > 2:
        mx = sum(x for x, _ in pts) / len(pts); my = sum(y for _, y in pts) / len(pts)
        b = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
        print("  %-5s fit: seconds = %.4f + %.6f * KB" % (kind, my - b * mx, b))
PY
