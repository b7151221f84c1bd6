package scan

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// walkTree builds a tree with everything the skip list is about: a .git
// directory, vendored directories, a symlink loop, a FIFO, and plain files.
func walkTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, p := range []string{
		"a.txt", "src/b.txt", ".git/config", "src/.git/HEAD",
		"node_modules/x/index.js", "vendor/y.go", ".venv/lib/z.py", "__pycache__/c.pyc",
		"keep/vendored.txt",
	} {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A link back to the root: followed, it would never end.
	if err := os.Symlink("..", filepath.Join(root, "src", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "pipe"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return root
}

func TestWalkerSkipList(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    *Walker
		want []string
	}{
		{"default", &Walker{}, []string{
			".", ".venv", ".venv/lib", ".venv/lib/z.py", "__pycache__", "__pycache__/c.pyc", "a.txt",
			"keep", "keep/vendored.txt", "node_modules", "node_modules/x", "node_modules/x/index.js",
			"src", "src/b.txt", "vendor", "vendor/y.go",
		}},
		{"vendored", &Walker{Vendored: true}, []string{".", "a.txt", "keep", "keep/vendored.txt", "src", "src/b.txt"}},
		{"skip", &Walker{Vendored: true, Skip: func(p string) bool { return strings.HasSuffix(p, "/keep/") || strings.HasSuffix(p, "/a.txt") }},
			[]string{".", "src", "src/b.txt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := walkTree(t)
			var got []string
			err := tc.w.Walk(context.Background(), root, func(p string, d fs.DirEntry) error {
				rel, _ := filepath.Rel(root, p)
				got = append(got, filepath.ToSlash(rel))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("visited (-want +got):\n%s", diff)
			}
			out := &Collector{}
			tc.w.Note(out, "tree")
			want := []Skip{
				{Input: "tree", Reason: "1 symlinks not followed (name a link's target to scan it)"},
				{Input: "tree", Reason: "1 special files (FIFOs, devices, sockets) not read (name one to read it like standard input)"},
			}
			if diff := cmp.Diff(want, out.Skips()); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWalkerStopsWithContext: an ended context stops the walk at the next
// entry and is what Walk returns.
func TestWalkerStopsWithContext(t *testing.T) {
	root := walkTree(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := (&Walker{}).Walk(ctx, root, func(string, fs.DirEntry) error {
		n++
		cancel()
		return nil
	})
	if err != context.Canceled || n != 1 {
		t.Errorf("Walk = %v after %d entries, want context.Canceled after 1", err, n)
	}
}

// TestWalkerReportsUnreadable: a directory that cannot be read is passed
// to OnError and the walk goes on.
func TestWalkerReportsUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads every directory")
	}
	root := walkTree(t)
	locked := filepath.Join(root, "src")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	var bad []string
	w := &Walker{OnError: func(p string, err error) { bad = append(bad, p) }}
	seen := false
	if err := w.Walk(context.Background(), root, func(p string, d fs.DirEntry) error {
		seen = seen || filepath.Base(p) == "vendored.txt"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || bad[0] != locked || !seen {
		t.Errorf("errors %q (want %q), walk went on: %v", bad, locked, seen)
	}
}
