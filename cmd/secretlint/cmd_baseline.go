package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/secretlint/secretlint/baseline"
	"github.com/secretlint/secretlint/pipeline"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
	gitsrc "github.com/secretlint/secretlint/scan/git"
	"github.com/secretlint/secretlint/scan/image"
	"github.com/secretlint/secretlint/scan/logs"
)

func init() {
	register(&command{name: "baseline", summary: "write a baseline of current findings, so CI fails only on new ones", run: runBaseline})
}

func runBaseline(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
	o := addScanFlags(fs)
	ff := addFileFlags(fs)
	out := fs.String("baseline-file", baselineFileName, "where to write the baseline (--output works too)")
	history := fs.Bool("git", false, "record the findings of the repository's whole history (as 'secretlint git' reports them), not only its files")
	images := fs.Bool("image", false, "record the findings of the images named (as 'secretlint image' reports them)")
	logFiles := fs.Bool("logs", false, "record the findings of the logs named (as 'secretlint logs' reports them; - reads stdin)")
	fs.Usage = func() {
		e.errorf("usage: secretlint baseline [flags] [PATH ...]   or   secretlint baseline --git [REPO]\n" +
			"       secretlint baseline --image IMAGE...   or   secretlint baseline --logs [FILE|DIR|-]...")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	// --output names the baseline file too, as it names every command's
	// output; --baseline-file wins when both are given.
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "baseline-file" })
	if o.output != "" && !explicit {
		*out = o.output
	}
	modes := 0
	for _, m := range []bool{*history, *images, *logFiles} {
		if m {
			modes++
		}
	}
	if modes > 1 {
		e.errorf("baseline: --git, --image and --logs each choose the input; pass one")
		return exitUsage
	}
	paths := fs.Args()
	if len(paths) == 0 {
		switch {
		case *images:
			e.errorf("baseline --image: name at least one image (a tarball, a layout directory or a registry reference)")
			return exitUsage
		case *logFiles:
			paths = []string{logs.Stdin}
		default:
			paths = []string{"."}
		}
	}
	// roots are where the configuration and the baseline's paths are
	// relative to: the scanned directory, or the working directory for
	// images, as 'secretlint image' reads them.
	roots := paths
	var src scan.Source = ff.source(e, o, paths)
	switch {
	case *images:
		roots = []string{"."}
		src = imageSource(o, paths, image.DefaultMaxLayerSize, image.WithTimeout(30*time.Second))
	case *logFiles:
		src = logs.New(paths, logs.WithStdin(e.stdin), logs.WithJobs(o.jobs))
	}
	if *history {
		if len(paths) > 1 {
			e.errorf("baseline --git: one repository at a time (got %d)", len(paths))
			return exitUsage
		}
		src = gitsrc.New(paths[0], gitsrc.WithJobs(o.jobs), gitsrc.WithMaxFileSize(int64(o.maxFileSize)))
	}
	// The baseline file is an output like --output: refused now, before
	// the scan, when it is a symlink (without --force), a device, a FIFO
	// or a directory.
	if err := checkOutput(*out, o.force); err != nil {
		e.errorf("--baseline-file: %v", err)
		return exitUsage
	}
	cfg, err := loadConfig(o, roots)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	if o.key, err = e.baselineKey(cfg, *out, roots); err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	// The scan's own pipeline, without a baseline, so the baseline holds
	// exactly what `secretlint scan` (or `git`) would report. --output and
	// --inventory do not apply: the output is the baseline file, and the
	// inventory changes severities, not what is found.
	o.output, o.inventory = "", ""
	r, _, code := e.runPipeline(ctx, o, job{
		roots:      roots,
		sources:    []scan.Source{src},
		policy:     modes == 0,
		noBaseline: true,
	})
	if r == nil {
		return code
	}
	found := r.Findings
	if len(found) == 0 && r.Stats.Inputs == 0 {
		e.errorf("nothing was scanned: the inputs are empty or hold no readable files; no baseline written")
		return exitInput
	}
	// Paths relative to the scanned directory, so the baseline matches
	// wherever the tree is checked out and in its history scans.
	if dirs := pipeline.RootDirs(roots); len(dirs) == 1 && !*images {
		for i := range found {
			if g, ok := baseline.Relative(found[i], dirs[0]); ok {
				found[i] = g
			}
		}
	}
	f, err := createOutput(*out, o.force, e.errorf)
	if err != nil {
		e.errorf("write baseline: %v", err)
		return exitUsage
	}
	if err := baseline.WriteKeyed(f, found, o.key); err != nil {
		f.Close()
		e.errorf("write baseline: %v", err)
		return exitUsage
	}
	if err := f.Close(); err != nil {
		e.errorf("write baseline: %v", err)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "wrote %d findings to %s; pass --baseline %s to suppress them\n", len(found), report.Printable(*out), report.Printable(*out))
	if len(r.Errors) > 0 {
		e.errorf("some inputs could not be read; the baseline may be incomplete")
		return exitInput
	}
	return exitClean
}
