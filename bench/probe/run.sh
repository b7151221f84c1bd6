#!/usr/bin/env bash
# The hostile-input probe: each case a user (or an attacker) can type,
# with its exit code, wall time, peak RSS and whether the promise held.
#
#   bench/probe/run.sh            build from this checkout and run every case
#   SECRETLINT=BIN bench/probe/run.sh
#
# The secrets are made here at run time (fake, format-valid) and the
# scratch directory is removed at the end. Run it before and after a change
# to the content stage, the output writer or the signal handling.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/secretlint-probe.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -z "${SECRETLINT:-}" ]; then
  SECRETLINT=$work/bin/secretlint
  (cd "$root" && go build -o "$SECRETLINT" ./cmd/secretlint) || exit 1
fi
sl=$SECRETLINT
cd "$work" || exit 1

# Fake credentials: an AWS key pair and a PEM private key.
akid=$(python3 -c 'import random; r=random.Random(7); print("AKIA"+"".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ234567") for _ in range(16)))')
asec=$(python3 -c 'import random; r=random.Random(8); print("".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(40)))')
openssl genrsa 2048 2>/dev/null >key.pem

printf "%-44s %5s %8s %9s  %s\n" case exit wall_s rss_mib verdict
# row NAME VERDICT: prints the last timed command's figures.
row() {
  local e w kb
  # time writes "Command exited with non-zero status N" first; the
  # figures are its last line.
  read -r e w kb < <(tail -n 1 "$work/t") || true
  printf "%-44s %5s %8s %9.1f  %s\n" "$1" "$e" "$w" "$(echo "${kb:-0} / 1024" | bc -l)" "$2"
}
# timed CMD...: runs CMD, records "exit wall kb" in $work/t.
timed() {
  /usr/bin/time -f "%x %e %M" -o "$work/t" "$@" >"$work/out" 2>"$work/err"
}
found() { [ "$(tail -n 1 "$work/t" | cut -d' ' -f1)" = 1 ] && echo found || echo MISSED; }
raw_in() { grep -qF -e "$akid" -e "$asec" "$@" && echo LEAK || echo redacted; }

# 1. A secret in a commit message: every format redacts it.
git init -q repo && (
  cd repo && printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n' "$akid" "$asec" >app.env &&
    git add app.env && git -c user.name=p -c user.email=p@example.test commit -q \
    -m "rotate: aws_secret_access_key = $asec"
)
for f in text json sarif csv; do
  timed "$sl" git --format "$f" repo
  row "1 commit message secret, --format $f" "$(raw_in "$work/out" "$work/err")"
done

# 2. A PEM key across the 4 MiB read boundary of a 9 MB file and of stdin.
python3 - "$work/big.log" <<'EOF'
import sys
key = open("key.pem").read()
cut = 4 << 20
with open(sys.argv[1], "w") as f:
    line = "INFO request served in 3 ms\n"
    f.write(line * ((cut - len(key) // 2) // len(line)))
    f.write(key)
    f.write(line * ((5 << 20) // len(line)))
EOF
timed "$sl" scan big.log
row "2 PEM key across a chunk cut (file)" "$(found)"
timed sh -c "'$sl' scan - <big.log"
row "2 PEM key across a chunk cut (stdin)" "$(found)"

# 3. --output at a symlink, at a device, into a missing directory.
echo keep >target && ln -s target link && cp key.pem dir.txt
timed "$sl" scan dir.txt --format json -o link
row "3 --output is a symlink" "$([ "$(cat target)" = keep ] && echo 'target untouched' || echo OVERWRITTEN)"
before=$(stat -c %a /dev/full)
timed "$sl" scan dir.txt -o /dev/full
row "3 --output /dev/full" "$([ "$(stat -c %a /dev/full)" = "$before" ] && echo 'mode unchanged' || echo CHMODDED)"
timed "$sl" scan dir.txt -o missing/dir/out.json
row "3 --output in a missing directory" "$(head -c 60 err | tr '\n' ' ')"

# 4. Endless inputs end on SIGTERM within a second.
mkfifo fifo
/usr/bin/time -f "%x %e %M" -o t timeout --preserve-status -s TERM 1 "$sl" scan fifo >/dev/null 2>&1
row "4 FIFO argument, SIGTERM after 1 s" "$(tail -n 1 t | awk '{print ($2 < 2.5) ? "stopped" : "HUNG"}')"
/usr/bin/time -f "%x %e %M" -o t sh -c "yes | timeout --preserve-status -s TERM 1 '$sl' scan - >/dev/null 2>&1"
row "4 yes | scan -, SIGTERM after 1 s" "$(tail -n 1 t | awk '{print ($2 < 2.5) ? "stopped" : "HUNG"}')"

# 5. redact -o f - < f must not empty f.
cp dir.txt r.txt
timed sh -c "'$sl' redact -o r.txt - <r.txt"
row "5 redact -o f - < f" "$(cmp -s r.txt dir.txt && echo 'file intact' || echo DATA LOSS)"

# 6. A text file with an archive's name is scanned as text.
for n in creds.zip creds.tar creds.gz creds.jar; do
  printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n' "$akid" "$asec" >"$n"
  timed "$sl" scan "$n"
  row "6 text file named $n" "$(found)"
done

# 7. Control characters in a path are escaped.
esc=$(printf 'evil\033[2Jname.env')
printf 'AWS_SECRET_ACCESS_KEY=%s\n' "$asec" >"$esc"
timed "$sl" scan "$esc"
row "7 escape sequence in a file name" "$(grep -q $'\033' out err && echo 'RAW ESC' || echo escaped)"

# 8. Dense input: 50 MB of back-to-back keywords, against 50 MB of logs.
python3 -c 'import sys; sys.stdout.write(("password=" * 1000 + "\n") * 5600)' >dense.txt
python3 -c 'import sys; sys.stdout.write("INFO request served in 3 ms by worker 7\n" * 1300000)' >plain.txt
timed "$sl" scan dense.txt
row "8 50 MB of password=password=..." "$(tail -n 1 t | awk '{printf "%.0f MB/s", 50/$2}')"
timed "$sl" scan plain.txt
row "8 50 MB of ordinary log lines" "$(tail -n 1 t | awk '{printf "%.0f MB/s", 50/$2}')"

# 9. A gzip bomb: 2 GB of zeros in a 2 MB file.
head -c 2G /dev/zero | gzip -1 >bomb.gz 2>/dev/null
timed "$sl" scan bomb.gz
row "9 gzip bomb (2 GB expanded)" "$(tail -n 1 t | awk '{print ($3 < 600000) ? "bounded" : "MEMORY"}')"
