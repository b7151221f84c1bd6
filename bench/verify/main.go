// Command verify measures what --verify costs: it writes 200 findings of
// 20 credential types (100 distinct fake secrets, each in two files) to a
// temporary directory, answers every provider from one local server that
// takes 50 ms per answer, and scans the directory through the pipeline
// without and with verification. It prints the wall time of each run, the
// requests the server got and the distinct credentials they carried.
//
//	go run ./bench/verify            # -runs 3 -delay 50ms
//
// The secrets are generated here, format-valid and never real; nothing
// leaves the machine (every provider host goes to the local server).
package main

import (
	"context"
	"flag"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/secretlint/secretlint/internal/verifyhook"
	"github.com/secretlint/secretlint/pipeline"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan/files"
	"github.com/secretlint/secretlint/verify"
)

const (
	alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	hexd  = "0123456789abcdef"
	digit = "0123456789"
)

var r = rand.New(rand.NewPCG(19, 2026))

func pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// checksummed is prefix_<30 base62><6 base62 CRC32> (GitHub, npm).
func checksummed(prefix string) string {
	const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	body := pick(base62, 30)
	v := crc32.ChecksumIEEE([]byte(body))
	sum := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		sum[i] = base62[v%62]
		v /= 62
	}
	return prefix + "_" + body + string(sum)
}

// types are the 20 credential types, each a rule with a verifier and a
// generator of a value that rule reports.
var types = []struct {
	rule string
	gen  func() string
}{
	{"github-pat", func() string { return checksummed("ghp") }},
	{"github-oauth-token", func() string { return checksummed("gho") }},
	{"npm-token", func() string { return checksummed("npm") }},
	{"gitlab-pat", func() string { return "glpat-" + pick(alnum, 20) }},
	{"slack-bot-token", func() string { return "xoxb-" + pick(digit, 11) + "-" + pick(digit, 12) + "-" + pick(alnum, 24) }},
	{"stripe-secret-key", func() string { return "sk_live_" + pick(alnum, 24) }},
	{"openai-api-key", func() string { return "sk-proj-" + pick(alnum, 84) }},
	{"anthropic-api-key", func() string { return "sk-ant-api03-" + pick(alnum, 93) + "AA" }},
	{"huggingface-token", func() string { return "hf_" + pick(alnum, 34) }},
	{"replicate-api-token", func() string { return "r8_" + pick(alnum, 37) }},
	{"groq-api-key", func() string { return "gsk_" + pick(alnum, 52) }},
	{"sendgrid-api-key", func() string { return "SG." + pick(alnum, 22) + "." + pick(alnum, 43) }},
	{"digitalocean-pat", func() string { return "dop_v1_" + pick(hexd, 64) }},
	{"heroku-api-key", func() string { return "HRKU-" + pick(alnum, 60) }},
	{"doppler-token", func() string { return "dp.pt." + pick(alnum, 43) }},
	{"linear-api-key", func() string { return "lin_api_" + pick(alnum, 40) }},
	{"notion-integration-token", func() string { return "ntn_" + pick(digit, 11) + pick(alnum, 35) }},
	{"postman-api-key", func() string { return "PMAK-" + pick(hexd, 24) + "-" + pick(hexd, 34) }},
	{"sentry-user-token", func() string { return "sntryu_" + pick(hexd, 64) }},
	{"mailgun-api-key", func() string { return "key-" + pick(hexd, 32) }},
}

func main() {
	runs := flag.Int("runs", 3, "runs of each kind; the median is printed")
	delay := flag.Duration("delay", 50*time.Millisecond, "how long the local server takes per answer")
	perType := flag.Int("secrets", 5, "distinct secrets per type (each written to two files)")
	flag.Parse()

	dir, err := os.MkdirTemp("", "secretlint-bench-verify-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(dir)
	want := map[string]bool{}
	for _, ty := range types {
		for i := 0; i < *perType; i++ {
			s := ty.gen()
			want[s] = true
			for _, copy := range []string{"a", "b"} {
				p := filepath.Join(dir, copy, fmt.Sprintf("%s-%d.env", ty.rule, i))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte("TOKEN="+s+"\n"), 0o644); err != nil {
					fail(err)
				}
			}
		}
	}

	var requests atomic.Int64
	var mu sync.Mutex
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		requests.Add(1)
		cred := req.Header.Get("Authorization") + req.Header.Get("Private-Token") + req.Header.Get("X-Api-Key") + req.Header.Get("x-api-key")
		mu.Lock()
		seen[cred] = true
		mu.Unlock()
		time.Sleep(*delay)
		w.Write([]byte(`{"ok":true,"valid":true}`))
	}))
	defer srv.Close()
	defer verifyhook.Set(func(string) string { return srv.URL })()

	scanOnce := func(c *verify.Checker) (time.Duration, *report.Report) {
		opts := []pipeline.Option{pipeline.WithRoots(dir), pipeline.WithSources(files.New([]string{dir}))}
		if c != nil {
			opts = append(opts, pipeline.WithVerifier(c, false))
		}
		start := time.Now()
		rep, err := pipeline.Run(context.Background(), opts...)
		if err != nil {
			fail(err)
		}
		return time.Since(start), rep
	}

	var plain, verified []time.Duration
	var last *report.Report
	var reqs int64
	for i := 0; i < *runs; i++ {
		d, rep := scanOnce(nil)
		plain = append(plain, d)
		if len(rep.Findings) != 2*len(want) {
			fail(fmt.Errorf("%d findings without --verify, want %d", len(rep.Findings), 2*len(want)))
		}
		before := requests.Load()
		d, last = scanOnce(verify.New())
		verified = append(verified, d)
		reqs = requests.Load() - before
	}
	byStatus := map[string]int{}
	rulesSeen := map[string]bool{}
	for _, f := range last.Findings {
		rulesSeen[f.RuleID] = true
		if f.Verification == nil {
			byStatus["none"]++
			continue
		}
		byStatus[f.Verification.Status]++
	}
	var st []string
	for k, v := range byStatus {
		st = append(st, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(st)
	fmt.Printf("findings: %d of %d types, %d distinct secrets; server answers in %v\n", len(last.Findings), len(rulesSeen), len(want), *delay)
	fmt.Printf("without --verify: %v (median of %d)\n", median(plain).Round(time.Millisecond), *runs)
	fmt.Printf("with --verify:    %v (median of %d)\n", median(verified).Round(time.Millisecond), *runs)
	fmt.Printf("requests per verified run: %d (distinct credentials seen by the server over all runs: %d)\n", reqs, len(seen))
	fmt.Printf("one after another they would take at least %v\n", time.Duration(reqs)*(*delay))
	fmt.Printf("results: %s\n", strings.Join(st, ", "))
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench/verify:", err)
	os.Exit(1)
}
