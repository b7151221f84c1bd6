package git

import (
	"context"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/scan"
)

// A history scan adds its findings at its end (the earliest commit of each
// secret wins), but the collector's count grows as each new secret at a
// path is found, so the progress line's finding count is live; once the
// scan adds them the count is exact.
func TestHistoryFindingCountIsLive(t *testing.T) {
	col := &scan.Collector{}
	a := newAttributor(col)
	key := fakeAWSKey(3)
	f := func(path, commit string) scan.Finding {
		var f scan.Finding
		f.RuleID, f.Path, f.Secret, f.Commit = "aws-access-key-id", path, key, commit
		return f
	}
	a.add([]scan.Finding{f("a.env", "c1"), f("a.env", "c2")}) // one secret at one path
	if n := col.Found(); n != 1 {
		t.Fatalf("after one secret at one path: Found %d, want 1", n)
	}
	a.add([]scan.Finding{f("b.env", "c3")})
	if n := col.Found(); n != 2 {
		t.Fatalf("after a second path: Found %d, want 2", n)
	}

	engines(t, func(t *testing.T, opts ...Option) {
		f := buildHistory(t)
		col := scanSource(t, New(f.r.dir, opts...))
		if got, want := col.Found(), len(col.Findings()); got != want {
			t.Errorf("Found %d after the scan, want the %d findings added", got, want)
		}
		// With the git binary, the commits are counted as they are read.
		if !strings.HasSuffix(t.Name(), "/git-binary") {
			return
		}
		raw := &scan.Collector{}
		if err := New(f.r.dir, opts...).Scan(context.Background(), engine(t), raw); err != nil {
			t.Fatal(err)
		}
		if w := raw.Work(); w.Unit != "commits" || w.Total == 0 || w.Done != w.Total {
			t.Errorf("work %+v, want every commit counted", w)
		}
	})
}
