package logs

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/secretlint/secretlint/scan"
)

// follower runs a follow-mode scan of one real file in the background and
// hands its hits and notices to the test as they happen.
type follower struct {
	hits    chan Hit
	notices chan string
	done    chan struct{}
	col     *scan.Collector
	cancel  context.CancelFunc
}

func startFollow(t *testing.T, path string) *follower {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	fl := &follower{hits: make(chan Hit, 100), notices: make(chan string, 100), done: make(chan struct{}), col: &scan.Collector{}, cancel: cancel}
	src := New([]string{path}, WithFollow(true), WithPollInterval(10*time.Millisecond),
		WithOnHit(func(h Hit) { fl.hits <- h }),
		WithNotice(func(input, msg string) { fl.notices <- input + ": " + msg }))
	eng := defaultEngine(t)
	go func() {
		defer close(fl.done)
		if err := src.Scan(ctx, eng, fl.col); err != nil {
			t.Error(err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-fl.done
	})
	return fl
}

const waitLimit = 10 * time.Second

func (fl *follower) wantHit(t *testing.T, secret string, line int) {
	t.Helper()
	select {
	case h := <-fl.hits:
		if h.Secret != secret || h.Line != line {
			t.Fatalf("hit %s on line %d, want %s on line %d", Redacted(h.Secret), h.Line, Redacted(secret), line)
		}
	case <-time.After(waitLimit):
		t.Fatalf("no hit for %s (line %d) within %v", Redacted(secret), line, waitLimit)
	}
}

func (fl *follower) wantNotice(t *testing.T, part string) {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		select {
		case n := <-fl.notices:
			if strings.Contains(n, part) {
				return
			}
		case <-deadline:
			t.Fatalf("no notice containing %q within %v", part, waitLimit)
		}
	}
}

func (fl *follower) noHit(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case h := <-fl.hits:
		t.Fatalf("unexpected hit %s on line %d", Redacted(h.Secret), h.Line)
	case <-time.After(d):
	}
}

// Redacted is scan.Redact, so test failures never print a whole token.
func Redacted(s string) string { return scan.Redact(s) }

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestFollow(t *testing.T) {
	fk := newFakes(9)
	tok := func() string { return fk.checksummed("ghp") }
	dir := t.TempDir()
	path := filepath.Join(dir, "app.log")
	a, b, c, d, e, g := tok(), tok(), tok(), tok(), tok(), tok()
	appendTo(t, path, "started\ntoken "+a+"\n")
	fl := startFollow(t, path)
	fl.wantHit(t, a, 2)

	// Growth, with a line written in two parts: reported once complete.
	appendTo(t, path, "token "+b[:10])
	fl.noHit(t, 100*time.Millisecond)
	appendTo(t, path, b[10:]+" done\n")
	fl.wantHit(t, b, 3)

	// Truncation: read again from the start, lines counted afresh.
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	fl.wantNotice(t, "truncated")
	appendTo(t, path, "x\n"+c+"\n")
	fl.wantHit(t, c, 2)

	// Rotation: the old file is finished, the new one read from its start.
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path+".1", "late write "+d+"\n")
	fl.wantHit(t, d, 3)
	appendTo(t, path, e+"\n")
	fl.wantNotice(t, "rotated")
	fl.wantHit(t, e, 1)

	// A last line without a newline is scanned when the scan ends, even
	// after the file was deleted; the deletion is reported.
	appendTo(t, path, "partial "+g)
	time.Sleep(50 * time.Millisecond)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	fl.wantNotice(t, "deleted")
	fl.cancel()
	select {
	case <-fl.done:
	case <-time.After(waitLimit):
		t.Fatal("follow did not stop after cancel")
	}
	fl.wantHit(t, g, 2)
	errs := fl.col.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "deleted while followed") || errs[0].Input != filepath.ToSlash(path) {
		t.Errorf("errors %v, want one naming %s as deleted", errs, path)
	}
	if n := len(fl.col.Findings()); n != 6 {
		t.Errorf("%d findings recorded, want 6", n)
	}
}

func TestFollowWaitsForMissingFile(t *testing.T) {
	fk := newFakes(10)
	a := fk.checksummed("ghp")
	path := filepath.Join(t.TempDir(), "later.log")
	fl := startFollow(t, path)
	fl.wantNotice(t, "does not exist")
	appendTo(t, path, fmt.Sprintf("token %s\n", a))
	fl.wantHit(t, a, 1)
}

// A quiet pipe (kubectl logs -f with nothing to say) must not keep the
// scan from ending when it is interrupted, and what came before is found.
func TestStdinInterruptedWhileBlocked(t *testing.T) {
	fk := newFakes(12)
	a := fk.checksummed("ghp")
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hits := make(chan Hit, 10)
	col := &scan.Collector{}
	done := make(chan struct{})
	src := New([]string{Stdin}, WithStdin(pr), WithFollow(true), WithOnHit(func(h Hit) { hits <- h }))
	eng := defaultEngine(t)
	go func() {
		defer close(done)
		src.Scan(ctx, eng, col)
	}()
	if _, err := pw.Write([]byte("pod started\ntoken " + a + "\n")); err != nil {
		t.Fatal(err)
	}
	select {
	case h := <-hits:
		if h.Line != 2 {
			t.Errorf("hit on line %d, want 2", h.Line)
		}
	case <-time.After(waitLimit):
		t.Fatal("no hit while the pipe stays open")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatal("scan did not end when interrupted during a blocked read")
	}
}

// A log file that appears in a followed directory after the scan began
// (a new pod, a new CI job) is followed from its start.
func TestFollowDirectoryPicksUpNewFiles(t *testing.T) {
	fk := newFakes(11)
	a, b := fk.checksummed("ghp"), fk.checksummed("ghp")
	dir := t.TempDir()
	appendTo(t, filepath.Join(dir, "first.log"), fmt.Sprintf("boot\ntoken %s\n", a))
	fl := startFollow(t, dir)
	fl.wantHit(t, a, 2)
	if err := os.MkdirAll(filepath.Join(dir, "jobs"), 0o755); err != nil {
		t.Fatal(err)
	}
	appendTo(t, filepath.Join(dir, "jobs", "second.log"), fmt.Sprintf("token %s\n", b))
	fl.wantNotice(t, "second.log: appeared")
	fl.wantHit(t, b, 1)
	fl.noHit(t, 100*time.Millisecond)
}

// A copytruncate rotation followed at once by a burst of new lines longer
// than what had been read: the size never drops below the read position
// between two polls, yet the new lines must be read from the start.
func TestFollowTruncateAndRefill(t *testing.T) {
	fk := newFakes(11)
	a, c := fk.checksummed("ghp"), fk.checksummed("ghp")
	path := filepath.Join(t.TempDir(), "app.log")
	appendTo(t, path, "started\ntoken "+a+"\n")
	fl := startFollow(t, path)
	fl.wantHit(t, a, 2)
	for round := 0; round < 5; round++ {
		// Truncate and refill in one open and one write: microseconds apart,
		// well within one 10 ms poll interval.
		burst := "rotated " + fmt.Sprint(round) + "\ntoken " + c + "\n" + strings.Repeat("filler line after the token\n", 8)
		if err := os.WriteFile(path, []byte(burst), 0o600); err != nil {
			t.Fatal(err)
		}
		fl.wantHit(t, c, 2)
		time.Sleep(30 * time.Millisecond)
	}
}

// An interrupted scan of a quiet pipe leaves no reader behind: once Scan
// returns, the next bytes written to the pipe reach whoever reads it next,
// not a goroutine still blocked in Read (which took them before).
func TestInterruptedPipeLeavesNoReader(t *testing.T) {
	fk := newFakes(13)
	a := fk.checksummed("ghp")
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hits := make(chan Hit, 10)
	done := make(chan struct{})
	src := New([]string{Stdin}, WithStdin(pr), WithFollow(true), WithOnHit(func(h Hit) { hits <- h }))
	eng := defaultEngine(t)
	go func() {
		defer close(done)
		src.Scan(ctx, eng, &scan.Collector{})
	}()
	if _, err := pw.Write([]byte("token " + a + "\n")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-hits:
	case <-time.After(waitLimit):
		t.Fatal("no hit while the pipe stays open")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(waitLimit):
		t.Fatal("scan did not end when interrupted during a blocked read")
	}
	if _, err := pw.Write([]byte("after\n")); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	rest, err := io.ReadAll(pr)
	if err != nil {
		t.Fatalf("read the pipe after the scan: %v (a read deadline left set?)", err)
	}
	if string(rest) != "after\n" {
		t.Errorf("read %q after the scan, want %q: a reader left behind took it", rest, "after\n")
	}
}

// The read mark describes the bytes the follower read, not what the file
// holds when it looks again: a truncate-and-refill to the same size that
// lands right after a read (before the next poll) must be seen, or the
// refilled lines are never scanned. This is the order of events that made
// TestFollowTruncateAndRefill miss a round under load.
func TestReadMarkSeesRefillAfterRead(t *testing.T) {
	fk := newFakes(17)
	c := fk.checksummed("ghp")
	path := filepath.Join(t.TempDir(), "app.log")
	write := func(round int) {
		// Same length every round; only the round digit differs.
		if err := os.WriteFile(path, []byte(fmt.Sprintf("rotated %d\ntoken %s\n%s", round, c, strings.Repeat("filler line after the token\n", 8))), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(0)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []Hit
	st := newStream(defaultEngine(t), &scan.Origin{Source: scan.SourceLog, Path: path}, 1<<20, func(h Hit) { got = append(got, h) })
	var m readMark
	m.reset(f)
	src := New(nil)
	if err := src.readAvailable(f, st, &m); err != nil {
		t.Fatal(err)
	}
	if m.rewritten() {
		t.Fatal("rewritten before any change")
	}
	write(1) // after the read, before the next poll
	if !m.rewritten() {
		t.Fatal("a same-size refill after the read went unnoticed")
	}
	// A file that only grew is not rewritten.
	m.reset(f)
	f.Seek(0, io.SeekStart)
	if err := src.readAvailable(f, st, &m); err != nil {
		t.Fatal(err)
	}
	appendTo(t, path, "one more line\n")
	if m.rewritten() {
		t.Error("growth taken for a rewrite")
	}
}
