package policy

import (
	"context"
	"testing"

	"github.com/secretlint/secretlint/scan"
)

// BenchmarkRunFixtures runs every check over the fixture tree (about 40
// files of every kind), reporting files per second.
func BenchmarkRunFixtures(b *testing.B) {
	root, _ := copyFixtures(b)
	col := &scan.Collector{}
	Run(context.Background(), []string{root}, col, WithInputCount(true))
	files := col.Inputs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Run(context.Background(), []string{root}, &scan.Collector{})
	}
	b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}
