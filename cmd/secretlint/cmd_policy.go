package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/policy"
	"github.com/secretlint/secretlint/scan"
)

func init() {
	register(&command{name: "policy", summary: "check how .env, Truss, MLflow, Dockerfile, Kubernetes, CI and IAM files handle secrets", run: runPolicy})
	policyHook = runPolicyChecks
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

func runPolicy(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("policy", flag.ContinueOnError)
	o := addScanFlags(fs)
	list := fs.Bool("list", false, "print every check with its id, severity and description, and exit")
	fs.Usage = func() {
		e.errorf("usage: secretlint policy [flags] [PATH ...]   (default .)")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	if *list {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tFAMILY\tDESCRIPTION")
		for _, c := range policy.Checks() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Severity, c.Family, c.Description)
		}
		if err := tw.Flush(); err != nil {
			e.errorf("write: %v", err)
			return exitUsage
		}
		return exitClean
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	for _, p := range paths {
		if p == "-" {
			e.errorf("policy: reading standard input is not supported; name files or directories")
			return exitUsage
		}
	}
	if o.noPolicy {
		e.errorf("policy: --no-policy leaves nothing to run")
		return exitUsage
	}
	// Read the [policy] table up front so a bad limit is a config error;
	// execute reports a config file that does not load at all.
	limits := policy.DefaultLimits()
	if cfg, err := loadConfig(o, paths); err == nil {
		if limits, err = policy.LimitsFromConfig(cfg); err != nil {
			e.errorf("%v", err)
			return exitUsage
		}
	}
	src := policy.NewSource(paths, policy.WithLimits(limits), policy.WithJobs(o.jobs), policy.WithMaxFileSize(int64(o.maxFileSize)))
	return e.execute(ctx, o, job{roots: paths, sources: []scan.Source{src}})
}
