package scan

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/rules"
)

// corpus reads up to limit bytes of Go source from GOROOT: real code, where
// most bytes hit no keyword.
func corpus(b *testing.B, limit int) [][]byte {
	var out [][]byte
	total := 0
	root := filepath.Join(runtime.GOROOT(), "src")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || total >= limit {
			return nil
		}
		data, err := os.ReadFile(p)
		if err == nil {
			out = append(out, data)
			total += len(data)
		}
		return nil
	})
	if total == 0 {
		b.Skip("no Go source under GOROOT")
	}
	return out
}

// BenchmarkEngineScan measures the whole per-fragment path with the
// built-in rules: keyword pass, regexes around hits, validators, decoders.
func BenchmarkEngineScan(b *testing.B) {
	set, err := rules.BuiltinSet()
	if err != nil {
		b.Fatal(err)
	}
	for _, decode := range []bool{true, false} {
		name := "decode"
		if !decode {
			name = "nodecode"
		}
		b.Run(name, func(b *testing.B) {
			e := NewEngine(set, WithDecoding(decode))
			files := corpus(b, 32<<20)
			var n int64
			for _, f := range files {
				n += int64(len(f))
			}
			b.SetBytes(n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, f := range files {
					e.Scan(Fragment{Data: f})
				}
			}
		})
	}
}
