package git

import (
	"testing"
)

func TestStaged(t *testing.T) {
	key, key2 := fakeAWSKey(7), fakeAWSKey(8)
	engines(t, func(t *testing.T, opts ...Option) {
		r := newRepo(t)
		// Before the first commit everything staged is new.
		r.write("a.env", "A="+key+"\n")
		r.git("add", "a.env")
		col := scanSource(t, NewStaged(r.dir, opts...))
		if fs := col.Findings(); len(fs) != 1 || fs[0].Secret != key || fs[0].Path != "a.env" || fs[0].Line != 1 || fs[0].Commit != "" {
			t.Fatalf("first commit: %+v (errors %v)", fs, col.Errors())
		}
		r.commit("one")

		// Only added lines count; an unstaged edit is not scanned.
		r.write("a.env", "# header\nA="+key+"\nB="+key2+"\n")
		col = scanSource(t, NewStaged(r.dir, opts...))
		if fs := col.Findings(); len(fs) != 0 {
			t.Errorf("nothing staged: %+v", fs)
		}
		r.git("add", "a.env")
		col = scanSource(t, NewStaged(r.dir, opts...))
		if fs := col.Findings(); len(fs) != 1 || fs[0].Secret != key2 || fs[0].Line != 3 {
			t.Errorf("added line: %+v", fs)
		}
		// Binary files are noted, not scanned.
		r.write("x.bin", "\x00\x00"+key2)
		r.git("add", "x.bin")
		col = scanSource(t, NewStaged(r.dir, opts...))
		if len(col.Skips()) == 0 {
			t.Errorf("binary file not noted")
		}
	})
}
