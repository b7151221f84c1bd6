package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRedactCommand(t *testing.T) {
	tok := githubPAT(105)
	dir := t.TempDir()
	in := filepath.Join(dir, "ci.log")
	text := "step 1\r\n\x1b[32mok\x1b[0m token=" + tok + " end\nlast line, no newline"
	os.WriteFile(in, []byte(text), 0o644)
	out := filepath.Join(dir, "ci.redacted.log")

	r := runCLI(t, cliOpts{}, "redact", "-o", out, in)
	if r.code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr %s", r.code, exitFindings, r.stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(text, tok, "[REDACTED:github-pat]", 1); string(got) != want {
		t.Errorf("redacted copy %q, want %q", got, want)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("output mode %v, want 0600", fi.Mode().Perm())
	}

	r = runCLI(t, cliOpts{stdin: strings.NewReader("nothing secret\n")}, "redact")
	if r.code != exitClean || r.stdout != "nothing secret\n" {
		t.Errorf("clean stdin: exit %d stdout %q", r.code, r.stdout)
	}
	r = runCLI(t, cliOpts{}, "redact", "-o", in, in)
	if r.code != exitUsage {
		t.Errorf("output over input: exit %d, want %d", r.code, exitUsage)
	}
	r = runCLI(t, cliOpts{}, "redact", filepath.Join(dir, "missing.log"))
	if r.code != exitInput || !strings.Contains(r.stderr, "missing.log") {
		t.Errorf("missing input: exit %d stderr %q", r.code, r.stderr)
	}
}
