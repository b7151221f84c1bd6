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

var updateReference = flag.Bool("update-cli-reference", false, "rewrite docs/cli.md from the command tree")

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
		"Flags may come before, between or after the arguments; `--` ends them. " +
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
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/cli.md is out of date; run go test ./cmd/secretlint -run TestCLIReference -update-cli-reference (-committed +generated):\n%s", diff)
	}
}
