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
t0=$(now)
for b in $(cat "$W/blobs.txt"); do
	n=$(gzip -dc "$b" | wc -c)
	unc=$((unc + n))
done
t1=$(now)
gz=$(echo "$t1 - $t0" | bc)
echo "uncompressed layer bytes: $unc ($((unc / 1048576)) MB)"
echo "gzip -dc, summed:        ${gz}s"

/usr/bin/time -f "%e %M" -o "$W/time.txt" "$W/secretlint" image --format json -o "$W/report.json" --quiet "$W/layout" || true
read sl rss <<EOT
$(tail -n 1 "$W/time.txt")
EOT
echo "secretlint image:         ${sl}s, peak RSS $((rss / 1024)) MB, $(grep -c '"rule_id"' "$W/report.json") findings"
echo "ratio secretlint/gzip:    $(echo "scale=2; $sl / $gz" | bc)  (target <= 1.5)"

if [ -x "$GITLEAKS" ]; then
	rm -rf "$W/rootfs" && mkdir -p "$W/rootfs"
	i=0
	for b in $(cat "$W/blobs.txt"); do
		mkdir -p "$W/rootfs/layer$i" && tar -xzf "$b" -C "$W/rootfs/layer$i" 2>/dev/null || true
		i=$((i + 1))
	done
	/usr/bin/time -f "%e %M" -o "$W/time-gl.txt" "$GITLEAKS" dir --no-banner --exit-code 0 --report-format json --report-path "$W/gitleaks.json" "$W/rootfs" >/dev/null 2>&1 || true
	read gl glrss <<EOT
$(tail -n 1 "$W/time-gl.txt")
EOT
	echo "gitleaks dir (extracted): ${gl}s, peak RSS $((glrss / 1024)) MB, $(grep -c '"RuleID"' "$W/gitleaks.json") findings"
	rm -rf "$W/rootfs"
else
	echo "gitleaks not found at $GITLEAKS; skipped the comparison"
fi
