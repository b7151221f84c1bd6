package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/secretlint/secretlint/report"
)

func init() {
	register(&command{name: "install-hook", summary: "install a plain git pre-commit hook (no pre-commit framework needed)", run: runInstallHook})
}

// hookMarker identifies a hook this command wrote, so it can be replaced
// without --force and another tool's hook is never overwritten silently.
const hookMarker = "# installed by secretlint install-hook"

func runInstallHook(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("install-hook", flag.ContinueOnError)
	force := fs.Bool("force", false, "replace an existing pre-commit hook that secretlint did not write")
	fs.Usage = func() {
		fmt.Fprintln(e.stdout, "usage: secretlint install-hook [--force] [REPO]")
		fmt.Fprintln(e.stdout, "Writes REPO's pre-commit hook (in core.hooksPath when set) to run 'secretlint git --staged'.")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	repo := "."
	switch fs.NArg() {
	case 0:
	case 1:
		repo = fs.Arg(0)
	default:
		e.errorf("install-hook: one repository at a time")
		return exitUsage
	}
	// git itself says where hooks live: .git/hooks, a worktree's common
	// directory, or core.hooksPath.
	out, err := exec.CommandContext(ctx, "git", "-C", repo, "rev-parse", "--path-format=absolute", "--git-path", "hooks").Output()
	if err != nil {
		e.errorf("install-hook: %s is not a git repository (git rev-parse: %v)", repo, err)
		return exitUsage
	}
	dir := strings.TrimSpace(string(out))
	path := filepath.Join(dir, "pre-commit")
	if old, err := os.ReadFile(path); err == nil && !bytes.Contains(old, []byte(hookMarker)) && !*force {
		e.errorf("install-hook: %s already exists and was not written by secretlint; run it from yours, or pass --force to replace it", path)
		return exitUsage
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		e.errorf("install-hook: %v", err)
		return exitUsage
	}
	script := "#!/bin/sh\n" + hookMarker + "\n" +
		"# Blocks commits whose staged lines hold a credential. SECRETLINT names the binary.\n" +
		"exec \"${SECRETLINT:-secretlint}\" git --staged --no-policy --quiet \"$(git rev-parse --show-toplevel)\"\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		e.errorf("install-hook: %v", err)
		return exitUsage
	}
	if err := os.Chmod(path, 0o755); err != nil {
		e.errorf("install-hook: %v", err)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "installed %s\n", report.Printable(path))
	return exitClean
}
