package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/secretlint/secretlint/scan"
	gitsrc "github.com/secretlint/secretlint/scan/git"
)

func init() {
	register(&command{name: "pre-commit", summary: "the pre-commit framework's hook: staged lines inside a commit, the named files whole under 'pre-commit run --all-files' or '--files'", run: runPreCommit})
}

// The pre-commit framework calls a hook the same way in a commit and in
// `pre-commit run --all-files` or `--files`: with file names, from the
// repository root. Only git tells the two apart: it sets GIT_INDEX_FILE in
// the environment of the hooks it runs, and nothing else does. In a commit
// the hook scans what the commit adds; otherwise it scans what it is named,
// whole, so a secret already committed is found there.
func runPreCommit(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("pre-commit", flag.ContinueOnError)
	o := addScanFlags(fs)
	ff := addFileFlags(fs)
	fs.Usage = func() {
		e.errorf("usage: secretlint pre-commit [flags] [FILE ...]\n" +
			"  Inside `git commit` (git has set GIT_INDEX_FILE) it scans the lines the index adds to\n" +
			"  the FILEs (every staged file when none is named); otherwise, as under\n" +
			"  `pre-commit run --all-files` or `--files`, it scans the FILEs whole. Run it from the\n" +
			"  repository root, as the framework does; the root's .secretlint-baseline.json is used.")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	names := fs.Args()
	inCommit := e.getenv("GIT_INDEX_FILE") != ""
	if !inCommit && len(names) == 0 {
		// pre-commit named nothing (every file was excluded): nothing to check.
		return exitClean
	}
	j := job{roots: []string{"."}}
	if inCommit {
		opts := append(gitOptions(o, ff.binary), gitsrc.WithPaths(names))
		j.sources = []scan.Source{gitsrc.NewStaged(".", opts...)}
	} else {
		j.sources = []scan.Source{ff.source(e, o, names)}
	}
	code := e.execute(ctx, o, j)
	if code != exitFindings {
		return code
	}
	what := "the files named hold a secret"
	if inCommit {
		what = "the staged changes add a secret"
	}
	fmt.Fprintf(e.stderr, "secretlint: %s (see above).\n"+
		"  Remove it from the file (and `git add` it again); keep the value in a secret manager or an untracked .env file.\n"+
		"  If it was ever pushed, rotate it. A false positive: add `secretlint:allow` to its line, or record it with\n"+
		"  `secretlint baseline` in .secretlint-baseline.json at the repository root.\n", what)
	return code
}
