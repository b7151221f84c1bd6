package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/logs"
)

func init() {
	register(&command{name: "logs", summary: "scan logs (files, directories, .gz, stdin -) in bounded memory; --follow a growing file", run: runLogs})
}

// logFlags are the flags of commands that read logs.
type logFlags struct {
	window byteSize
	follow bool
	poll   time.Duration
}

func addLogFlags(fs *flag.FlagSet) *logFlags {
	f := &logFlags{window: logs.DefaultWindow}
	fs.Var(&f.window, "window", "scan whole lines up to this `SIZE` at once, longer lines in overlapping windows of it")
	return f
}

func runLogs(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	o := addScanFlags(fs)
	lf := addLogFlags(fs)
	addVerifyFlags(fs, o)
	fs.BoolVar(&lf.follow, "follow", false, "keep reading growing files like tail -F (across truncation and rotation), printing findings as they appear, until interrupted")
	fs.BoolVar(&lf.follow, "f", false, "shorthand for --follow")
	fs.DurationVar(&lf.poll, "poll", 250*time.Millisecond, "how often --follow checks a file for new data")
	fs.Usage = func() {
		e.errorf("usage: secretlint logs [flags] [FILE|DIR|-]...   (- reads stdin; default -)")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{logs.Stdin}
	}
	if lf.poll <= 0 {
		e.errorf("--poll: must be positive")
		return exitUsage
	}
	opts := []logs.Option{
		logs.WithStdin(e.stdin),
		logs.WithJobs(o.jobs),
		logs.WithWindow(int(lf.window)),
		logs.WithFollow(lf.follow),
		logs.WithPollInterval(lf.poll),
	}
	if !o.quiet {
		opts = append(opts, logs.WithNotice(func(input, msg string) { e.errorf("logs: %s: %s", input, msg) }))
	}
	// Follow mode prints findings as they appear, in the text or JSON-lines
	// format; the formats that are one document are written at the end.
	streamed := lf.follow && (strings.EqualFold(o.format, "text") || strings.EqualFold(o.format, "jsonl"))
	if streamed {
		opts = append(opts, logs.WithOnHit(e.findingPrinter(o)))
	}
	return e.execute(ctx, o, job{
		roots:        paths,
		sources:      []scan.Source{logs.New(paths, opts...)},
		requireInput: true,
		streamed:     streamed && o.output == "",
		// Following ends by Ctrl-C; that is not an incomplete scan.
		endsByInterrupt: lf.follow,
	})
}

// findingPrinter prints one finding per line on stdout as it is found:
// JSON lines for --format jsonl, else path:line:column and the rule. The
// secret is redacted unless --show-secrets.
func (e *env) findingPrinter(o *scanOptions) func(logs.Hit) {
	enc := json.NewEncoder(e.stdout)
	jsonl := strings.EqualFold(o.format, "jsonl")
	return func(h logs.Hit) {
		f := h.Finding
		if !o.showSecrets {
			f.Secret = scan.Redact(f.Secret)
		}
		if jsonl {
			enc.Encode(&f)
			return
		}
		fmt.Fprintf(e.stdout, "%s:%d:%d: %s %s: %s %s\n", report.Printable(f.Path), f.Line, f.Column, f.Severity,
			report.Printable(f.RuleID), report.Printable(f.Description), report.Printable(f.Secret))
	}
}
