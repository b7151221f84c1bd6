#!/bin/sh
# Image scan benchmark (not a test): builds a >=500 MB multi-layer OCI
# layout from real trees on this machine, then compares
#   1. the physical limit: `gzip -dc` of each layer blob, summed;
#   2. `secretlint image` on the layout (wall time and peak RSS);
#   3. gitleaks `dir` on the same layers extracted to disk (extraction not
#      timed; gitleaks cannot read image layers itself).
# Targets: secretlint wall <= 1.5x the gzip -dc sum; peak RSS < 300 MB.
#
#   sh bench/image/run.sh [WORKDIR]     (default /tmp/bench-image)
#   SKIP_GITLEAKS=1 leaves out the (slow) gitleaks run.
set -eu
cd "$(dirname "$0")/../.."
W=${1:-/tmp/bench-image}
GITLEAKS=${GITLEAKS:-/tmp/bench/bin/gitleaks}
mkdir -p "$W"
now() { date +%s.%N; }

go build -o "$W/secretlint" ./cmd/secretlint
if [ ! -f "$W/layout/index.json" ]; then
	nice go run ./bench/image/build -out "$W/layout" >"$W/blobs.txt"
fi
echo "image: $W/layout ($(wc -l <"$W/blobs.txt") layers, $(du -sm "$W/layout" | cut -f1) MB compressed)"

# Warm the page cache so every contender reads from memory.
cat $(cat "$W/blobs.txt") >/dev/null

unc=0
for b in $(cat "$W/blobs.txt"); do
	unc=$((unc + $(gzip -dc "$b" | wc -c)))
done
echo "uncompressed layer bytes: $unc ($((unc / 1048576)) MB)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# Wall time, user and system CPU, peak RSS of a command, from /usr/bin/time.
measure() {
	out=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$out" "$@" || true
	tail -n 1 "$out"
}
set -- $(measure "$W/time-gz.txt" sh -c 'for b in $(cat "$1"); do gzip -dc "$b" >/dev/null; done' sh "$W/blobs.txt")
gz=$1 gzcpu=$(echo "$2 + $3" | bc)
echo "gzip -dc, summed:         ${gz}s wall, ${gzcpu}s CPU"
set -- $(measure "$W/time.txt" "$W/secretlint" image --format json -o "$W/report.json" --quiet "$W/layout")
sl=$1 slcpu=$(echo "$2 + $3" | bc) rss=$4
echo "secretlint image:         ${sl}s wall, ${slcpu}s CPU, peak RSS $((rss / 1024)) MB, $(grep -c '"rule_id"' "$W/report.json") findings"
echo "ratio secretlint/gzip:    $(echo "scale=2; $sl / $gz" | bc) wall (target <= 1.5); $(echo "scale=2; $slcpu / $gzcpu" | bc) CPU (secretlint uses $(nproc) cores, gzip one)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "${SKIP_GITLEAKS:-}" = 1 ]; then
	echo "gitleaks comparison skipped (SKIP_GITLEAKS=1)"
elif [ -x "$GITLEAKS" ]; then
	rm -rf "$W/rootfs" && mkdir -p "$W/rootfs"
	i=0
	for b in $(cat "$W/blobs.txt"); do
		mkdir -p "$W/rootfs/layer$i" && tar -xzf "$b" -C "$W/rootfs/layer$i" 2>/dev/null || true
		i=$((i + 1))
	done
	set -- $(measure "$W/time-gl.txt" "$GITLEAKS" dir --no-banner --exit-code 0 --log-level error --report-format json --report-path "$W/gitleaks.json" "$W/rootfs")
	echo "gitleaks dir (extracted): ${1}s wall, $(echo "$2 + $3" | bc)s CPU, peak RSS $(($4 / 1024)) MB, $(grep -c '"RuleID"' "$W/gitleaks.json") findings"
	rm -rf "$W/rootfs"
else
	echo "gitleaks not found at $GITLEAKS; skipped the comparison"
fi
