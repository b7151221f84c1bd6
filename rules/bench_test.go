package rules_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/secretlint/secretlint/rules"
)

// goSource returns up to limit bytes of the Go distribution's own source
// (real code: comments, string literals, identifiers such as token and
// secret), read file by file as the scanner would see it.
func goSource(b *testing.B, limit int) [][]byte {
	root := filepath.Join(runtime.GOROOT(), "src")
	var files [][]byte
	total := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= limit {
			return fs.SkipDir
		}
		if d.IsDir() && d.Name() == "testdata" {
			return fs.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		files = append(files, data)
		total += len(data)
		return nil
	})
	if err != nil && len(files) == 0 {
		b.Skipf("read Go source under %s: %v", root, err)
	}
	if total == 0 {
		b.Skipf("no Go source under %s", root)
	}
	return files
}

// BenchmarkFind measures the built-in rule set over real source code, one
// Find call per file; MB/s is the figure to compare with reading the bytes.
func BenchmarkFind(b *testing.B) {
	set, err := rules.BuiltinSet()
	if err != nil {
		b.Fatal(err)
	}
	files := goSource(b, 16<<20)
	n := 0
	for _, f := range files {
		n += len(f)
	}
	b.SetBytes(int64(n))
	b.ResetTimer()
	matches := 0
	cpu := cpuTime()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			matches += len(set.Find(f))
		}
	}
	reportCPURate(b, n, cpu)
	b.ReportMetric(float64(matches)/float64(b.N), "matches/op")
}

// BenchmarkFindDenseLine measures the worst case the matcher is built
// against: one long line (minified code, a JSON log) on which rule
// keywords hit every few bytes, so regexes run region after region.
func BenchmarkFindDenseLine(b *testing.B) {
	set, err := rules.BuiltinSet()
	if err != nil {
		b.Fatal(err)
	}
	unit := []byte(`{"token":"eyJ0eXAi","password":"x","url":"postgres://a:b@h","key":"sk-proj-"},`)
	data := make([]byte, 0, 1<<20)
	for len(data)+len(unit) <= cap(data) {
		data = append(data, unit...)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		set.Find(data)
	}
}

// BenchmarkFindDense is a file dense with built-in keywords, every value a
// short assignment: the worst case for the regexes and for the overlap
// checks between matches, which must stay linear in the number of matches.
func BenchmarkFindDense(b *testing.B) {
	set, err := rules.BuiltinSet()
	if err != nil {
		b.Fatal(err)
	}
	kw := []string{"password", "secret", "token", "api_key", "Bearer", "key", "auth"}
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		for j := 0; j < 8; j++ {
			fmt.Fprintf(&sb, "%s=v%07xq%d ", kw[(i+j)%len(kw)], i*31+j*7, j)
		}
		sb.WriteByte('\n')
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		set.Find(data)
	}
}

// BenchmarkFindRepeatedKeyword is hostile input: one keyword repeated
// back to back (password=password=…, AKIAAKIA…, ghp_ghp_…), on one long
// line, in 100-byte lines and in 9000-byte lines (bench/probe case 8), so
// every few bytes are a keyword hit inside a region a regex has just
// searched. Find's work budget (see its doc) keeps it within a small
// factor of BenchmarkFind's rate.
func BenchmarkFindRepeatedKeyword(b *testing.B) {
	set, err := rules.BuiltinSet()
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, unit string }{
		{"password=", "password="},
		{"AKIA", "AKIA"},
		{"ghp_", "ghp_"},
		{"secret_key=", "secret_key="},
	} {
		for _, lineLen := range []int{0, 100, 9000} {
			data := repeatUnit(tc.unit, 1<<20, lineLen)
			name := tc.name + "/one-line"
			if lineLen > 0 {
				name = fmt.Sprintf("%s/%d-byte-lines", tc.name, lineLen)
			}
			b.Run(name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				cpu := cpuTime()
				for b.Loop() {
					set.Find(data)
				}
				reportCPURate(b, len(data), cpu)
			})
		}
	}
}

// repeatUnit repeats unit up to n bytes, with a newline every lineLen
// bytes (none when lineLen is 0).
func repeatUnit(unit string, n, lineLen int) []byte {
	data := make([]byte, 0, n)
	col := 0
	for len(data) < n {
		if lineLen > 0 && col+len(unit) > lineLen {
			data = append(data, '\n')
			col = 0
		}
		data = append(data, unit...)
		col += len(unit)
	}
	return data
}

// cpuTime is the process's CPU time so far (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPURate reports MB per CPU second since from: on a shared machine
// the wall-clock MB/s says more about the neighbours than about the code.
func reportCPURate(b *testing.B, n int, from time.Duration) {
	if d := cpuTime() - from; d > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/(1<<20)/d.Seconds(), "MB/cpu-s")
	}
}
