package scan

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A progress line redraws several times a second while findings pile up:
// counting them must not copy or sort them (it did, under the lock).
func TestCollectorFoundCopiesNothing(t *testing.T) {
	c := &Collector{}
	for i := 0; i < 5000; i++ {
		c.Add(Finding{RuleID: "r" + strconv.Itoa(5000-i)})
	}
	var n int
	allocs := testing.AllocsPerRun(20, func() { n = c.Found() })
	if n != 5000 {
		t.Fatalf("Found = %d, want 5000", n)
	}
	if allocs != 0 {
		t.Errorf("Found allocates %.0f times a call, want 0 (no copy, no sort)", allocs)
	}
}

func TestCollectorSnapshotKeepsOrderFindingsSorts(t *testing.T) {
	c := &Collector{}
	for _, id := range []string{"c", "a", "b"} {
		c.Add(Finding{RuleID: id})
	}
	ids := func(fs []Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.RuleID)
		}
		return out
	}
	if d := cmp.Diff([]string{"c", "a", "b"}, ids(c.Snapshot())); d != "" {
		t.Errorf("Snapshot order (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"a", "b", "c"}, ids(c.Findings())); d != "" {
		t.Errorf("Findings order (-want +got):\n%s", d)
	}
}
