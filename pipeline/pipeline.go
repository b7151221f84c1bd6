package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/secretlint/secretlint/baseline"
	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/inventory"
	"github.com/secretlint/secretlint/policy"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
)

// ErrIncomplete marks the report of a run that was cancelled before its
// sources finished. It is recorded as an input error (input "signal"), so
// every report format shows it and the run cannot pass for a clean one.
var ErrIncomplete = errors.New("the scan stopped early and this report is incomplete")

// Option configures a Pipeline.
type Option func(*options)

type options struct {
	cfg         *config.Config
	sources     []scan.Source
	roots       []string
	policy      []policy.Option
	policyOn    bool
	inv         *inventory.Inventory
	invPolicy   *policy.InventoryPolicy
	enrichers   []Enricher
	baseline    *baseline.Baseline
	noDecode    bool
	staleAllow  bool
	cancelEnds  bool
	toolVersion string
	warn        func(error)
	key         *fingerprint.Key
	verifier    Verifier
	onlyLive    bool
}

// WithConfig sets the compiled configuration: rules, allowlists, filters
// and the [policy] table. Without it the built-in defaults apply.
func WithConfig(cfg *config.Config) Option { return func(o *options) { o.cfg = cfg } }

// WithSources adds sources, scanned in order.
func WithSources(srcs ...scan.Source) Option {
	return func(o *options) { o.sources = append(o.sources, srcs...) }
}

// WithRoots names the directories or files the user asked for: the checks
// run over them, their .gitleaksignore files apply and baseline paths are
// matched relative to them. "-" (stdin) is allowed and ignored there.
func WithRoots(roots ...string) Option { return func(o *options) { o.roots = roots } }

// WithPolicy runs the hygiene checks over the roots after the sources, with
// the configuration's rules, path allowlist and [policy] limits; opts add
// to those (jobs, file size cap, input counting for a policy-only run).
func WithPolicy(opts ...policy.Option) Option {
	return func(o *options) { o.policyOn, o.policy = true, opts }
}

// WithInventory cross-checks the inventory with the scanned directories
// and tags every finding whose value it lists with the entry and its owner.
func WithInventory(inv *inventory.Inventory, pol *policy.InventoryPolicy) Option {
	return func(o *options) { o.inv, o.invPolicy = inv, pol }
}

// WithEnrichers adds enrichers, run after the built-in ones.
func WithEnrichers(es ...Enricher) Option {
	return func(o *options) { o.enrichers = append(o.enrichers, es...) }
}

// WithBaseline suppresses the findings the baseline records and reports its
// entries that matched nothing as stale.
func WithBaseline(b *baseline.Baseline) Option { return func(o *options) { o.baseline = b } }

// WithStaleAllowlist lists, after the run, the configuration file's
// allowlist entries that suppressed nothing (Report.StaleAllowlist). Only
// a run over everything the configuration is for should ask: in a partial
// one (staged lines, a commit range, some rules) an entry for what was
// not scanned would be reported stale wrongly.
func WithStaleAllowlist(on bool) Option { return func(o *options) { o.staleAllow = on } }

// WithDecoding turns looking inside base64, hex and percent-encoded text on
// or off (on by default).
func WithDecoding(on bool) Option { return func(o *options) { o.noDecode = !on } }

// WithCancelEnds says cancellation is how the run normally ends (following
// a growing log), so its report is not marked incomplete.
func WithCancelEnds(on bool) Option { return func(o *options) { o.cancelEnds = on } }

// WithFingerprintKey keys the findings' fingerprints and secret hashes
// with the project's key, in the engine and the hygiene checks alike; nil
// (the default) keeps unkeyed fingerprints and no secret_hash.
func WithFingerprintKey(k *fingerprint.Key) Option { return func(o *options) { o.key = k } }

// WithToolVersion sets the report's tool version.
func WithToolVersion(v string) Option { return func(o *options) { o.toolVersion = v } }

// WithWarnings receives problems that do not stop the run and belong on no
// report, such as a .gitleaksignore that cannot be read.
func WithWarnings(fn func(error)) Option { return func(o *options) { o.warn = fn } }

// Pipeline is one scan run. Progress may be called from another goroutine
// while Run runs.
type Pipeline struct {
	o     options
	eng   *scan.Engine
	col   *scan.Collector
	start time.Time
	supp  []Suppression
}

// New builds a pipeline. It fails only when the default configuration
// cannot be compiled.
func New(opts ...Option) (*Pipeline, error) {
	p := &Pipeline{col: &scan.Collector{}, start: time.Now()}
	for _, opt := range opts {
		opt(&p.o)
	}
	if p.o.cfg == nil {
		cfg, err := config.Default()
		if err != nil {
			return nil, err
		}
		p.o.cfg = cfg
	}
	if p.o.warn == nil {
		p.o.warn = func(error) {}
	}
	p.eng = scan.NewEngine(p.o.cfg.Rules, scan.WithAllowlist(p.o.cfg.Allow), scan.WithDecoding(!p.o.noDecode), scan.WithFingerprintKey(p.o.key), scan.WithOverrides(p.o.cfg.LogRules))
	return p, nil
}

// Run builds a pipeline from opts and runs it.
func Run(ctx context.Context, opts ...Option) (*report.Report, error) {
	p, err := New(opts...)
	if err != nil {
		return nil, err
	}
	return p.Run(ctx), nil
}

// Progress is a snapshot of a running scan.
type Progress struct {
	Inputs    int64
	Fragments int64
	Bytes     int64
	Findings  int
	Elapsed   time.Duration
	// Work is the sources' own count of what they do (files, commits,
	// layers) with its total once known, for an estimate of the time left.
	Work scan.Work
}

// Progress returns how far the run has got. It reads counters only, so it
// is cheap enough to call several times a second.
func (p *Pipeline) Progress() Progress {
	frags, b := p.eng.Scanned()
	return Progress{
		Inputs:    p.col.Inputs(),
		Fragments: frags,
		Bytes:     b,
		Findings:  p.col.Found(),
		Elapsed:   time.Since(p.start),
		Work:      p.col.Work(),
	}
}

// Suppressions returns, after Run, what each suppressor dropped and which
// of its entries matched nothing, in the order they ran.
func (p *Pipeline) Suppressions() []Suppression { return p.supp }

// Run scans and returns the report. A cancelled ctx stops the sources at
// their next read; the report then holds what was scanned and, unless
// WithCancelEnds, an input error wrapping ErrIncomplete.
func (p *Pipeline) Run(ctx context.Context) *report.Report {
	o, col := &p.o, p.col
	// Sources, then checks.
	for _, src := range o.sources {
		if err := src.Scan(ctx, p.eng, col); err != nil {
			col.Error(sourceName(src), err)
		}
	}
	if o.policyOn {
		p.runPolicy(ctx)
	}
	if o.inv != nil {
		p.crossCheckInventory(ctx)
	}
	if ctx.Err() != nil && !o.cancelEnds {
		col.Error("signal", fmt.Errorf("%v: %w", context.Cause(ctx), ErrIncomplete))
	}

	// Enrichers add what they know; the findings are sorted once.
	findings := col.Snapshot()
	for _, e := range p.enrichers() {
		if err := e.Enrich(ctx, findings, col); err != nil {
			col.Error(sourceName(e), err)
		}
	}
	scan.SortFindings(findings)
	// Suppressed findings' secrets stay secret where other fields quote them.
	runSecrets := make([]string, len(findings))
	for i, f := range findings {
		runSecrets[i] = f.Secret
	}

	// Suppression keeps the order.
	suppressed := 0
	p.supp = nil
	for _, s := range p.suppressors() {
		before := len(findings)
		var stale []string
		findings, stale = s.Suppress(findings)
		p.supp = append(p.supp, Suppression{Name: s.Name(), Suppressed: before - len(findings), Stale: stale})
		suppressed += before - len(findings)
	}
	// Verification asks providers about what is left, so nothing the
	// project accepted leaves the machine.
	before := len(findings)
	findings = p.verify(ctx, findings)
	suppressed += before - len(findings)

	_, bytesScanned := p.eng.Scanned()
	errs := allowedErrors(col.Errors(), o.cfg)
	skips := col.Skips()
	// Every use of the configuration's allowlists (the engine's, the
	// hygiene checks', the suppressors') is over: the tally is complete.
	var staleAllow []string
	if o.staleAllow {
		staleAllow = o.cfg.StaleAllowlist()
	}
	return &report.Report{
		ToolVersion:    o.toolVersion,
		Findings:       findings,
		Errors:         errs,
		Skips:          skips,
		Stale:          staleEntries(p.supp),
		StaleAllowlist: staleAllow,
		Secrets:        runSecrets,
		Rules:          p.eng.Rules(),
		Verified:       o.verifier != nil,
		Stats: report.Stats{
			Inputs:     col.Inputs(),
			Bytes:      bytesScanned,
			Findings:   len(findings),
			Suppressed: suppressed,
			Errors:     len(errs),
			Skipped:    len(skips),
			Seconds:    time.Since(p.start).Seconds(),
		},
	}
}

// runPolicy runs the hygiene checks over the roots, with the limits of
// the [policy] table (checked when the configuration loaded).
func (p *Pipeline) runPolicy(ctx context.Context) {
	cfg := p.o.cfg
	opts := append([]policy.Option{
		policy.WithLimits(policy.LimitsFromConfig(cfg)),
		policy.WithRules(cfg.Rules),
		policy.WithSkipPath(cfg.Allow.AllowsPath),
		policy.WithFingerprintKey(p.o.key),
	}, p.o.policy...)
	policy.Run(ctx, p.o.roots, p.col, opts...)
}

// crossCheckInventory compares the inventory with the names and IAM grants
// in the scanned directories. Single files, archives, images and stdin are
// left out: there every entry would look unused. Files that do not parse
// are the hygiene checks' to report.
func (p *Pipeline) crossCheckInventory(ctx context.Context) {
	var dirs []string
	for _, r := range p.o.roots {
		if fi, err := os.Stat(r); r != "-" && err == nil && fi.IsDir() {
			dirs = append(dirs, r)
		}
	}
	if len(dirs) == 0 {
		return
	}
	found := policy.FindInventoryReferences(ctx, dirs, p.o.cfg.Allow.AllowsPath, nil)
	p.col.Add(policy.CrossCheckInventory(p.o.inv, p.o.invPolicy, found.Refs, found.Statements)...)
}

// enrichers lists the enrichers in the order they run: the test-context
// marker, those the sources
// bring (a git history attributes its own findings), the inventory's, then
// the caller's.
func (p *Pipeline) enrichers() []Enricher {
	es := []Enricher{markTestContext{p.o.cfg.TestContext, RootDirs(p.o.roots)}}
	for _, s := range p.o.sources {
		if e, ok := s.(Enricher); ok {
			es = append(es, e)
		}
	}
	if p.o.inv != nil {
		es = append(es, TagInventory(p.o.inv))
	}
	return append(es, p.o.enrichers...)
}

// allowedErrors drops errors about inputs the global path allowlist
// excludes (a path the user allowlisted is not theirs to fix), and repeats:
// when the secret scan and the policy checks both fail on one input, the
// first error names it.
func allowedErrors(errs []*scan.InputError, cfg *config.Config) []*scan.InputError {
	kept := errs[:0:0]
	seen := map[string]bool{}
	for _, e := range errs {
		if seen[e.Input] || cfg.Allow.AllowsPath(e.Input) {
			continue
		}
		seen[e.Input] = true
		kept = append(kept, e)
	}
	return kept
}

func sourceName(s any) string {
	if n, ok := s.(interface{ String() string }); ok {
		return n.String()
	}
	return fmt.Sprintf("%T", s)
}

// Incomplete reports whether the report is of a run that was stopped early.
func Incomplete(r *report.Report) bool {
	for _, e := range r.Errors {
		if errors.Is(e, ErrIncomplete) {
			return true
		}
	}
	return false
}

// BaselineFileName is the baseline `secretlint baseline` writes by default,
// used automatically when it sits at the scan root.
const BaselineFileName = ".secretlint-baseline.json"

// LoadConfig loads the configuration file at path, or, when path is "",
// the .secretlint.toml at the first root, or the built-in defaults.
func LoadConfig(path string, roots []string) (*config.Config, error) {
	if path == "" && len(roots) > 0 && roots[0] != "-" {
		path = config.Find(roots[0])
	}
	return config.Load(path)
}

// FindBaseline returns the baseline file at the first root (the directory,
// or a file's directory), or "".
func FindBaseline(roots []string) string {
	if len(roots) == 0 || roots[0] == "-" {
		return ""
	}
	dir := roots[0]
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	}
	dirs := []string{dir}
	if !filepath.IsAbs(dir) && filepath.Clean(dir) != "." {
		// Files named relative to the working directory, as hooks name
		// them: the repository root's baseline applies to them.
		dirs = append(dirs, ".")
	}
	for _, d := range dirs {
		p := filepath.Join(d, BaselineFileName)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// RootDirs returns the directories of the roots (a file's directory),
// leaving out stdin.
func RootDirs(roots []string) []string {
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
