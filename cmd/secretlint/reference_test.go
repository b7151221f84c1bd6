package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateReference = flag.Bool("update-cli-reference", false, "rewrite docs/cli.md and docs/man from the command tree")

// cliReference is docs/cli.md: the top-level help and every command's, as
// the binary prints them.
func cliReference(t *testing.T) string {
	help := func(args ...string) string {
		var out bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out,
			getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false }}
		if code := run(context.Background(), e, args); code != exitClean {
			t.Fatalf("secretlint %s: exit %d\n%s", strings.Join(args, " "), code, out.String())
		}
		return "```text\n" + strings.TrimRight(out.String(), "\n") + "\n```\n"
	}
	var b strings.Builder
	b.WriteString("# Command-line reference\n\n" +
		"<!-- Generated from the command tree: go test ./cmd/secretlint -run TestCLIReference -update-cli-reference -->\n\n" +
		"Flags may come before, between or after the arguments, and global flags before the command name too (`secretlint -q --format json scan .`); `--` ends them. " +
		"Every command prints this help with `--help` (or `secretlint help COMMAND`).\n\n")
	b.WriteString(help("--help"))
	code := exitClean
	root := newRoot(context.Background(), &env{}, &code)
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() {
			continue
		}
		b.WriteString("\n## secretlint " + c.Name() + "\n\n" + c.Short + "\n\n" + help(c.Name(), "--help"))
		if c.Name() == "inventory" {
			for _, sub := range []string{"check", "fingerprint", "init"} {
				b.WriteString("\n### secretlint inventory " + sub + "\n\n" + help("inventory", sub, "--help"))
			}
		}
	}
	return b.String()
}

// docs/cli.md is the command tree's own help; a flag added without
// regenerating it fails here.
func TestCLIReference(t *testing.T) {
	path := filepath.Join(moduleRoot(t), "docs", "cli.md")
	got := cliReference(t)
	if *updateReference {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		updateManPages(t)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/cli.md is out of date; run go test ./cmd/secretlint -run TestCLIReference -update-cli-reference (-committed +generated):\n%s", diff)
	}
}

// docs/man holds the man pages `secretlint man` writes; they are
// regenerated with docs/cli.md.
func TestManPages(t *testing.T) {
	dir := filepath.Join(moduleRoot(t), "docs", "man")
	pages, err := manPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if *updateReference {
		updateManPages(t)
	}
	committed, _ := filepath.Glob(filepath.Join(dir, "*.1"))
	if len(committed) != len(pages) {
		t.Errorf("docs/man has %d pages, the command tree %d; run go test ./cmd/secretlint -run TestCLIReference -update-cli-reference", len(committed), len(pages))
	}
	for name, page := range pages {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(want, page) {
			t.Errorf("docs/man/%s is out of date (%v); run go test ./cmd/secretlint -run TestCLIReference -update-cli-reference", name, err)
		}
	}
	// Every flag of scan is documented on its page.
	scan := string(pages["secretlint-scan.1"])
	for _, flag := range []string{"fail-on", "baseline", "format", "output", "show-secrets"} {
		if !strings.Contains(scan, `\fB--`+flag+`\fP`) {
			t.Errorf("secretlint-scan.1 does not document --%s", flag)
		}
	}
	if !strings.Contains(scan, ".TH SECRETLINT-SCAN 1") || !strings.Contains(scan, ".SH EXIT STATUS") {
		t.Errorf("secretlint-scan.1 lacks its title or exit status:\n%s", scan[:min(len(scan), 400)])
	}
}

// updateManPages rewrites docs/man from the command tree.
func updateManPages(t *testing.T) {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), "docs", "man")
	pages, err := manPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o755)
	for name, page := range pages {
		if err := os.WriteFile(filepath.Join(dir, name), page, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestManCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man1")
	r := runCLI(t, cliOpts{}, "man", dir)
	if r.code != exitClean {
		t.Fatalf("man: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "secretlint-git.1")); err != nil {
		t.Errorf("no page for git: %v", err)
	}
	if r := runCLI(t, cliOpts{}, "man", dir, "extra"); r.code != exitUsage {
		t.Errorf("man with two directories: exit %d, want 2", r.code)
	}
}
