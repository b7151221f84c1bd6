package git

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// objectPath is where git keeps a loose object.
func objectPath(dir, id string) string {
	return filepath.Join(dir, ".git", "objects", id[:2], id[2:])
}

func TestHistoryDamagedRepository(t *testing.T) {
	keyA, keyB := fakeAWSKey(1), fakeAWSKey(2)
	tests := []struct {
		name string
		// damage breaks the repository and returns a string the error must name.
		damage func(t *testing.T, r *repo) string
	}{
		// git reads an unchanged work-tree file instead of its blob, so the
		// damaged blobs' files leave the work tree as in a partial clone.
		{"missing blob", func(t *testing.T, r *repo) string {
			id := r.git("rev-parse", "HEAD~1:a.txt")
			os.Remove(filepath.Join(r.dir, "a.txt"))
			if err := os.Remove(objectPath(r.dir, id)); err != nil {
				t.Fatal(err)
			}
			return id
		}},
		{"corrupt blob", func(t *testing.T, r *repo) string {
			id := r.git("rev-parse", "HEAD~1:a.txt")
			os.Remove(filepath.Join(r.dir, "a.txt"))
			p := objectPath(r.dir, id)
			os.Chmod(p, 0o644)
			if err := os.WriteFile(p, []byte("this is not zlib data"), 0o644); err != nil {
				t.Fatal(err)
			}
			return id
		}},
		{"broken ref", func(t *testing.T, r *repo) string {
			p := filepath.Join(r.dir, ".git", "refs", "heads", "broken")
			if err := os.WriteFile(p, []byte("not-a-commit-id\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return "refs/heads/broken"
		}},
		{"dangling ref", func(t *testing.T, r *repo) string {
			p := filepath.Join(r.dir, ".git", "refs", "heads", "gone")
			if err := os.WriteFile(p, []byte(strings.Repeat("ab", 20)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return "refs/heads/gone"
		}},
		{"truncated pack", func(t *testing.T, r *repo) string {
			packs, _ := filepath.Glob(filepath.Join(r.dir, ".git/objects/pack/*.pack"))
			if len(packs) != 1 {
				t.Fatalf("want one pack, have %d", len(packs))
			}
			fi, err := os.Stat(packs[0])
			if err != nil {
				t.Fatal(err)
			}
			os.Chmod(packs[0], 0o644)
			if err := os.Truncate(packs[0], fi.Size()/2); err != nil {
				t.Fatal(err)
			}
			return ""
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRepo(t)
			r.write("a.txt", "first "+keyA+"\n")
			r.commit("add a")
			if tc.name == "truncated pack" {
				r.git("repack", "-q", "-d")
			}
			r.write("b.txt", "second "+keyB+"\n")
			r.commit("add b")
			want := tc.damage(t, r)
			engines(t, func(t *testing.T, opts ...Option) {
				col := scanSource(t, New(r.dir, opts...))
				errs := col.Errors()
				if len(errs) == 0 {
					t.Fatalf("damage not reported; findings %v", col.Findings())
				}
				t.Logf("errors: %v", errs)
				named := false
				for _, e := range errs {
					named = named || strings.Contains(e.Error(), want)
				}
				if !named {
					t.Errorf("no error names %q: %v", want, errs)
				}
				if fs := bySecret(col.Findings())[keyB]; len(fs) != 1 {
					t.Errorf("the intact commit was not scanned: findings %v, errors %v", col.Findings(), errs)
				}
			})
		})
	}
}
