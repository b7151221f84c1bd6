package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A file name carrying terminal escape sequences must never reach the
// terminal raw: it could retitle the window, move the cursor or hide text.
func TestControlCharactersInNamesAreEscaped(t *testing.T) {
	const evil = "ci\x1b]0;owned\x07\x1b[2J.log"
	dir := t.TempDir()
	path := filepath.Join(dir, evil)
	tok := githubPAT(106)
	if err := os.WriteFile(path, []byte("token "+tok+"\n"), 0o600); err != nil {
		t.Skipf("file system refuses control characters in names: %v", err)
	}
	noESC := func(what, s string) {
		t.Helper()
		if strings.ContainsAny(s, "\x1b\x07") {
			t.Errorf("%s carries raw control characters: %q", what, s)
		}
		if !strings.Contains(s, `\x1b`) {
			t.Errorf("%s does not name the file (escaped): %q", what, s)
		}
	}

	r := runCLI(t, cliOpts{}, "redact", "-o", filepath.Join(dir, "out.log"), path)
	if r.code != exitFindings {
		t.Fatalf("redact: exit %d; stderr %q", r.code, r.stderr)
	}
	noESC("redact summary", r.stderr)

	r = runCLI(t, cliOpts{}, "redact", path+".missing")
	if r.code != exitInput {
		t.Fatalf("redact of a missing file: exit %d", r.code)
	}
	noESC("error for a missing input", r.stderr)

	r = runCLI(t, cliOpts{}, "scan", "--format", "text", dir)
	noESC("text report", r.stdout)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, []string{"logs", "--follow", "--poll", "10ms", path}) }()
	time.Sleep(50 * time.Millisecond)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("again " + tok + "\n")
	f.Close()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "github-pat") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("logs --follow did not stop when interrupted")
	}
	noESC("logs --follow output", stdout.String())
}
