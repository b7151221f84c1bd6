package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/docker/go-units"
	"github.com/muesli/termenv"
	"github.com/secretlint/secretlint/baseline"
	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/inventory"
	"github.com/secretlint/secretlint/pipeline"
	"github.com/secretlint/secretlint/policy"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/verify"
	"github.com/spf13/pflag"
)

// scanOptions are the flags every scanning command shares.
type scanOptions struct {
	// command is the command's name, for the HTML report's header.
	command      string
	format       string
	output       string
	force        bool
	configPath   string
	baselinePath string
	noBaseline   bool
	failOn       string
	showSecrets  bool
	quiet        bool
	noColor      bool
	noPolicy     bool
	noDecode     bool
	jobs         int
	maxFileSize  byteSize
	inventory    string
	enableRules  listFlag
	// key is the project's fingerprint key (nil: none); runPipeline finds
	// it unless the command set it (baseline may make one).
	key *fingerprint.Key
	// verify holds the live verification flags of the commands that have
	// them (scan, git, image, logs); nil elsewhere.
	verify *verifyOptions
}

// verifyOptions are the live verification flags.
type verifyOptions struct {
	on, onlyLive, failOnLive bool
	hosts                    string
	timeout                  time.Duration
}

// addVerifyFlags adds the live verification flags to a scanning command.
func addVerifyFlags(fs *flag.FlagSet, o *scanOptions) {
	v := &verifyOptions{timeout: 10 * time.Second}
	o.verify = v
	fs.BoolVar(&v.on, "verify", false, "ask each credential's provider, at its documented read-only endpoint, whether it still works and whose it is (sends the found credentials over the network; docs/verify.md)")
	fs.StringVar(&v.hosts, "verify-hosts", "", "comma-separated self-hosted `HOSTS` (host[:port], or gitlab=, vault=, databricks=host) that --verify may also send GitLab, Vault and Databricks tokens to")
	fs.DurationVar(&v.timeout, "verify-timeout", v.timeout, "time each --verify request may take")
	fs.BoolVar(&v.onlyLive, "only-verified", false, "report only the credentials --verify found live")
	fs.BoolVar(&v.failOnLive, "fail-on-live", false, "exit 1 only when --verify finds a live credential")
}

// byteSize is a flag value that takes sizes as docker/go-units reads them
// (10MB, 512k, 1.5G, 1GiB: powers of 1024; a plain number is bytes) and
// prints them the same way (50MiB), so help shows a default a person reads.
type byteSize int64

func (b *byteSize) String() string { return units.BytesSize(float64(*b)) }

func (b *byteSize) Set(s string) error {
	n, err := units.RAMInBytes(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return fmt.Errorf("bad size %q (want e.g. 10MB, 512KB, 1GB)", s)
	}
	*b = byteSize(n)
	return nil
}

func addScanFlags(fs *flag.FlagSet) *scanOptions {
	o := &scanOptions{command: fs.Name(), maxFileSize: 50 << 20}
	addGlobalFlags(fs, o)
	fs.BoolVar(&o.noBaseline, "no-baseline", false, "do not use the "+baselineFileName+" found at the scan root")
	fs.BoolVar(&o.noPolicy, "no-policy", false, "skip the secret-hygiene policy checks")
	fs.BoolVar(&o.noDecode, "no-decode", false, "do not look inside base64, hex and percent-encoded text")
	fs.Var(&o.maxFileSize, "max-file-size", "skip files larger than this `SIZE` (e.g. 10MB; 0 for no limit)")
	fs.StringVar(&o.inventory, "inventory", "", "secrets inventory `FILE` to tag findings with their owners")
	fs.Var(&o.enableRules, "enable-rule", "run only the rule `ID` (a secretlint or gitleaks rule id, or a hygiene check id); repeat it or separate ids with commas")
	return o
}

// parseFlags parses a command's flags with pflag, printing usage errors as
// one line. Flags may come before, between and after the arguments, as
// users of gitleaks, kubectl or ripgrep type them (`scan . --format json`);
// "--" ends the flags, so a path that starts with "-" can follow it.
func parseFlags(e *env, fs *flag.FlagSet, args []string) (ok bool, code int) {
	if e.capture != nil {
		*e.capture = fs
		return false, exitClean
	}
	fs.SetOutput(io.Discard)
	ps := pflagsFor(fs)
	if wantsHelp(args) {
		printHelp(e, fs, ps)
		return false, exitClean
	}
	if err := ps.Parse(longSingleDash(ps, args)); err != nil {
		e.errorf("%s", flagError(fs.Name(), ps, err))
		return false, exitUsage
	}
	// Parsing "--" and the arguments leaves them as fs.Args, flags kept.
	if err := fs.Parse(append([]string{"--"}, ps.Args()...)); err != nil {
		return false, exitUsage
	}
	formatFromOutput(fs)
	if e.parsed != nil {
		e.parsed(fs)
		return false, exitClean
	}
	return true, 0
}

// wantsHelp reports whether the arguments ask for help before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// printHelp writes a command's help to stdout, so `secretlint scan --help |
// grep baseline` works: its usage lines, then each flag once, GNU style
// (-o, --output FILE), with its default once.
func printHelp(e *env, fs *flag.FlagSet, ps *pflag.FlagSet) {
	var head bytes.Buffer
	saved, savedOut := e.stderr, e.stdout
	e.stderr, e.stdout = &head, &head
	if fs.Usage != nil {
		fs.Usage()
	}
	e.stderr, e.stdout = saved, savedOut
	fs.SetOutput(io.Discard)
	w := e.stdout
	for _, line := range strings.Split(strings.TrimRight(head.String(), "\n"), "\n") {
		if strings.HasPrefix(line, "  -") || strings.HasPrefix(line, "    \t") {
			break // the flag package's own list, replaced below
		}
		if line = strings.TrimPrefix(line, "secretlint: "); line != "" {
			fmt.Fprintln(w, line)
		}
	}
	own := pflag.NewFlagSet(fs.Name(), pflag.ContinueOnError)
	global := pflag.NewFlagSet(fs.Name(), pflag.ContinueOnError)
	ps.VisitAll(func(f *pflag.Flag) {
		if isGlobal(f.Name, f.Usage) {
			global.AddFlag(f)
		} else {
			own.AddFlag(f)
		}
	})
	fmt.Fprintf(w, "\nFlags:\n%s", own.FlagUsages())
	if global.HasFlags() {
		fmt.Fprintf(w, "\nGlobal Flags:\n%s", global.FlagUsages())
	}
}

// formatFromOutput picks the report format from --output's extension
// (report.sarif, out.json, junit.xml, …) when --format was not given, as
// gitleaks does.
func formatFromOutput(fs *flag.FlagSet) {
	out, format := fs.Lookup("output"), fs.Lookup("format")
	if out == nil || format == nil || out.Value.String() == "" {
		return
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "format" })
	if given {
		return
	}
	if f := formatForExt(out.Value.String()); f != "" {
		format.Value.Set(f)
	}
}

// formatForExt returns the report format a file name's extension names, or
// "" when it names none.
func formatForExt(name string) string {
	ext := strings.ToLower(filepath.Ext(name))
	f := map[string]string{".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".sarif": "sarif",
		".xml": "junit", ".junit": "junit", ".csv": "csv", ".html": "html", ".htm": "html", ".txt": "text"}[ext]
	if f != "" && validFormat(f) {
		return f
	}
	return ""
}

// job is what a command hands to the shared pipeline.
type job struct {
	// roots are the directories or files the user named: the configuration
	// is looked for there, and policy checks run over them.
	roots   []string
	sources []scan.Source
	// targets are what the user named, when not the roots (image
	// references), for the HTML report's header.
	targets []string
	// policy runs the hygiene checks over roots (unless --no-policy).
	policy bool
	// policyOpts are extra options for the hygiene checks (a policy-only
	// run counts the files it checks as inputs).
	policyOpts []policy.Option
	// requireInput makes a scan that read nothing exit 3.
	requireInput bool
	// streamed says the findings were already printed as they arrived
	// (follow mode): without --output, the report is replaced by the
	// summary line on stderr so nothing is printed twice.
	streamed bool
	// endsByInterrupt says a signal is how the job normally ends (follow
	// mode), so its report is not marked incomplete for it.
	endsByInterrupt bool
	// full says the job scans everything the configuration is for (a
	// whole tree, a whole history): only then are allowlist entries that
	// suppressed nothing reported stale.
	full bool
	// noBaseline leaves every baseline out, the one at the scan root too
	// (`secretlint baseline` records what a scan without one reports).
	noBaseline bool
	// rotation is the inventory's rotation ages, for the HTML report.
	rotation []report.RotationAge
}

// loadConfig finds and compiles the configuration for the roots.
func loadConfig(o *scanOptions, roots []string) (*config.Config, error) {
	cfg, err := pipeline.LoadConfig(o.configPath, roots)
	if err != nil {
		return nil, err
	}
	if err := cfg.EnableOnly(o.enableRules); err != nil {
		return nil, err
	}
	return cfg, nil
}

// baselineFileName is the baseline `secretlint baseline` writes by default,
// used automatically when it sits at the scan root.
const baselineFileName = pipeline.BaselineFileName

// engineFor builds the engine the options ask for.
func engineFor(o *scanOptions, cfg *config.Config) *scan.Engine {
	return scan.NewEngine(cfg.Rules, scan.WithAllowlist(cfg.Allow), scan.WithDecoding(!o.noDecode), scan.WithFingerprintKey(o.key), scan.WithOverrides(cfg.LogRules))
}

// execute runs a job through the pipeline, prints and writes its report
// and returns the exit code.
func (e *env) execute(ctx context.Context, o *scanOptions, j job) int {
	started := time.Now()
	r, failOn, code := e.runPipeline(ctx, o, j)
	if r == nil {
		return code
	}
	r.Command, r.Targets, r.Started = o.command, j.targets, started
	r.Rotation = j.rotation
	if r.Targets == nil {
		r.Targets = j.roots
	}
	if j.streamed && o.output == "" {
		fmt.Fprintln(e.stderr, report.Summary(r))
	} else if err := e.writeReport(o, r); err != nil {
		e.errorf("write report: %v", err)
		return exitUsage
	}
	if o.verify != nil && o.verify.failOnLive {
		return verdictCode(e, pipeline.JudgeLive(r, j.requireInput))
	}
	return e.exitCode(r, failOn, j.requireInput)
}

// verifierFor builds the checker the verification flags ask for: nil
// without --verify, so nothing is sent anywhere.
func verifierFor(o *scanOptions) (*verify.Checker, error) {
	v := o.verify
	if v == nil {
		return nil, nil
	}
	if !v.on {
		for _, f := range []struct {
			name string
			set  bool
		}{{"--only-verified", v.onlyLive}, {"--fail-on-live", v.failOnLive}, {"--verify-hosts", v.hosts != ""}} {
			if f.set {
				return nil, fmt.Errorf("%s needs --verify (nothing is sent to a provider without it)", f.name)
			}
		}
		return nil, nil
	}
	if v.timeout <= 0 {
		return nil, fmt.Errorf("--verify-timeout: must be positive")
	}
	var hosts []string
	for _, h := range strings.Split(v.hosts, ",") {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		if strings.Contains(h, "/") {
			return nil, fmt.Errorf("--verify-hosts %q: want host[:port] or provider=host[:port], without a scheme or path", h)
		}
		hosts = append(hosts, h)
	}
	return verify.New(
		verify.WithTimeout(v.timeout),
		verify.WithHosts(hosts...),
		verify.WithUserAgent("secretlint/"+toolVersion()),
	), nil
}

// runPipeline checks the options, runs the job and prints the run's
// warnings and input errors. Without a report, code is the exit code.
func (e *env) runPipeline(ctx context.Context, o *scanOptions, j job) (r *report.Report, failOn rules.Severity, code int) {
	failOn, err := rules.ParseSeverity(o.failOn)
	if err != nil {
		e.errorf("--fail-on: %v", err)
		return nil, 0, exitUsage
	}
	if o.jobs < 1 {
		e.errorf("--jobs %d: want at least 1 (the default is the number of CPUs)", o.jobs)
		return nil, 0, exitUsage
	}
	if !validFormat(o.format) {
		e.errorf("--format: unknown format %q (want one of %s)", o.format, strings.Join(report.Formats, ", "))
		return nil, 0, exitUsage
	}
	// An output that cannot take the report fails now, not after a long
	// scan whose findings would then be lost.
	if o.output != "" {
		if err := checkOutput(o.output, o.force); err != nil {
			e.errorf("--output: %v", err)
			return nil, 0, exitUsage
		}
	}
	checker, err := verifierFor(o)
	if err != nil {
		e.errorf("%v", err)
		return nil, 0, exitUsage
	}
	cfg, err := loadConfig(o, j.roots)
	if err != nil {
		e.errorf("%v", err)
		return nil, 0, exitUsage
	}
	for _, w := range cfg.Warnings {
		e.errorf("warning: %s", w)
	}
	opts := []pipeline.Option{
		pipeline.WithConfig(cfg),
		pipeline.WithRoots(j.roots...),
		pipeline.WithSources(j.sources...),
		pipeline.WithDecoding(!o.noDecode),
		pipeline.WithToolVersion(toolVersion()),
		pipeline.WithCancelEnds(j.endsByInterrupt),
		pipeline.WithStaleAllowlist(j.full && len(o.enableRules) == 0 && coversConfig(j.roots, cfg.Path)),
		pipeline.WithWarnings(func(err error) { e.errorf("%v", err) }),
	}
	// The baseline is read before the scan so a bad one fails fast. One
	// committed at the scan root is used unless --no-baseline says not to.
	var bl *baseline.Baseline
	if !j.noBaseline {
		if o.baselinePath == "" && !o.noBaseline {
			if p := pipeline.FindBaseline(j.roots); p != "" {
				o.baselinePath = p
				if !o.quiet {
					fmt.Fprintf(e.stderr, "using baseline %s (--no-baseline to scan without it)\n", p)
				}
			}
		}
		if o.baselinePath != "" {
			if bl, err = baseline.Load(o.baselinePath); err != nil {
				e.errorf("%v", err)
				return nil, 0, exitUsage
			}
			opts = append(opts, pipeline.WithBaseline(bl))
		}
	}
	if o.key == nil {
		if o.key, err = e.projectKey(cfg, o.baselinePath, j.roots); err != nil {
			e.errorf("%v", err)
			return nil, 0, exitUsage
		}
	}
	opts = append(opts, pipeline.WithFingerprintKey(o.key))
	if j.policy && !o.noPolicy {
		opts = append(opts, pipeline.WithPolicy(append([]policy.Option{
			policy.WithJobs(o.jobs),
			policy.WithMaxFileSize(int64(o.maxFileSize)),
		}, j.policyOpts...)...))
	}
	if o.inventory != "" {
		inv, err := inventory.Load(o.inventory)
		if err != nil {
			e.errorf("%v", err)
			return nil, 0, exitUsage
		}
		pol, err := loadInventoryPolicy("", o.inventory, j.roots)
		if err != nil {
			e.errorf("%v", err)
			return nil, 0, exitUsage
		}
		opts = append(opts, pipeline.WithInventory(inv, pol))
	}
	if checker != nil {
		opts = append(opts, pipeline.WithVerifier(checker, o.verify.onlyLive))
	}
	p, err := pipeline.New(opts...)
	if err != nil {
		e.errorf("%v", err)
		return nil, 0, exitUsage
	}
	stopProgress := e.progress(o, p)
	r = p.Run(ctx)
	stopProgress()
	e.baselineKeyNotes(o, bl)
	if ctx.Err() != nil {
		e.errorf("interrupted; reporting what was scanned")
	}
	// Input errors may quote the text they failed on; keep secrets out of
	// stderr as the report does.
	var scrub *report.Scrubber
	if !o.showSecrets {
		scrub = report.NewScrubber(secretsOnly(r.Secrets))
	}
	for _, ie := range r.Errors {
		e.errorf("%s", report.Printable(scrub.Scrub(ie.Error())))
	}
	return r, failOn, 0
}

// secretsOnly wraps secrets as findings, for report.NewScrubber.
func secretsOnly(secrets []string) []scan.Finding {
	fs := make([]scan.Finding, len(secrets))
	for i, s := range secrets {
		fs[i].Secret = s
	}
	return fs
}

// exitCode maps the pipeline's verdict on a report to the exit code.
func (e *env) exitCode(r *report.Report, failOn rules.Severity, requireInput bool) int {
	return verdictCode(e, pipeline.Judge(r, failOn, requireInput))
}

// verdictCode maps a verdict to the exit code.
func verdictCode(e *env, v pipeline.Verdict) int {
	switch v {
	case pipeline.Failed:
		return exitFindings
	case pipeline.InputErrors:
		return exitInput
	case pipeline.NothingScanned:
		e.errorf("nothing was scanned: the inputs are empty or hold no readable files")
		return exitInput
	}
	return exitClean
}

func validFormat(f string) bool {
	for _, n := range report.Formats {
		if strings.EqualFold(n, f) {
			return true
		}
	}
	return false
}

// writeReport renders the report to --output (see createOutput) or stdout.
func (e *env) writeReport(o *scanOptions, r *report.Report) error {
	opts := report.Options{ShowSecrets: o.showSecrets}
	if o.output == "" {
		p := e.colorProfile(e.stdout, o.noColor)
		opts.Color, opts.Profile = p != termenv.Ascii, &p
		if o.quiet && strings.EqualFold(o.format, "text") && len(r.Findings) == 0 && len(r.Errors) == 0 {
			return nil
		}
		return report.Write(e.stdout, o.format, r, opts)
	}
	f, err := createOutput(o.output, o.force, e.errorf)
	if err != nil {
		return err
	}
	if err := report.Write(f, o.format, r, opts); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if !o.quiet {
		fmt.Fprintln(e.stderr, report.Summary(r))
	}
	return nil
}

// progress prints a progress line on stderr while a long scan runs on a
// terminal. It returns a function that stops it and clears the line.
func (e *env) progress(o *scanOptions, p *pipeline.Pipeline) func() {
	if o.quiet || !e.isTerminal(e.stderr) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		shown := false
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprint(e.stderr, "\r\033[K")
				}
				return
			case <-t.C:
				pr := p.Progress()
				if pr.Elapsed < time.Second {
					continue
				}
				fmt.Fprint(e.stderr, "\r\033[K"+progressLine(pr))
				shown = true
			}
		}
	}()
	return func() {
		select {
		case <-done:
		default:
			close(done)
			<-finished
		}
	}
}

// progressLine is the progress line for a snapshot: the units a source
// counts with their total and an estimate of the time left once the total
// is known (files in a tree, layers in an image), else the inputs read;
// then bytes, the findings so far and the rate.
func progressLine(pr pipeline.Progress) string {
	var b strings.Builder
	b.WriteString("scanning: ")
	w := pr.Work
	switch {
	case w.Total > 0:
		done := min(w.Done, w.Total)
		fmt.Fprintf(&b, "%d/%d %s (%d%%)", done, w.Total, w.Unit, done*100/w.Total)
	case w.Done > 0:
		fmt.Fprintf(&b, "%d %s", w.Done, w.Unit)
	default:
		fmt.Fprintf(&b, "%d inputs", pr.Inputs)
	}
	rate := 0.0
	if s := pr.Elapsed.Seconds(); s > 0 {
		rate = float64(pr.Bytes) / s
	}
	noun := "findings"
	if pr.Findings == 1 {
		noun = "finding"
	}
	fmt.Fprintf(&b, ", %s, %d %s, %s/s", units.HumanSize(float64(pr.Bytes)), pr.Findings, noun, units.HumanSize(rate))
	if w.Total > 0 && w.Done > 0 && w.Done < w.Total {
		left := time.Duration(float64(pr.Elapsed) * float64(w.Total-w.Done) / float64(w.Done))
		fmt.Fprintf(&b, ", about %s left", roundETA(left))
	}
	return b.String()
}

// roundETA rounds an estimate to what a person reads: seconds under a
// minute, then minutes.
func roundETA(d time.Duration) time.Duration {
	if d < time.Minute {
		return max(d.Round(time.Second), time.Second)
	}
	return d.Round(time.Minute)
}

// coversConfig reports whether one of the scan's roots is a directory that
// holds the configuration file at cfgPath, directly or below it: only a
// scan of the whole tree the configuration is for can tell an allowlist
// entry that suppresses nothing from one for a file it did not read.
func coversConfig(roots []string, cfgPath string) bool {
	if cfgPath == "" {
		return false
	}
	dir, err := filepath.Abs(filepath.Dir(cfgPath))
	if err != nil {
		return false
	}
	for _, r := range roots {
		if r == "-" {
			continue
		}
		abs, err := filepath.Abs(r)
		if err != nil {
			continue
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			continue
		}
		if rel, err := filepath.Rel(abs, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return true
		}
	}
	return false
}
