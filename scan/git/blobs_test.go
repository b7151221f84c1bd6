package git

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
)

// diffEveryCommit makes the scan diff every commit, as it did before the
// blob pass: the reference the blob pass must match.
func diffEveryCommit(o *options) { o.diffAll = true }

// edgeFixture is a history with the cases a scan of whole blobs could get
// wrong: a secret completed by a later commit (the delta from the earlier
// blob inserts only its tail), one re-added after deletion, one added while
// renaming a file, one a merge brings in from a branch, one moved within a
// file, and a secret split over a merge's parents.
type edgeFixture struct {
	r       *repo
	keys    map[string]string
	commits map[string]string
}

func buildEdges(t *testing.T) *edgeFixture {
	t.Helper()
	r := newRepo(t)
	f := &edgeFixture{r: r, keys: map[string]string{}, commits: map[string]string{}}
	for i, n := range []string{"split", "readd", "renamed", "branch", "conflict"} {
		f.keys[n] = fakeAWSKey(int64(300 + i))
	}
	k := f.keys
	filler := strings.Repeat("some ordinary configuration line\n", 20)

	r.write("a.txt", filler+"token = "+k["split"][:12]+"\n")
	r.commit("half a token")
	r.write("a.txt", filler+"token = "+k["split"]+"\n")
	f.commits["split"] = r.commit("finish the token")

	r.write("keys/dev.env", "AWS_ACCESS_KEY_ID="+k["readd"]+"\n")
	f.commits["readd"] = r.commit("add dev keys")
	r.git("rm", "-q", "keys/dev.env")
	f.commits["readd-deleted"] = r.commit("remove dev keys")
	r.write("keys/dev.env", "AWS_ACCESS_KEY_ID="+k["readd"]+"\n")
	f.commits["readd-again"] = r.commit("restore dev keys")

	r.write("b/.keep", "")
	r.git("mv", "a.txt", "b/a2.txt")
	r.write("b/a2.txt", filler+"token = "+k["split"]+"\nsecond = "+k["renamed"]+"\n")
	f.commits["renamed"] = r.commit("move a.txt, add a key")

	r.git("checkout", "-q", "-b", "side")
	r.write("side.txt", "k="+k["branch"]+"\n")
	f.commits["branch"] = r.commit("side work")
	r.write("shared.txt", "side version\n")
	r.commit("side edits shared")
	r.git("checkout", "-q", "main")
	r.write("shared.txt", "main version\n")
	r.commit("main edits shared")
	// The merge resolves the conflict with a line neither parent has.
	r.tick++
	r.gitFails("merge", "-q", "side")
	r.write("shared.txt", "resolved "+k["conflict"]+"\n")
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "merge side")
	f.commits["conflict"] = r.git("rev-parse", "HEAD")

	// Moving a line makes the diff show it as added; the secret keeps its
	// first commit.
	r.write("b/a2.txt", "second = "+k["renamed"]+"\n"+filler+"token = "+k["split"]+"\n")
	r.commit("move a line")
	return f
}

func TestBlobPassAttribution(t *testing.T) {
	f := buildEdges(t)
	gitBin := requireGit(t)
	col := scanSource(t, New(f.r.dir, WithGitBinary(gitBin)))
	got := bySecret(col.Findings())
	want := map[string]struct{ path, commit string }{
		"split":    {"a.txt", f.commits["split"]},
		"readd":    {"keys/dev.env", f.commits["readd"]},
		"renamed":  {"b/a2.txt", f.commits["renamed"]},
		"branch":   {"side.txt", f.commits["branch"]},
		"conflict": {"shared.txt", f.commits["conflict"]},
	}
	for name, w := range want {
		fs := got[f.keys[name]]
		if len(fs) != 1 || fs[0].Path != w.path || fs[0].Commit != w.commit {
			t.Errorf("%s: %+v, want one finding at %s in %s", name, fs, w.path, w.commit)
		}
	}
	// The re-added key is in the tree of the commit that added it and of
	// every commit from the re-add on: 8 commits, on main and side.
	if fs := got[f.keys["readd"]]; len(fs) == 1 && fs[0].Commits != 8 {
		t.Errorf("readd: in %d commits, want 8", fs[0].Commits)
	}

	// A range that starts after the deletion sees the re-added secret as new.
	col = scanSource(t, New(f.r.dir, WithGitBinary(gitBin), WithRange(f.commits["readd-deleted"]+".."+f.commits["readd-again"])))
	fs := col.Findings()
	if len(fs) != 1 || fs[0].Secret != f.keys["readd"] || fs[0].Commit != f.commits["readd-again"] {
		t.Errorf("range after the deletion: %+v, want the re-added key in %s", fs, f.commits["readd-again"])
	}
}

// TestBlobPassMatchesDiffingEveryCommit compares the blob pass with diffing
// every commit on each fixture, whole history and ranges: the same findings
// in every field (commit, line, carriers, in_head) and the same skip notes.
func TestBlobPassMatchesDiffingEveryCommit(t *testing.T) {
	gitBin := requireGit(t)
	edges := buildEdges(t)
	hist := buildHistory(t)
	cases := []struct {
		name string
		dir  string
		opts []Option
	}{
		{"edges", edges.r.dir, nil},
		{"edges range", edges.r.dir, []Option{WithRange(edges.commits["readd-deleted"] + "..main")}},
		{"edges since", edges.r.dir, []Option{WithSinceCommit(edges.commits["readd"])}},
		{"edges branch", edges.r.dir, []Option{WithBranch("side")}},
		{"history", hist.r.dir, []Option{WithMaxFileSize(1024)}},
		{"history binary", hist.r.dir, []Option{WithBinary(true)}},
		{"history range", hist.r.dir, []Option{WithRange(hist.commits["deleted"] + "..main")}},
	}
	if bundle := corpusBundle(t); bundle != "" {
		cases = append(cases, struct {
			name string
			dir  string
			opts []Option
		}{"corpus", bundle, nil})
	}
	// Small histories are not split; split them into up to 3 slices, so
	// blobs claimed by one slice's reader and named in another's listing
	// are tested too.
	defer func(n int) { splitAt = n }(splitAt)
	for _, split := range []int{256, 2} {
		splitAt = split
		for _, c := range cases {
			compareBlobPass(t, fmt.Sprintf("%s split %d", c.name, split), c.dir, append([]Option{WithGitBinary(gitBin), WithJobs(3)}, c.opts...))
		}
	}
}

func compareBlobPass(t *testing.T, name, dir string, opts []Option) {
	t.Run(name, func(t *testing.T) {
		want := scanSource(t, New(dir, append(opts, diffEveryCommit)...))
		got := scanSource(t, New(dir, opts...))
		if len(want.Findings()) == 0 {
			t.Fatal("the reference scan found nothing")
		}
		if d := cmp.Diff(want.Findings(), got.Findings()); d != "" {
			t.Errorf("findings differ (-diff every commit +blob pass):\n%s", d)
		}
		if d := cmp.Diff(skipNotes(want), skipNotes(got)); d != "" {
			t.Errorf("skip notes differ:\n%s", d)
		}
	})
}

func skipNotes(c *scan.Collector) []string {
	var out []string
	for _, s := range c.Skips() {
		out = append(out, s.Input+": "+s.Reason)
	}
	sort.Strings(out)
	return out
}

// gitFails runs a git command that is expected to fail (a merge that stops
// on a conflict).
func (r *repo) gitFails(args ...string) {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = r.env()
	if out, err := cmd.CombinedOutput(); err == nil {
		r.t.Fatalf("git %s succeeded, want it to stop:\n%s", strings.Join(args, " "), out)
	}
}

// corpusBundle clones the shared corpus repository, or returns "" when the
// corpus is not there.
func corpusBundle(t *testing.T) string {
	t.Helper()
	bundle := filepath.Join(corpusDir, "public", "repo.bundle")
	dir := t.TempDir()
	if out, err := exec.Command("git", "clone", "-q", "--mirror", bundle, dir).CombinedOutput(); err != nil {
		t.Logf("shared corpus not cloned: %v\n%s", err, out)
		return ""
	}
	return dir
}
