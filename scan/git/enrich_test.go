package git

import (
	"context"
	"testing"

	"github.com/secretlint/secretlint/scan"
)

// Scan reports what it found with the introducing commit; Enrich adds who
// committed it, when, and where the secret still lives, to that history's
// findings only.
func TestEnrichAttributesOnlyTheHistorysFindings(t *testing.T) {
	r := newRepo(t)
	key := fakeAWSKey(7)
	r.write("app.env", "AWS_ACCESS_KEY_ID="+key+"\n")
	first := r.commit("add key")
	r.write("README", "docs\n")
	r.commit("add docs")

	h := New(r.dir)
	col := &scan.Collector{}
	if err := h.Scan(context.Background(), engine(t), col); err != nil {
		t.Fatal(err)
	}
	fs := col.Snapshot()
	if len(fs) != 1 || fs[0].Commit != first {
		t.Fatalf("findings %+v, want one from commit %s", fs, first)
	}
	if fs[0].Author != "" || fs[0].InHead != nil {
		t.Errorf("Scan attributed already: author %q, in_head %v", fs[0].Author, fs[0].InHead)
	}
	other := scan.Finding{RuleID: fs[0].RuleID, Secret: fs[0].Secret}
	other.Source, other.Path = scan.SourceFile, fs[0].Path
	fs = append(fs, other)

	out := &scan.Collector{}
	if err := h.Enrich(context.Background(), fs, out); err != nil {
		t.Fatal(err)
	}
	g := fs[0]
	if g.Author != "Ada Author" || g.Email != "ada@example.test" || g.Date == "" || g.CommitTitle != "add key" {
		t.Errorf("commit details: %+v", g)
	}
	if g.InHead == nil || !*g.InHead || g.Commits != 2 || g.Paths != 1 {
		t.Errorf("in_head %v, commits %d, paths %d; want in HEAD, carried by 2 commits, 1 path", g.InHead, g.Commits, g.Paths)
	}
	if fs[1].Author != "" || fs[1].InHead != nil || fs[1].Commits != 0 {
		t.Errorf("a file finding was attributed: %+v", fs[1])
	}
	if len(out.Errors()) != 0 || out.Found() != 0 {
		t.Errorf("Enrich recorded %v errors and %d findings, want none", out.Errors(), out.Found())
	}
}

// TestEnrichCountsCarriersFromRawDiffs: attribution, run by the pipeline
// after the scan, counts the commits that carry each secret from the blob
// pass's raw diffs, not by reading every commit's tree (which cost a
// second on grpc-go's 6,800 commits).
func TestEnrichCountsCarriersFromRawDiffs(t *testing.T) {
	gitBin := requireGit(t)
	f := buildEdges(t)
	before := carriersFromTrees.Load()
	if fs := scanSource(t, New(f.r.dir, WithGitBinary(gitBin))).Findings(); len(fs) == 0 {
		t.Fatal("no findings")
	}
	if n := carriersFromTrees.Load() - before; n != 0 {
		t.Errorf("carriers were counted from every commit's tree %d time(s)", n)
	}
}
