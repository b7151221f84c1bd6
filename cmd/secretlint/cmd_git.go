package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/secretlint/secretlint/scan"
	gitsrc "github.com/secretlint/secretlint/scan/git"
)

func init() {
	register(&command{name: "git", summary: "scan git history, a commit range (CI) or staged changes (pre-commit)", run: runGit})
}

func runGit(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("git", flag.ContinueOnError)
	o := addScanFlags(fs)
	addVerifyFlags(fs, o)
	var (
		branch      = fs.String("branch", "", "scan only commits reachable from `REF` (default: every branch, tag, remote-tracking branch and the stash)")
		rangeSpec   = fs.String("range", "", "scan only the commits of `A..B` (reachable from B, not from A), A...B, C^! or a single commit C; an all-zero A means what B has that no other ref has (a new branch)")
		sinceCommit = fs.String("since-commit", "", "scan only the commits after `SHA` up to HEAD (or --branch)")
		since       = fs.String("since", "", "scan only commits committed on or after `DATE` (2006-01-02 or RFC 3339)")
		until       = fs.String("until", "", "scan only commits committed on or before `DATE`")
		staged      = fs.Bool("staged", false, "scan only the lines added in the index (pre-commit mode)")
		binary      = fs.Bool("binary", false, "scan binary files too")
		cacheDir    = fs.String("cache", "", "remember in `DIR` the blobs found clean, so a rescan with the same rules and settings reads only new blobs (a new rule rescans all)")
	)
	fs.Usage = func() {
		e.errorf("usage: secretlint git [flags] [REPO]   (REPO defaults to .)")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	if fs.NArg() > 1 {
		e.errorf("git: one repository at a time (got %d)", fs.NArg())
		return exitUsage
	}
	repo := "."
	if fs.NArg() == 1 {
		repo = fs.Arg(0)
	}
	var dates [2]time.Time
	for i, d := range []struct{ flag, v string }{{"--since", *since}, {"--until", *until}} {
		if d.v == "" {
			continue
		}
		t, err := parseDate(d.v, i == 1)
		if err != nil {
			e.errorf("%s: %v", d.flag, err)
			return exitUsage
		}
		dates[i] = t
	}
	if *staged && (*branch != "" || *rangeSpec != "" || *sinceCommit != "" || *since != "" || *until != "") {
		e.errorf("--staged scans the index; it does not combine with --branch, --range, --since-commit, --since or --until")
		return exitUsage
	}
	if *staged && *cacheDir != "" {
		e.errorf("--cache speeds up history scans; --staged reads the index, which it does not cache")
		return exitUsage
	}
	if *rangeSpec != "" && *sinceCommit != "" {
		e.errorf("--range and --since-commit both choose commits; pass one")
		return exitUsage
	}
	opts := gitOptions(o, *binary)
	var src scan.Source
	if *staged {
		src = gitsrc.NewStaged(repo, opts...)
	} else {
		opts = append(opts,
			gitsrc.WithBranch(*branch),
			gitsrc.WithRange(*rangeSpec),
			gitsrc.WithSinceCommit(*sinceCommit),
			gitsrc.WithDates(dates[0], dates[1]),
			gitsrc.WithCache(*cacheDir))
		src = gitsrc.New(repo, opts...)
	}
	code := e.execute(ctx, o, job{roots: []string{repo}, sources: []scan.Source{src},
		full: !*staged && *rangeSpec == "" && *sinceCommit == "" && *since == "" && *until == ""})
	if *staged && code == exitFindings {
		fmt.Fprintln(e.stderr, "secretlint: commit blocked: the staged changes add a secret (see above).\n"+
			"  Remove it from the file and `git add` it again; keep the value in a secret manager or an untracked .env file.\n"+
			"  If it was ever pushed, rotate it. A false positive: add `secretlint:allow` to its line, or a baseline.")
	}
	return code
}

// gitOptions are the history source's options every git scan shares
// (this command's and an audit's git targets).
func gitOptions(o *scanOptions, binary bool) []gitsrc.Option {
	return []gitsrc.Option{
		gitsrc.WithJobs(o.jobs),
		gitsrc.WithMaxFileSize(int64(o.maxFileSize)),
		gitsrc.WithBinary(binary),
	}
}

// parseDate reads a date flag: a day (2006-01-02), a date-time or RFC 3339.
// A bare day given as an upper bound means the end of that day.
func parseDate(s string, end bool) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		t, err := time.ParseInLocation(layout, s, time.Local)
		if err != nil {
			continue
		}
		if layout == "2006-01-02" && end {
			t = t.Add(24*time.Hour - time.Second)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("bad date %q (want 2006-01-02 or 2006-01-02T15:04:05Z07:00)", s)
}
