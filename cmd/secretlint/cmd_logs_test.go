package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func gzipped(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type logFinding struct {
	RuleID string `json:"rule_id"`
	Source string `json:"source"`
	Path   string `json:"path"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Secret string `json:"secret"`
}

func TestLogsCommand(t *testing.T) {
	tok1, tok2, tok3 := githubPAT(101), githubPAT(102), githubPAT(103)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ci.log"), []byte("2024-06-09T02:30:49Z step\n2024-06-09T02:30:50Z \x1b[31m"+tok1+"\x1b[0m\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "ci.log.1.gz"), gzipped(t, "one\ntwo\nthree "+tok2+"\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "masked.log"), []byte("  token: ***\n  GITHUB_TOKEN: ***\n"), 0o600)

	t.Run("directory", func(t *testing.T) {
		r := runCLI(t, cliOpts{}, "logs", "--format", "json", dir)
		if r.code != exitFindings {
			t.Fatalf("exit %d, want %d; stderr %s", r.code, exitFindings, r.stderr)
		}
		var rep struct{ Findings []logFinding }
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			got = append(got, filepath.Base(f.Path)+":"+strconv.Itoa(f.Line)+":"+strconv.Itoa(f.Column)+" "+f.Source+" "+f.RuleID)
			if strings.Contains(r.stdout, tok1) || strings.Contains(r.stdout, tok2) {
				t.Errorf("report holds a raw secret")
			}
		}
		want := []string{"ci.log:2:27 log github-pat", "ci.log.1.gz:3:7 log github-pat"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("stdin", func(t *testing.T) {
		r := runCLI(t, cliOpts{stdin: strings.NewReader("kubectl logs\nx " + tok3 + "\n")}, "logs", "--format", "jsonl")
		if r.code != exitFindings || !strings.Contains(r.stdout, `"path":"-"`) || !strings.Contains(r.stdout, `"line":2`) {
			t.Errorf("exit %d stdout %s stderr %s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("clean", func(t *testing.T) {
		r := runCLI(t, cliOpts{}, "logs", "--quiet", filepath.Join(dir, "masked.log"))
		if r.code != exitClean {
			t.Errorf("exit %d, want 0; stdout %s stderr %s", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("corrupt gzip", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "app.log.2.gz")
		os.WriteFile(bad, []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff}, 0o600)
		r := runCLI(t, cliOpts{}, "logs", bad)
		if r.code != exitInput || !strings.Contains(r.stderr, bad) || !strings.Contains(r.stderr, "gzip") {
			t.Errorf("exit %d stderr %q; want %d naming %s", r.code, r.stderr, exitInput, bad)
		}
	})
	t.Run("binary", func(t *testing.T) {
		r := runCLI(t, cliOpts{stdin: bytes.NewReader([]byte("\x00\x01\x02garbage\xff"))}, "logs", "-")
		if !strings.Contains(r.stderr, "-: binary data") {
			t.Errorf("stderr %q, want a binary-data notice naming stdin", r.stderr)
		}
	})
}

func TestLogsFollow(t *testing.T) {
	tok := githubPAT(104)
	path := filepath.Join(t.TempDir(), "app.log")
	os.WriteFile(path, []byte("boot\n"), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false }}
	done := make(chan int, 1)
	go func() { done <- run(ctx, e, []string{"logs", "--follow", "--poll", "10ms", "--format", "jsonl", path}) }()

	time.Sleep(50 * time.Millisecond)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("token " + tok + "\n")
	f.Close()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "github-pat") {
		if time.Now().After(deadline) {
			t.Fatalf("no finding printed while following; stderr %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	var code int
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("logs --follow did not stop when interrupted")
	}
	if code != exitFindings {
		t.Errorf("exit %d, want %d", code, exitFindings)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	var fd logFinding
	if len(lines) != 1 || json.Unmarshal([]byte(lines[0]), &fd) != nil || fd.Line != 2 || fd.Secret == tok {
		t.Errorf("stdout %q, want one redacted JSON line for line 2", stdout.String())
	}
	if !strings.Contains(stderr.String(), "1 finding") {
		t.Errorf("stderr %q, want the summary", stderr.String())
	}
}
