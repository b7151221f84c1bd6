package git

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// TestBlobCacheRescanIsIdentical scans each fixture three times: without a
// cache, filling one, and from it. All three give the same findings (every
// field: commit, carriers, in_head) and the same skip notes (binary, LFS,
// size cap come back from the cache), and the third reads no clean blob.
func TestBlobCacheRescanIsIdentical(t *testing.T) {
	gitBin := requireGit(t)
	for _, c := range []struct {
		name string
		dir  string
		opts []Option
	}{
		{"edges", buildEdges(t).r.dir, nil},
		{"history", buildHistory(t).r.dir, []Option{WithMaxFileSize(1024)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := append([]Option{WithGitBinary(gitBin)}, c.opts...)
			cache := t.TempDir()
			want := scanSource(t, New(c.dir, opts...))
			first := New(c.dir, append(opts, WithCache(cache))...)
			got1 := scanSource(t, first)
			second := New(c.dir, append(opts, WithCache(cache))...)
			got2 := scanSource(t, second)
			if len(want.Findings()) == 0 {
				t.Fatal("the scan found nothing")
			}
			for i, col := range []*scan.Collector{got1, got2} {
				if d := cmp.Diff(want.Findings(), col.Findings()); d != "" {
					t.Errorf("scan %d with the cache: findings differ (-without +with):\n%s", i+1, d)
				}
				if d := cmp.Diff(skipNotes(want), skipNotes(col)); d != "" {
					t.Errorf("scan %d with the cache: skip notes differ:\n%s", i+1, d)
				}
			}
			if first.CacheHits != 0 {
				t.Errorf("the first scan took %d blobs from an empty cache", first.CacheHits)
			}
			if second.CacheHits == 0 {
				t.Error("the second scan read every blob again")
			}
			files, _ := filepath.Glob(filepath.Join(cache, "git-blobs-*"))
			if len(files) != 1 {
				t.Fatalf("cache files: %v, want one", files)
			}
			st, err := os.Stat(files[0])
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("cache file mode %v, want 0600", st.Mode().Perm())
			}
			data, _ := os.ReadFile(files[0])
			for _, f := range want.Findings() {
				if bytes.Contains(data, []byte(f.Secret)) {
					t.Errorf("the cache file holds the secret of %s", f.Path)
				}
			}
		})
	}
}

// TestBlobCacheNewRuleRescans: a blob cached clean under one rule set is
// read again when a rule is added, and the new rule's finding is reported.
func TestBlobCacheNewRuleRescans(t *testing.T) {
	gitBin := requireGit(t)
	r := newRepo(t)
	r.write("notes.txt", "internal-token: zebra-7f3a9c2e41d8b6\n")
	r.commit("notes")
	r.write("other.txt", "nothing here\n")
	r.commit("other")
	cache := t.TempDir()
	opts := []Option{WithGitBinary(gitBin), WithCache(cache)}

	base := engine(t)
	if fs := scanSourceWith(t, New(r.dir, opts...), base).Findings(); len(fs) != 0 {
		t.Fatalf("built-in rules found %v", fs)
	}
	again := New(r.dir, opts...)
	scanSourceWith(t, again, base)
	if again.CacheHits == 0 {
		t.Fatal("the same rules read the clean blobs again")
	}

	extra, err := rules.ParseFile("zebra.toml", []byte("[[rule]]\nid = \"zebra-token\"\ndescription = \"zebra token\"\nkeywords = [\"zebra-\"]\nregex = 'zebra-[0-9a-f]{14}'\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	custom, err := base.Extend(extra)
	if err != nil {
		t.Fatal(err)
	}
	withRule := New(r.dir, opts...)
	fs := scanSourceWith(t, withRule, custom).Findings()
	if withRule.CacheHits != 0 {
		t.Errorf("a new rule took %d blobs from the old rules' cache", withRule.CacheHits)
	}
	if len(fs) != 1 || fs[0].RuleID != "zebra-token" || fs[0].Path != "notes.txt" {
		t.Errorf("with the new rule: %+v, want the zebra token in notes.txt", fs)
	}
}

// TestBlobCacheDamaged: a cache file that is not one, or is cut short, is
// a skip note naming it; the scan reads every blob, finds the same, and
// rewrites the file so the next scan uses it.
func TestBlobCacheDamaged(t *testing.T) {
	gitBin := requireGit(t)
	f := buildEdges(t)
	want := scanSource(t, New(f.r.dir, WithGitBinary(gitBin)))
	for name, damage := range map[string]func([]byte) []byte{
		"garbage":   func([]byte) []byte { return []byte("not a cache\n") },
		"truncated": func(b []byte) []byte { return b[:len(b)-7] },
		"bad state": func(b []byte) []byte { b = bytes.Clone(b); b[len(b)-9] = 0x7f; return b },
	} {
		t.Run(name, func(t *testing.T) {
			cache := t.TempDir()
			opts := []Option{WithGitBinary(gitBin), WithCache(cache)}
			scanSource(t, New(f.r.dir, opts...))
			files, _ := filepath.Glob(filepath.Join(cache, "git-blobs-*"))
			if len(files) != 1 {
				t.Fatalf("cache files: %v", files)
			}
			data, _ := os.ReadFile(files[0])
			if err := os.WriteFile(files[0], damage(data), 0o600); err != nil {
				t.Fatal(err)
			}
			h := New(f.r.dir, opts...)
			got := scanSource(t, h)
			if d := cmp.Diff(want.Findings(), got.Findings()); d != "" {
				t.Errorf("findings differ with a damaged cache:\n%s", d)
			}
			var noted bool
			for _, s := range got.Skips() {
				noted = noted || s.Input == cache && strings.Contains(s.Reason, files[0]) && strings.Contains(s.Reason, "not used")
			}
			if !noted || h.CacheHits != 0 {
				t.Errorf("damaged cache: skips %+v, %d hits; want a note naming %s and no hits", got.Skips(), h.CacheHits, files[0])
			}
			next := New(f.r.dir, opts...)
			scanSource(t, next)
			if next.CacheHits == 0 {
				t.Error("the damaged cache was not rewritten")
			}
		})
	}
}

// FuzzBlobCacheLoad: any file content either loads or is an error; never
// a panic or a hang.
func FuzzBlobCacheLoad(f *testing.F) {
	f.Add([]byte(cacheMagic + "k\n" + strings.Repeat("\x01", recordSize)))
	f.Add([]byte(cacheMagic + "k\n"))
	f.Add([]byte("junk"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		c, err := OpenBlobCache(dir, "k")
		if err != nil || c == nil {
			t.Fatalf("open empty: %v", err)
		}
		if err := os.WriteFile(c.path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err = OpenBlobCache(dir, "k")
		if c == nil {
			t.Fatalf("nil cache (err %v)", err)
		}
		if err != nil && c.Len() != 0 {
			t.Errorf("a cache that failed to load kept %d entries", c.Len())
		}
	})
}
