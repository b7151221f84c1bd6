package main

import (
	"context"
	"flag"

	"github.com/secretlint/secretlint/policy"
)

func init() {
	register(&command{name: "policy", summary: "check how .env, Truss, MLflow, Dockerfile, Kubernetes, CI and IAM files handle secrets", run: runPolicy})
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
		var rows [][]string
		for _, c := range policy.Checks() {
			rows = append(rows, []string{c.ID, c.Severity.String(), c.Family, c.Description})
		}
		if err := writeTable(e.stdout, e.colorProfile(e.stdout, o.noColor), []string{"ID", "SEVERITY", "FAMILY", "DESCRIPTION"}, rows); err != nil {
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
	// The same hygiene stage as a scan's, with the files checked counted
	// as inputs: here they are all the run reads.
	return e.execute(ctx, o, job{roots: paths, policy: true, policyOpts: []policy.Option{policy.WithInputCount(true)}})
}
