package logs

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"

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

// BenchmarkHugeLine scans a 1 GiB stream that is a single line, generated
// on the fly (never on disk), and reports the peak heap: the windows keep it
// bounded whatever the line length.
func BenchmarkHugeLine(b *testing.B) {
	const n = 1 << 30
	fk := newFakes(11)
	tok := " " + fk.checksummed("ghp") + " "
	eng := defaultEngine(b)
	b.SetBytes(n)
	var peak uint64
	for b.Loop() {
		ls := &lineStream{n: n, fill: filler(4096), secrets: map[int64]string{n / 3: tok, n - 100: tok}}
		var hits int
		col := &scan.Collector{}
		stop := make(chan struct{})
		sampled := make(chan uint64)
		go func() {
			var ms runtime.MemStats
			var max uint64
			for {
				runtime.ReadMemStats(&ms)
				max = maxU(max, ms.HeapInuse)
				select {
				case <-stop:
					sampled <- max
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
		err := New([]string{Stdin}, WithStdin(ls), WithOnHit(func(Hit) { hits++ })).Scan(context.Background(), eng, col)
		close(stop)
		peak = maxU(peak, <-sampled)
		if err != nil || hits != 2 {
			b.Fatalf("hits %d, err %v; want 2", hits, err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}
