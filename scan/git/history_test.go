package git

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
)

// historyFixture is a repository whose history exercises every way a secret
// can enter it. keys[name] is the secret, commits[name] the commit that
// introduced it.
type historyFixture struct {
	r       *repo
	keys    map[string]string
	commits map[string]string
}

var (
	sharedOnce sync.Once
	shared     *historyFixture
)

// buildHistory returns the history fixture, built once per test binary;
// tests only read it.
func buildHistory(t *testing.T) *historyFixture {
	t.Helper()
	requireGit(t)
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "secretlint-git-history-")
		if err != nil {
			t.Fatal(err)
		}
		shared = buildHistoryIn(t, dir)
	})
	if shared == nil {
		t.Fatal("history fixture failed to build")
	}
	f, r := *shared, *shared.r
	r.t = t
	f.r = &r
	return &f
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		os.RemoveAll(shared.r.dir)
	}
	os.Exit(code)
}

func buildHistoryIn(t *testing.T, dir string) *historyFixture {
	t.Helper()
	r := &repo{t: t, dir: dir}
	r.git("init", "-q", "-b", "main")
	f := &historyFixture{r: r, keys: map[string]string{}, commits: map[string]string{}}
	for i, n := range []string{"kept", "feature", "deleted", "evil", "stash", "tagged", "wip", "binary", "large", "later", "oldstash"} {
		f.keys[n] = fakeAWSKey(int64(100 + i))
	}
	k := f.keys

	r.write("README.md", "# demo\n")
	r.write("config/app.env", "MODE=dev\nAWS_ACCESS_KEY_ID="+k["kept"]+"\n")
	f.commits["kept"] = r.commit("add config")
	r.git("repack", "-q", "-d") // first pack file

	r.write("config/app.env", "MODE=prod\nAWS_ACCESS_KEY_ID="+k["kept"]+"\n")
	r.commit("switch to prod") // the secret stays: no new finding

	r.git("mv", "config/app.env", "config/prod.env")
	r.commit("rename config") // a rename brings no new text

	r.git("checkout", "-q", "-b", "feature")
	r.write("feature.txt", "key = "+k["feature"]+"\n")
	f.commits["feature"] = r.commit("feature work")

	r.git("checkout", "-q", "main")
	r.write("other.txt", "one\ntwo "+k["deleted"]+"\n")
	f.commits["deleted"] = r.commit("add other")
	r.git("rm", "-q", "other.txt")
	r.commit("remove other")

	// An evil merge: the merge commit itself adds a line neither parent has.
	r.git("merge", "-q", "--no-ff", "--no-commit", "feature")
	r.write("README.md", "# demo\nmerged with "+k["evil"]+"\n")
	r.tick++
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "merge feature")
	f.commits["evil"] = r.git("rev-parse", "HEAD")

	// Only a tag reaches this commit.
	r.git("checkout", "-q", "-b", "tmp")
	r.write("tagged.txt", k["tagged"]+"\n")
	f.commits["tagged"] = r.commit("tagged only")
	r.tick++
	r.git("tag", "-a", "v1", "-m", "release")
	r.git("checkout", "-q", "main")
	r.git("branch", "-q", "-D", "tmp")

	// An unmerged branch.
	r.git("checkout", "-q", "-b", "wip")
	r.write("wip.txt", "x\n"+k["wip"]+"\n")
	f.commits["wip"] = r.commit("wip")
	r.git("checkout", "-q", "main")

	// Binary, LFS pointer, submodule, large file.
	r.write("blob.bin", "\x00\x01binary "+k["binary"]+"\n")
	r.write("model.bin", "version https://git-lfs.github.com/spec/v1\noid sha256:"+strings.Repeat("ab", 32)+"\nsize 1234\n")
	r.write("big.txt", strings.Repeat("filler line\n", 200)+k["large"]+"\n")
	r.git("add", "-A")
	r.git("update-index", "--add", "--cacheinfo", "160000,"+f.commits["kept"]+",vendor/lib")
	r.tick++
	r.git("commit", "-q", "-m", "assets")
	f.commits["binary"] = r.git("rev-parse", "HEAD")
	f.commits["large"] = f.commits["binary"]

	r.write("notes.md", "later: "+k["later"]+"\n")
	f.commits["later"] = r.commit("later")
	r.git("repack", "-q") // a second pack file
	r.git("pack-refs", "--all")

	// An older stash entry, reachable only through the stash reflog.
	r.write("notes.md", "later: "+k["later"]+"\nold stash "+k["oldstash"]+"\n")
	r.tick++
	r.git("stash", "-q")
	f.commits["oldstash"] = r.git("rev-parse", "refs/stash")

	// A stash of an unstaged change.
	r.write("README.md", "# demo\nmerged with "+k["evil"]+"\nstash "+k["stash"]+"\n")
	r.tick++
	r.git("stash", "-q")
	f.commits["stash"] = r.git("rev-parse", "refs/stash")
	return f
}

// engines runs a test with git's diff machinery and with go-git alone.
func engines(t *testing.T, fn func(t *testing.T, opts ...Option)) {
	gitBin := requireGit(t)
	t.Run("git-binary", func(t *testing.T) { fn(t, WithGitBinary(gitBin)) })
	t.Run("go-git", func(t *testing.T) { fn(t, WithGitBinary("")) })
}

func TestHistoryAttribution(t *testing.T) {
	f := buildHistory(t)
	packs, _ := filepath.Glob(filepath.Join(f.r.dir, ".git/objects/pack/*.pack"))
	if len(packs) < 2 {
		t.Fatalf("fixture should have several pack files, has %d", len(packs))
	}
	engines(t, func(t *testing.T, opts ...Option) {
		col := scanSource(t, New(f.r.dir, append(opts, WithMaxFileSize(1024))...))
		for _, e := range col.Errors() {
			t.Errorf("unexpected error: %v", e)
		}
		got := bySecret(col.Findings())
		want := []string{"kept", "feature", "deleted", "evil", "stash", "oldstash", "tagged", "wip", "later"}
		for _, name := range want {
			fs := got[f.keys[name]]
			if len(fs) != 1 {
				t.Errorf("%s: %d findings, want 1: %+v", name, len(fs), fs)
				continue
			}
			if fs[0].Commit != f.commits[name] {
				t.Errorf("%s: attributed to %s, want %s", name, fs[0].Commit, f.commits[name])
			}
			if fs[0].Source != scan.SourceGit || fs[0].Author != "Ada Author" || fs[0].Email != "ada@example.test" || fs[0].Date == "" || fs[0].CommitTitle == "" {
				t.Errorf("%s: commit details missing: %+v", name, fs[0])
			}
			if fs[0].Fingerprint != scan.Fingerprint(fs[0].RuleID, fs[0].Path, fs[0].Secret) {
				t.Errorf("%s: fingerprint %s depends on more than rule, path and secret", name, fs[0].Fingerprint)
			}
		}
		for _, name := range []string{"binary", "large"} {
			if fs := got[f.keys[name]]; len(fs) != 0 {
				t.Errorf("%s: found %+v, want it skipped", name, fs)
			}
		}
		kept := got[f.keys["kept"]]
		if len(kept) == 1 {
			k := kept[0]
			if k.Path != "config/app.env" || k.Line != 2 || k.Column != 19 {
				t.Errorf("kept: at %s:%d:%d, want config/app.env:2:19", k.Path, k.Line, k.Column)
			}
			// HEAD has the file under its new name: only git grep sees that.
			wantHead := opts[0] != nil && gitBinaryUsed(opts)
			if k.Commits != 2 || k.InHead == nil || *k.InHead != wantHead {
				t.Errorf("kept: commits=%d in_head=%v, want 2 commits and in_head %v", k.Commits, *k.InHead, wantHead)
			}
		}
		if l := got[f.keys["later"]]; len(l) == 1 && (l[0].InHead == nil || !*l[0].InHead) {
			t.Errorf("later: in_head=%v, want true", l[0].InHead)
		}
		if d := got[f.keys["deleted"]]; len(d) == 1 && (d[0].Commits != 1 || *d[0].InHead) {
			t.Errorf("deleted: commits=%d in_head=%v, want 1 and false", d[0].Commits, *d[0].InHead)
		}
		var reasons []string
		for _, s := range col.Skips() {
			reasons = append(reasons, s.Input+": "+s.Reason)
		}
		sort.Strings(reasons)
		for _, want := range []string{"big.txt: larger than", "blob.bin: binary", "model.bin: Git LFS pointer", "vendor/lib: submodule"} {
			found := false
			for _, r := range reasons {
				found = found || strings.HasPrefix(r, want)
			}
			if !found {
				t.Errorf("no skip note %q in %q", want, reasons)
			}
		}
	})
}

func TestHistoryBinaryFlag(t *testing.T) {
	f := buildHistory(t)
	engines(t, func(t *testing.T, opts ...Option) {
		col := scanSource(t, New(f.r.dir, append(opts, WithBinary(true))...))
		got := bySecret(col.Findings())
		for _, name := range []string{"binary", "large"} {
			if fs := got[f.keys[name]]; len(fs) != 1 || fs[0].Commit != f.commits[name] {
				t.Errorf("%s with --binary and no size limit: %+v", name, fs)
			}
		}
	})
}

func TestHistorySelection(t *testing.T) {
	f := buildHistory(t)
	head := f.r.git("rev-parse", "main")
	deletedParent := f.r.git("rev-parse", f.commits["deleted"]+"^")
	root := f.r.git("rev-list", "--max-parents=0", "main")
	zero := strings.Repeat("0", 40)
	tests := []struct {
		name string
		opts []Option
		want []string
	}{
		{"branch main", []Option{WithBranch("main")}, []string{"kept", "feature", "deleted", "evil", "later"}},
		{"branch wip", []Option{WithBranch("wip")}, []string{"kept", "feature", "deleted", "evil", "wip"}},
		{"range", []Option{WithRange(deletedParent + ".." + head)}, []string{"deleted", "evil", "later", "feature"}},
		{"range three dots", []Option{WithRange(deletedParent + "..." + head)}, []string{"deleted", "evil", "later", "feature"}},
		{"range single commit", []Option{WithRange(f.commits["deleted"])}, []string{"deleted"}},
		{"range commit only", []Option{WithRange(f.commits["evil"] + "^!")}, []string{"evil"}},
		{"range new branch", []Option{WithRange(zero + "..wip")}, []string{"wip"}},
		{"range root commit", []Option{WithRange(root + "^.." + root)}, []string{"kept"}},
		{"since commit", []Option{WithSinceCommit(f.commits["deleted"])}, []string{"evil", "later", "feature"}},
		{"tag", []Option{WithBranch("v1")}, []string{"kept", "feature", "deleted", "evil", "tagged"}},
		{"dates", []Option{WithBranch("main"), WithDates(commitTime(t, f.r, f.commits["deleted"]), time.Time{})}, []string{"deleted", "evil", "later"}},
		{"until", []Option{WithBranch("main"), WithDates(time.Time{}, commitTime(t, f.r, f.commits["kept"]))}, []string{"kept"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			engines(t, func(t *testing.T, opts ...Option) {
				col := scanSource(t, New(f.r.dir, append(append(opts, WithMaxFileSize(1024)), tc.opts...)...))
				var got []string
				for name, key := range f.keys {
					if len(bySecret(col.Findings())[key]) > 0 {
						got = append(got, name)
					}
				}
				sort.Strings(got)
				want := append([]string(nil), tc.want...)
				sort.Strings(want)
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("secrets found (-want +got):\n%s", d)
				}
			})
		})
	}
}

func commitTime(t *testing.T, r *repo, commit string) time.Time {
	var sec int64
	fmt.Sscan(r.git("show", "-s", "--format=%ct", commit), &sec)
	return time.Unix(sec, 0)
}

func TestHistoryBareAndShallow(t *testing.T) {
	f := buildHistory(t)
	bare := filepath.Join(t.TempDir(), "bare.git")
	f.r.git("clone", "-q", "--bare", f.r.dir, bare)
	shallow := filepath.Join(t.TempDir(), "shallow")
	f.r.git("clone", "-q", "--depth", "2", "--no-single-branch", "file://"+f.r.dir, shallow)
	engines(t, func(t *testing.T, opts ...Option) {
		col := scanSource(t, New(bare, opts...))
		got := bySecret(col.Findings())
		for _, name := range []string{"kept", "feature", "deleted", "evil", "tagged", "wip", "later"} {
			if fs := got[f.keys[name]]; len(fs) != 1 || fs[0].Commit != f.commits[name] {
				t.Errorf("bare: %s: %+v", name, fs)
			}
		}
		col = scanSource(t, New(shallow, opts...))
		if len(col.Errors()) != 0 {
			t.Errorf("shallow: errors %v", col.Errors())
		}
		said := false
		for _, s := range col.Skips() {
			said = said || strings.Contains(s.Reason, "shallow")
		}
		if !said {
			t.Errorf("shallow clone not reported: skips %+v", col.Skips())
		}
		if fs := bySecret(col.Findings())[f.keys["later"]]; len(fs) != 1 {
			t.Errorf("shallow: later: %+v", fs)
		}
	})
}

func TestHistoryEmptyRepository(t *testing.T) {
	r := newRepo(t)
	engines(t, func(t *testing.T, opts ...Option) {
		col := scanSource(t, New(r.dir, opts...))
		if len(col.Findings())+len(col.Errors()) != 0 {
			t.Errorf("empty repository: %v %v", col.Findings(), col.Errors())
		}
	})
}

func TestHistoryNotARepository(t *testing.T) {
	err := New(t.TempDir()).Scan(t.Context(), engine(t), &scan.Collector{})
	if err == nil || !strings.Contains(err.Error(), "open git repository") {
		t.Errorf("got %v, want an error naming the directory", err)
	}
}

// gitBinaryUsed reports whether the options leave the git binary on.
func gitBinaryUsed(opts []Option) bool {
	o := newOptions(opts)
	return o.useGitBin
}
