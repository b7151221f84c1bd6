package git

import (
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
)

func rawEntry(mode, name string, id byte) []byte {
	b := append([]byte(mode+" "+name+"\x00"), make([]byte, 20)...)
	b[len(b)-1] = id
	return b
}

func TestParseTree(t *testing.T) {
	data := append(rawEntry("100644", "a.txt", 1), rawEntry("40000", "dir", 2)...)
	data = append(data, rawEntry("160000", "sub", 3)...)
	got := parseTree(data, 20)
	want := map[string]filemode.FileMode{"a.txt": filemode.Regular, "dir": filemode.Dir, "sub": filemode.Submodule}
	for name, mode := range want {
		e, ok := got[name]
		if !ok || e.mode != mode || e.hash == plumbing.ZeroHash {
			t.Errorf("%s: %+v, %v", name, e, ok)
		}
	}
	// Truncated and garbage data yield what parsed cleanly before it.
	if n := len(parseTree(data[:len(data)-5], 20)); n != 2 {
		t.Errorf("truncated tree: %d entries, want 2", n)
	}
	if n := len(parseTree([]byte("garbage"), 20)); n != 0 {
		t.Errorf("garbage: %d entries", n)
	}
}

func FuzzParseTree(f *testing.F) {
	f.Add(append(rawEntry("100644", "a.txt", 1), rawEntry("40000", "dir", 2)...))
	f.Add([]byte("100644 x\x00short"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for name := range parseTree(data, 20) {
			if len(name) > len(data) {
				t.Fatalf("name %q longer than the input", name)
			}
		}
	})
}
