package logs

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// BenchmarkScanFile scans the log named by SECRETLINT_BENCH_LOG (skipped
// when unset); bench/logs/run.sh runs the end-to-end comparison.
func BenchmarkScanFile(b *testing.B) {
	path := os.Getenv("SECRETLINT_BENCH_LOG")
	if path == "" {
		b.Skip("SECRETLINT_BENCH_LOG not set")
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	set, err := rules.BuiltinSet()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	for b.Loop() {
		col := &scan.Collector{}
		if err := New([]string{path}).Scan(context.Background(), scan.NewEngine(set), col); err != nil {
			b.Fatal(err)
		}
	}
}

var _ = io.Discard
