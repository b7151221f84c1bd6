// Command genlog writes a realistic synthetic log to stdout, for the log
// scanning benchmarks: GitHub Actions and GitLab CI lines with timestamps
// and ANSI colour, JSON-lines application records, HTTP client debug lines
// and stack traces, with a fake credential every few thousand lines. The
// credentials are generated here, format-valid and never real.
//
//	go run ./bench/logs/genlog -size 1G > /tmp/bench/logs/app.log
package main

import (
	"bufio"
	"encoding/base64"
	"flag"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	size := flag.String("size", "1G", "bytes to write (K, M, G suffixes)")
	every := flag.Int("secret-every", 5000, "one credential per this many lines")
	flag.Parse()
	n, err := parseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genlog:", err)
		os.Exit(2)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	g := &gen{r: rand.New(rand.NewPCG(1, 2)), t: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}
	var written, secrets int64
	var line []byte
	i := 0
	defer func() { fmt.Fprintf(os.Stderr, "genlog: %d bytes, %d lines, %d credentials\n", written, i, secrets) }()
	for ; written < n; i++ {
		line = line[:0]
		if *every > 0 && i%*every == *every-1 {
			line = g.secretLine(line)
			secrets++
		} else {
			line = g.line(line)
		}
		line = append(line, '\n')
		k, err := w.Write(line)
		if err != nil {
			return // reader went away
		}
		written += int64(k)
	}
	w.Flush()
}

type gen struct {
	r *rand.Rand
	t time.Time
}

var (
	words = strings.Fields("alpha bravo cinder delta ember falcon granite harbor iris juniper kestrel lumen meridian nimbus onyx polaris quartz raven sierra tundra umbra vector willow xenon yarrow zephyr")
	paths = []string{"/v1/models", "/api/2.0/mlflow/runs/log-metric", "/healthz", "/v1/predict", "/api/users"}
)

func (g *gen) ts() string {
	g.t = g.t.Add(time.Duration(g.r.IntN(900)) * time.Millisecond)
	return g.t.Format("2006-01-02T15:04:05.0000000Z")
}

func (g *gen) word() string { return words[g.r.IntN(len(words))] }

func (g *gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.r.IntN(16)]
	}
	return string(b)
}

func (g *gen) line(b []byte) []byte {
	switch g.r.IntN(10) {
	case 0, 1, 2:
		return fmt.Appendf(b, `{"ts": "%s", "level": "info", "msg": "request completed", "path": "%s", "status": %d, "dur_ms": %d, "request_id": "%s-%s"}`,
			g.ts(), paths[g.r.IntN(len(paths))], 200+g.r.IntN(5), g.r.IntN(900), g.hex(8), g.hex(12))
	case 3:
		return fmt.Appendf(b, "%s \x1b[36;1mPASS\x1b[0m src/%s.test.js (%d ms)", g.ts(), g.word(), g.r.IntN(900))
	case 4:
		return fmt.Appendf(b, "%s commit %s", g.ts(), g.hex(40))
	case 5:
		return fmt.Appendf(b, "%s Digest: sha256:%s", g.ts(), g.hex(64))
	case 6:
		return fmt.Appendf(b, `%s DEBUG urllib3.connectionpool: https://mlflow.%s.ai:443 "POST %s HTTP/1.1" 200 %d`, g.ts(), g.word(), paths[g.r.IntN(len(paths))], g.r.IntN(999))
	case 7:
		return fmt.Appendf(b, "%s \x1b[0Ksection_start:%d:step_%s\r\x1b[0K\x1b[32;1mRunning %s for %s\x1b[0;m", g.ts(), g.t.Unix(), g.word(), g.word(), g.word())
	case 8:
		return fmt.Appendf(b, `  File "/app/%s/%s.py", line %d, in %s`, g.word(), g.word(), g.r.IntN(500), g.word())
	}
	return fmt.Appendf(b, "%s npm WARN deprecated %s@%d.%d.%d: this module is not supported, token: ***", g.ts(), g.word(), g.r.IntN(9), g.r.IntN(9), g.r.IntN(9))
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

func (g *gen) b62(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = base62[g.r.IntN(62)]
	}
	return string(b)
}

// checksummed returns prefix_ + 30 random base62 + a CRC32 checksum, the
// shape of GitHub tokens.
func (g *gen) checksummed(prefix string) string {
	body := g.b62(30)
	v := crc32.ChecksumIEEE([]byte(body))
	var sum [6]byte
	for i := 5; i >= 0; i-- {
		sum[i] = base62[v%62]
		v /= 62
	}
	return prefix + "_" + body + string(sum[:])
}

func (g *gen) secretLine(b []byte) []byte {
	switch g.r.IntN(4) {
	case 0:
		return fmt.Appendf(b, "%s + git remote set-url origin https://x-access-token:%s@github.com/%s/%s.git", g.ts(), g.checksummed("ghp"), g.word(), g.word())
	case 1:
		return fmt.Appendf(b, `{"ts": "%s", "level": "debug", "msg": "outbound request", "headers": {"Authorization": "Bearer %s"}}`, g.ts(), g.b62(40))
	case 2:
		basic := base64.StdEncoding.EncodeToString([]byte(g.word() + ":" + g.b62(16)))
		return fmt.Appendf(b, "%s DEBUG mlflow.utils.rest_utils: Request headers: {'Authorization': 'Basic %s'}", g.ts(), basic)
	}
	return fmt.Appendf(b, `%s ERROR sqlalchemy.exc.OperationalError: could not connect to postgresql://svc_%s:%s@db.internal:5432/%s`, g.ts(), g.word(), g.b62(20), g.word())
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err
}
