package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/secretlint/secretlint/audit"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	gitsrc "github.com/secretlint/secretlint/scan/git"
	"github.com/secretlint/secretlint/scan/image"
	"github.com/secretlint/secretlint/scan/logs"
)

func init() {
	register(&command{name: "audit", summary: "scan a list of repositories, images, directories and logs, or this shard of it (Kubernetes Indexed Jobs, CI matrices)", run: runAudit})
}

func runAudit(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	o := addScanFlags(fs)
	ff := addFileFlags(fs)
	tf := targetFlags{image: addImageFlags(fs), logs: addLogFlags(fs)}
	var (
		targetsPath = fs.String("targets", "", "targets `FILE`, one target a line (git PATH-or-URL [--branch B], image REF, dir PATH, logs PATH, optional weight=N and owner=NAME); - reads stdin")
		shardFlag   = fs.String("shard", "", "scan only shard `INDEX/COUNT` (INDEX from 0) of the targets (default: from JOB_COMPLETION_INDEX or CI_NODE_INDEX/CI_NODE_TOTAL, else all)")
		shardCount  = fs.Int("shard-count", 0, "shard count `N` when JOB_COMPLETION_INDEX gives the index (default: SECRETLINT_SHARD_COUNT)")
		cacheDir    = fs.String("cache", "", "`DIR` keeping bare clones of git URLs between runs (default: secretlint/git in the user cache directory)")
	)
	fs.Usage = func() {
		e.errorf("usage: secretlint audit --targets FILE|- [--shard INDEX/COUNT] [flags]\n" +
			"  A sharded run writes a JSON shard report to --output (a file, or a directory:\n" +
			"  DIR/shard-INDEX-of-COUNT.json) and exits 0 once it is written; `secretlint merge`\n" +
			"  joins the shards and its exit code is the verdict.")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	if *targetsPath == "" || fs.NArg() > 0 {
		e.errorf("audit: name the targets with --targets FILE (or - for stdin), and no other arguments")
		return exitUsage
	}
	targets, err := readTargets(e, *targetsPath)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	var spec audit.Spec
	if *shardFlag != "" {
		spec, err = audit.ParseSpec(*shardFlag)
	} else {
		spec, err = audit.SpecFromEnv(e.getenv, *shardCount)
	}
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	sharded := *shardFlag != "" || spec.From != "default"
	if sharded {
		if !strings.EqualFold(o.format, "json") {
			fs.Visit(func(f *flag.Flag) {
				if f.Name == "format" {
					err = fmt.Errorf("--format %s: a shard writes a JSON shard report; `secretlint merge` renders the other formats", o.format)
				}
			})
			if err != nil {
				e.errorf("%v", err)
				return exitUsage
			}
			o.format = "json"
		}
		if o.output == "" {
			e.errorf("audit: shard %s needs --output FILE or DIR for its shard report", spec)
			return exitUsage
		}
		if fi, statErr := os.Stat(o.output); (statErr == nil && fi.IsDir()) || strings.HasSuffix(o.output, string(os.PathSeparator)) {
			o.output = filepath.Join(o.output, fmt.Sprintf("shard-%d-of-%d.json", spec.Index, spec.Count))
		}
	}
	if *cacheDir == "" {
		if d, err := os.UserCacheDir(); err == nil {
			*cacheDir = filepath.Join(d, "secretlint", "git")
		} else {
			*cacheDir = filepath.Join(os.TempDir(), "secretlint-git-cache")
		}
	}
	if o.output != "" {
		if err := checkOutput(o.output, o.force); err != nil {
			e.errorf("--output: %v", err)
			return exitUsage
		}
	}
	if !validFormat(o.format) {
		e.errorf("--format: unknown format %q (want one of %s)", o.format, strings.Join(report.Formats, ", "))
		return exitUsage
	}
	// Checked once here, so that what fails inside a target is the target's.
	failOn, err := rules.ParseSeverity(o.failOn)
	if err != nil {
		e.errorf("--fail-on: %v", err)
		return exitUsage
	}
	if o.jobs < 1 {
		e.errorf("--jobs %d: want at least 1 (the default is the number of CPUs)", o.jobs)
		return exitUsage
	}
	if tf.resolve, err = tf.image.resolveOptions(); err != nil {
		e.errorf("%v", err)
		return exitUsage
	}

	mine := audit.Assign(targets, spec.Count)[spec.Index]
	printPlan(e, spec, targets, mine)
	started := time.Now()
	cache := audit.Cache{Dir: *cacheDir}
	var runs []audit.Run
	incomplete := false
	for _, t := range mine {
		if ctx.Err() != nil {
			incomplete = true
			runs = append(runs, audit.Run{Target: t})
			continue
		}
		t0 := time.Now()
		r := scanTarget(ctx, e, o, ff, tf, cache, t)
		runs = append(runs, audit.Run{Target: t, Report: r, Seconds: time.Since(t0).Seconds()})
		if ctx.Err() != nil {
			incomplete = true
		}
	}
	rep := audit.ShardReport(spec, audit.Hash(targets), runs, incomplete, time.Since(started))
	rep.Command, rep.Started = "audit", started
	for _, t := range mine {
		rep.Targets = append(rep.Targets, t.String())
	}
	if err := e.writeReport(o, rep); err != nil {
		e.errorf("write report: %v", err)
		return exitUsage
	}
	if sharded {
		// A shard's work is its report: findings and unreadable targets are
		// in it, and merge gives the verdict. Exiting 0 lets job engines
		// (Indexed Jobs retry a failed index) tell a finished shard from a
		// crashed or evicted one.
		return exitClean
	}
	return e.exitCode(rep, failOn, len(mine) > 0)
}

// readTargets reads and parses the targets file, or stdin for "-".
func readTargets(e *env, path string) ([]audit.Target, error) {
	var r io.Reader = e.stdin
	name := "<stdin>"
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("--targets: %w", err)
		}
		defer f.Close()
		r, name = f, path
	}
	return audit.ParseTargets(name, r)
}

// printPlan tells on stderr which targets this shard owns, so each pod's
// or job's log says what it did.
func printPlan(e *env, spec audit.Spec, all, mine []audit.Target) {
	var total, own int64
	for _, t := range all {
		total += t.Weight
	}
	for _, t := range mine {
		own += t.Weight
	}
	from := ""
	if spec.From != "default" {
		from = " (from " + spec.From + ")"
	}
	fmt.Fprintf(e.stderr, "secretlint: audit shard %s%s: %d of %d targets, weight %d of %d\n", spec, from, len(mine), len(all), own, total)
	for _, t := range mine {
		fmt.Fprintf(e.stderr, "  %s\n", report.Printable(t.String()))
	}
}

// targetFlags are the image and logs commands' own flags, which apply
// to an audit's image and logs targets.
type targetFlags struct {
	image   *imageFlags
	resolve []image.ResolveOption
	logs    *logFlags
}

// scanTarget scans one target as its own command would: the same sources
// and options, through the same pipeline, its configuration, baseline and
// key found at the target as there. A target that cannot even start (a bad
// configuration file in it, a clone that fails) gives a report holding
// that error, so the audit goes on.
func scanTarget(ctx context.Context, e *env, o *scanOptions, ff *fileFlags, tf targetFlags, cache audit.Cache, t audit.Target) *report.Report {
	to := *o
	to.output, to.format, to.key = "", "json", nil
	failed := func(err error) *report.Report {
		ie := &scan.InputError{Input: t.String(), Err: err}
		return &report.Report{Errors: []*scan.InputError{ie}, Stats: report.Stats{Errors: 1}}
	}
	j := job{requireInput: true}
	switch t.Kind {
	case audit.KindDir:
		j.roots, j.policy = []string{t.Arg}, true
		j.sources = []scan.Source{ff.source(e, &to, j.roots)}
	case audit.KindLogs:
		j.roots = []string{t.Arg}
		j.sources = []scan.Source{logs.New(j.roots, logs.WithJobs(to.jobs), logs.WithWindow(int(tf.logs.window)))}
	case audit.KindGit:
		repo := t.Arg
		if audit.IsRemote(repo) {
			local, err := cache.Repo(ctx, repo)
			if err != nil {
				e.errorf("%s: %v", t, err)
				return failed(err)
			}
			repo = local
		} else if _, err := os.Stat(repo); err != nil {
			e.errorf("%s: %v", t, err)
			return failed(err)
		}
		j.roots = []string{repo}
		j.sources = []scan.Source{gitsrc.New(repo, append(gitOptions(&to, ff.binary), gitsrc.WithBranch(t.Branch))...)}
	case audit.KindImage:
		j.roots, j.targets = []string{"."}, []string{t.Arg}
		j.sources = []scan.Source{imageSource(&to, j.targets, int64(tf.image.maxLayer), tf.resolve...)}
	}
	// The target's messages go to stderr as its command's would; a
	// target that fails before scanning keeps them as its error.
	var msgs bytes.Buffer
	te := *e
	te.stderr = io.MultiWriter(e.stderr, &msgs)
	r, _, _ := te.runPipeline(ctx, &to, j)
	if r != nil {
		return r
	}
	msg := strings.TrimSpace(strings.ReplaceAll(msgs.String(), "secretlint: ", ""))
	if msg == "" {
		msg = "the target could not be scanned"
	}
	return failed(errors.New(msg))
}
