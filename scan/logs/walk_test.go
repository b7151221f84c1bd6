package logs

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
)

// A directory of logs walked with the shared walker: a FIFO (which would
// block the scan for ever) and a symlink loop are never opened or
// entered, each counted in one note, and the real log is scanned.
func TestWalkSkipsSpecialFilesAndLinks(t *testing.T) {
	fk := newFakes(14)
	a := fk.checksummed("ghp")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.log"), []byte("token "+a+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.log"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := os.Symlink(".", filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	col := &scan.Collector{}
	if err := New([]string{dir}).Scan(context.Background(), defaultEngine(t), col); err != nil {
		t.Fatal(err)
	}
	if fs := col.Findings(); len(fs) != 1 || fs[0].Path != filepath.ToSlash(filepath.Join(dir, "app.log")) {
		t.Errorf("findings %v, want one in app.log", fs)
	}
	want := []scan.Skip{
		{Input: dir, Reason: "1 symlinks not followed (name a link's target to scan it)"},
		{Input: dir, Reason: "1 special files (FIFOs, devices, sockets) not read (name one to read it like standard input)"},
	}
	if diff := cmp.Diff(want, col.Skips()); diff != "" {
		t.Errorf("skips (-want +got):\n%s", diff)
	}
}
