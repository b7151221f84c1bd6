package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"

	"github.com/secretlint/secretlint/audit"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/rules"
)

func init() {
	register(&command{name: "merge", summary: "merge the shard reports of a sharded audit into one report", run: runMerge})
}

func runMerge(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	o := &scanOptions{command: "merge"}
	addGlobalFlags(fs, o, "format", "output", "fail-on", "quiet", "no-color")
	fs.Usage = func() {
		e.errorf("usage: secretlint merge [flags] SHARD.json... | DIR\n" +
			"  Joins the JSON shard reports of `secretlint audit --shard` (a directory: its *.json).\n" +
			"  Exits 3 when a shard is missing, repeated or of another target list.")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	failOn, err := rules.ParseSeverity(o.failOn)
	if err != nil {
		e.errorf("--fail-on: %v", err)
		return exitUsage
	}
	if !validFormat(o.format) {
		e.errorf("--format: unknown format %q (want one of %s)", o.format, strings.Join(report.Formats, ", "))
		return exitUsage
	}
	if fs.NArg() == 0 {
		e.errorf("merge: name the shard reports (files, or a directory of them)")
		return exitUsage
	}
	var names []string
	for _, a := range fs.Args() {
		fi, err := os.Stat(a)
		if err != nil {
			e.errorf("merge: %v", err)
			return exitInput
		}
		if !fi.IsDir() {
			names = append(names, a)
			continue
		}
		found, _ := filepath.Glob(filepath.Join(a, "*.json"))
		if len(found) == 0 {
			e.errorf("merge: %s holds no *.json shard reports", a)
			return exitInput
		}
		names = append(names, found...)
	}
	if o.output != "" {
		if err := checkOutput(o.output, o.force); err != nil {
			e.errorf("--output: %v", err)
			return exitUsage
		}
	}
	var shards []*report.Report
	for _, n := range names {
		r, err := report.ReadJSONFile(n)
		if err != nil {
			e.errorf("merge: %v", err)
			return exitInput
		}
		shards = append(shards, r)
	}
	rep, err := audit.Merge(shards, names)
	if err != nil {
		e.errorf("merge: %v", err)
		if errors.Is(err, audit.Problem) {
			return exitInput
		}
		return exitUsage
	}
	rep.Command = "merge"
	for _, t := range rep.Audit.Targets {
		rep.Targets = append(rep.Targets, t.Target)
	}
	for _, ie := range rep.Errors {
		e.errorf("%s", report.Printable(ie.Error()))
	}
	if err := e.writeReport(o, rep); err != nil {
		e.errorf("write report: %v", err)
		return exitUsage
	}
	return e.exitCode(rep, failOn, false)
}
