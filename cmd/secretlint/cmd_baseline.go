package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/secretlint/secretlint/baseline"
	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/policy"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
	gitsrc "github.com/secretlint/secretlint/scan/git"
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
	fs.Usage = func() {
		e.errorf("usage: secretlint baseline [flags] [PATH ...]   or   secretlint baseline --git [REPO]")
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
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	cfg, err := loadConfig(o, paths)
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	eng := engineFor(o, cfg)
	col := &scan.Collector{}
	var src scan.Source = ff.source(e, o, paths)
	if *history {
		if len(paths) > 1 {
			e.errorf("baseline --git: one repository at a time (got %d)", len(paths))
			return exitUsage
		}
		src = gitsrc.New(paths[0], gitsrc.WithJobs(o.jobs), gitsrc.WithMaxFileSize(int64(o.maxFileSize)))
	}
	if err := src.Scan(ctx, eng, col); err != nil {
		col.Error(paths[0], err)
	}
	if !o.noPolicy && !*history {
		runPolicyChecks(ctx, o, cfg, paths, col)
	}
	for _, w := range cfg.Warnings {
		e.errorf("warning: %s", w)
	}
	for _, ie := range col.Errors() {
		e.errorf("%v", ie)
	}
	// The same filters as a scan, so the baseline holds exactly what a scan
	// would report.
	fs2 := col.Findings()
	fs2, _, _, ignoreErrs := dropIgnored(fs2, paths)
	for _, err := range ignoreErrs {
		e.errorf("%v", err)
	}
	fs2, _ = dropAllowedPaths(fs2, cfg)
	fs2, _ = cfg.Filter(fs2)
	if len(fs2) == 0 && col.Inputs() == 0 {
		e.errorf("nothing was scanned: the inputs are empty or hold no readable files; no baseline written")
		return exitInput
	}
	// Paths relative to the scanned directory, so the baseline matches
	// wherever the tree is checked out and in its history scans.
	if dirs := rootDirs(paths); len(dirs) == 1 {
		for i := range fs2 {
			if g, ok := baseline.Relative(fs2[i], dirs[0]); ok {
				fs2[i] = g
			}
		}
	}
	f, err := createPrivate(*out)
	if err != nil {
		e.errorf("write baseline: %v", err)
		return exitUsage
	}
	if err := baseline.Write(f, fs2); err != nil {
		f.Close()
		e.errorf("write baseline: %v", err)
		return exitUsage
	}
	if err := f.Close(); err != nil {
		e.errorf("write baseline: %v", err)
		return exitUsage
	}
	fmt.Fprintf(e.stderr, "wrote %d findings to %s; pass --baseline %s to suppress them\n", len(fs2), report.Printable(*out), report.Printable(*out))
	if len(col.Errors()) > 0 {
		e.errorf("some inputs could not be read; the baseline may be incomplete")
		return exitInput
	}
	return exitClean
}

// dropIgnored applies .gitleaksignore files found at the roots. An entry
// names a finding by its path as scanned or relative to the root whose
// file lists it, as gitleaks writes them. A file that exists but cannot be
// read is returned as an error for the caller to print.
func dropIgnored(fs []scan.Finding, roots []string) ([]scan.Finding, int, []string, []error) {
	type rootIgnore struct {
		dir string
		ig  *baseline.Ignore
	}
	var (
		igs  []rootIgnore
		errs []error
	)
	for _, r := range roots {
		if r == "-" {
			continue
		}
		dir := r
		if fi, err := os.Stat(r); err == nil && !fi.IsDir() {
			dir = filepath.Dir(r)
		}
		i, err := baseline.LoadGitleaksIgnore(filepath.Join(dir, ".gitleaksignore"))
		switch {
		case err == nil:
			igs = append(igs, rootIgnore{dir, i})
		case !errors.Is(err, os.ErrNotExist):
			errs = append(errs, fmt.Errorf("read .gitleaksignore: %w", err))
		}
	}
	if len(igs) == 0 {
		return fs, 0, nil, errs
	}
	kept := fs[:0:0]
outer:
	for _, f := range fs {
		for _, ri := range igs {
			if ri.ig.Matches(f) {
				continue outer
			}
			if rel, ok := underRoot(f.Path, ri.dir); ok {
				g := f
				g.Path = rel
				if ri.ig.Matches(g) {
					continue outer
				}
			}
		}
		kept = append(kept, f)
	}
	var stale []string
	for _, ri := range igs {
		for _, k := range ri.ig.Stale() {
			stale = append(stale, filepath.Join(ri.dir, ".gitleaksignore")+": "+k)
		}
	}
	return kept, len(fs) - len(kept), stale, errs
}

// underRoot returns path relative to dir when path lies under it.
func underRoot(path, dir string) (string, bool) {
	d := filepath.Clean(dir)
	if d == "." {
		return "", false
	}
	p := filepath.ToSlash(path)
	prefix := filepath.ToSlash(d) + "/"
	if strings.HasPrefix(p, prefix) {
		return p[len(prefix):], true
	}
	return "", false
}

// dropAllowedPaths applies the global path allowlist to every finding,
// policy findings included (the engine already applied it to secrets).
func dropAllowedPaths(fs []scan.Finding, cfg *config.Config) ([]scan.Finding, int) {
	if len(cfg.Allow.Paths) == 0 {
		return fs, 0
	}
	kept := fs[:0:0]
	for _, f := range fs {
		if !cfg.Allow.AllowsPath(f.Path) {
			kept = append(kept, f)
		}
	}
	return kept, len(fs) - len(kept)
}

// rootDirs returns the directories of the roots (a file's directory).
func rootDirs(roots []string) []string {
	var out []string
	for _, r := range roots {
		if r == "-" {
			continue
		}
		if fi, err := os.Stat(r); err == nil && !fi.IsDir() {
			r = filepath.Dir(r)
		}
		out = append(out, r)
	}
	return out
}

// runPolicyChecks runs the hygiene checks over the roots into out, with the
// scan's --jobs and --max-file-size; scan calls it through policyHook.
func runPolicyChecks(ctx context.Context, o *scanOptions, cfg *config.Config, roots []string, out *scan.Collector) {
	limits, err := policy.LimitsFromConfig(cfg)
	if err != nil {
		out.Error(cfg.Path, err)
		return
	}
	policy.Run(ctx, roots, out,
		policy.WithLimits(limits),
		policy.WithJobs(o.jobs),
		policy.WithMaxFileSize(int64(o.maxFileSize)),
		policy.WithRules(cfg.Rules),
		policy.WithSkipPath(cfg.Allow.AllowsPath),
	)
}
