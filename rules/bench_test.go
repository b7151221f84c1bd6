package rules_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

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
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			matches += len(set.Find(f))
		}
	}
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
