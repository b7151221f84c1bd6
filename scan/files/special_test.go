package files

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/secretlint/secretlint/scan"
)

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

// TestSpecialFilesInWalkAreSkipped: a FIFO inside a directory would block
// the walk for ever; it is counted in one note and never opened.
func TestSpecialFilesInWalkAreSkipped(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.env"), []byte("k="+testKey+"\n"))
	mkfifo(t, filepath.Join(dir, "pipe"))
	done := make(chan result, 1)
	go func() { done <- run(t, []string{dir}) }()
	select {
	case r := <-done:
		if diff := cmp.Diff([]string{filepath.ToSlash(filepath.Join(dir, "a.env")) + ":1"}, r.found); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
		if len(r.skipped) != 1 || !strings.Contains(r.skipped[0], "1 special files") {
			t.Errorf("skips %q, want one note counting the FIFO", r.skipped)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the walk blocked on a FIFO")
	}
}

// TestFIFOArgument: a FIFO named on the command line is read like
// standard input, up to --max-file-size.
func TestFIFOArgument(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	mkfifo(t, fifo)
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		io.WriteString(f, "x\nk="+testKey+"\n")
		// Endless after the secret, as a device would be.
		pad := []byte(strings.Repeat("y\n", 1024))
		for {
			if _, err := f.Write(pad); err != nil {
				return
			}
		}
	}()
	done := make(chan result, 1)
	go func() { done <- run(t, []string{fifo}, WithMaxFileSize(64<<10)) }()
	select {
	case r := <-done:
		if diff := cmp.Diff([]string{filepath.ToSlash(fifo) + ":2"}, r.found); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
		if len(r.skipped) != 1 || !strings.Contains(r.skipped[0], "--max-file-size") {
			t.Errorf("skips %q, want the read stopped at --max-file-size", r.skipped)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("an endless FIFO was read past --max-file-size")
	}
}

// TestFIFOArgumentCancelled: a FIFO nobody writes to blocks in open; the
// scan still ends when its context does.
func TestFIFOArgumentCancelled(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	mkfifo(t, fifo)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- New([]string{fifo}).Scan(ctx, engine(t), &scan.Collector{}) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Scan returned no error after its context ended")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Scan ignored its context while a FIFO blocked")
	}
}

// TestStdinCancelled: standard input that never delivers (an idle pipe)
// does not hold the scan past its context.
func TestStdinCancelled(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- New([]string{Stdin}, WithStdin(pr)).Scan(ctx, engine(t), &scan.Collector{}) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Scan ignored its context while standard input was idle")
	}
}
