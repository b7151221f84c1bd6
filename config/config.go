package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/secretlint/secretlint/catalog"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/logs"
)

// FileName is the configuration file looked for at a scan root.
const FileName = ".secretlint.toml"

// Formats of configuration file, as reported in Config.Format.
const (
	FormatSecretlint = "secretlint"
	FormatGitleaks   = "gitleaks"
)

// maxSize caps a configuration file; anything larger is not a config.
const maxSize = 8 << 20

// Config is a loaded, compiled configuration.
type Config struct {
	// Path is the file it came from; empty for the built-in defaults.
	Path string
	// Format is FormatSecretlint or FormatGitleaks.
	Format string
	// Rules is the rule set to scan with: built-in rules (unless disabled)
	// plus the file's own, with overrides applied.
	Rules *rules.Set
	// Allow is the global allowlist.
	Allow rules.Allowlist
	// Warnings name parts of a gitleaks file that secretlint reads
	// differently or ignores; the CLI prints them.
	Warnings []string
	// Policy holds the [policy] table for the hygiene checks, undecoded.
	Policy toml.Primitive
	// FingerprintKeyFile is the file holding the project's fingerprint key
	// ([fingerprint] key_file, relative to the configuration's directory);
	// "" when the configuration names none.
	FingerprintKeyFile string
	// tally counts what each of the file's allowlist entries suppressed
	// (nil for the built-in defaults).
	tally *rules.Tally
	// LogRules are the [severity] and disable entries that name a log rule
	// (scan/logs): those run only on logs, beside Rules, and take these
	// overrides when the engine adds them (scan.WithOverrides).
	LogRules scan.Overrides
	// Limits are the hygiene checks' settings: the [policy] table, checked
	// when the file loads, with the check ids that [severity] and disable
	// name.
	Limits PolicyLimits
	// meta decodes Policy.
	meta toml.MetaData
	// TestContext is the [context.test] table: what else counts as a test
	// fixture path, and the severity such findings are lowered to.
	TestContext TestContext
	// post are filters that need a finding's commit or an AND of
	// conditions, applied after the scan by Filter.
	post []postFilter
}

// TestContext says which findings are in test fixtures beyond the built-in
// paths (scan.InTestPath), and what to do with them.
type TestContext struct {
	// Paths are regular expressions over finding paths.
	Paths []*regexp.Regexp
	// Severity, when set, lowers the findings in test paths to it (never
	// raises them).
	Severity *rules.Severity
}

// InTest reports whether a path is a test fixture path.
func (t TestContext) InTest(path string) bool {
	if scan.InTestPath(path) {
		return true
	}
	for _, re := range t.Paths {
		if re.MatchString(path) {
			return true
		}
	}
	return false
}

// isLogRule reports whether id names one of the log rules, which are not
// in the configured set but take its [severity] and disable.
func isLogRule(id string) bool {
	rs, err := logs.Rules()
	if err != nil {
		return false
	}
	for _, r := range rs {
		if r.ID == id {
			return true
		}
	}
	return false
}

// Error is a configuration error at a place in a file. Its text reads
// FILE:LINE: rule "ID": problem.
type Error struct {
	Path string
	Line int // 1-based; 0 when unknown
	Col  int // 1-based; 0 when unknown
	Rule string
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	if e.Rule != "" {
		fmt.Fprintf(&b, "rule %q: ", e.Rule)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// PolicyLimits are the settings of the hygiene checks (package policy).
type PolicyLimits struct {
	// MLflowMaxTTL is the largest MLFLOW_*_TTL_SEC accepted, in seconds.
	MLflowMaxTTL int `toml:"mlflow_max_ttl_sec"`
	// TrustedAccounts are AWS account ids that trust policies may name
	// without an external ID (your own accounts).
	TrustedAccounts []string `toml:"trusted_accounts"`
	// DisableChecks lists hygiene check ids to turn off: [policy]
	// disable_checks, and the check ids in the top-level disable.
	DisableChecks []string `toml:"disable_checks"`
	// Severity overrides the severity of hygiene checks, from [severity].
	Severity map[string]rules.Severity `toml:"-"`
}

// DecodePolicy decodes the [policy] table into v.
func (c *Config) DecodePolicy(v any) error {
	if c.Path == "" || c.Format != FormatSecretlint {
		return nil
	}
	return c.meta.PrimitiveDecode(c.Policy, v)
}

// GitleaksFileName is gitleaks' configuration file, used at a scan root
// that has no .secretlint.toml so a team's gitleaks allowlists keep working.
const GitleaksFileName = ".gitleaks.toml"

// Find returns the configuration file at root: .secretlint.toml, else
// .gitleaks.toml, else "".
func Find(root string) string {
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		root = filepath.Dir(root)
	}
	for _, name := range []string{FileName, GitleaksFileName} {
		p := filepath.Join(root, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// Default returns the built-in configuration.
func Default() (*Config, error) {
	set, err := rules.BuiltinSet()
	if err != nil {
		return nil, err
	}
	return &Config{Format: FormatSecretlint, Rules: set}, nil
}

// Load reads and compiles a configuration file; "" means the defaults.
func Load(path string) (*Config, error) {
	if path == "" {
		return Default()
	}
	return load(path, 0)
}

func load(path string, depth int) (*Config, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return parse(path, data, depth)
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", path, err)
	}
	if len(data) > maxSize {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("larger than %d MB; not a configuration file", maxSize>>20)}
	}
	return data, nil
}

// Parse compiles configuration bytes in either format; path names the file
// in errors.
func Parse(path string, data []byte) (*Config, error) { return parse(path, data, 0) }

func parse(path string, data []byte, depth int) (*Config, error) {
	if !utf8.Valid(data) {
		return nil, &Error{Path: path, Msg: "not UTF-8 text; a configuration file is TOML"}
	}
	var raw map[string]any
	if _, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw); err != nil {
		return nil, tomlError(path, err)
	}
	loc := newLocator(data)
	var (
		p   *plan
		err error
	)
	if isGitleaks(raw) {
		p, err = readGitleaks(path, data, raw, loc)
	} else {
		p, err = readSecretlint(path, data, raw, loc)
	}
	if err != nil {
		return nil, err
	}
	return p.compile(path, loc, depth)
}

// tomlError turns a decoder error into an Error with the line it names.
func tomlError(path string, err error) error {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.LastKey != "" {
			msg = fmt.Sprintf("%s (after key %q)", msg, pe.LastKey)
		}
		return &Error{Path: path, Line: pe.Position.Line, Col: pe.Position.Col, Msg: "invalid TOML: " + msg}
	}
	msg := err.Error()
	line := lineOfDecodeError(msg)
	if i := strings.Index(msg, "): "); line > 0 && i >= 0 {
		msg = msg[i+3:]
	}
	return &Error{Path: path, Line: line, Msg: strings.TrimPrefix(msg, "toml: ")}
}

// plan is a configuration file read into one shape, whatever its format,
// with the lines each part came from.
type plan struct {
	format     string
	useDefault bool
	extendPath string // gitleaks [extend] path: a base configuration file
	extendLine int
	disable    []string
	// disableKey is the key that lists disabled rules, to place errors.
	disableKey string
	// lenientDisable turns unknown ids in disable into warnings (a gitleaks
	// file names gitleaks' rule ids).
	lenientDisable bool
	severity       map[string]string
	rules          []ruleDef
	allows         []allowDef
	warnings       []string
	policy         toml.Primitive
	limits         PolicyLimits
	meta           toml.MetaData
	testContext    contextFile
	// keyFile is [fingerprint] key_file as written.
	keyFile string
}

type ruleDef struct {
	spec rules.Spec
	// skip, when set, says why the rule is left out (with a warning).
	skip string
	// path, from a gitleaks rule, limits the rule to matching paths.
	path     string
	from, to int // lines the rule's table covers
	keys     specKeys
}

// specKeys names a rule's keys in the file's format, to place errors.
type specKeys struct {
	secretGroup, allowlist string
}

type allowDef struct {
	where    string // how errors name it: "allowlist", "allowlists[2]"
	rule     string // owning rule for a rule's own allowlist
	targets  []string
	spec     rules.AllowlistSpec
	commits  []string
	and      bool
	from, to int
}

// postFilter drops findings after the scan, for allowlists the engine
// cannot apply while matching: by commit, with an AND of conditions, or a
// gitleaks rule limited to some paths.
type postFilter struct {
	targets map[string]bool // rule ids; empty means all
	allow   rules.Allowlist
	commits map[string]bool
	and     bool
	// keepPath, when set, keeps a target rule's findings only on matching
	// paths.
	keepPath *regexp.Regexp
	// tally counts the entries that matched a finding the filter drops.
	tally *rules.Tally
}

// count credits the entries that matched fd, which the filter drops.
func (f *postFilter) count(fd *scan.Finding) {
	if f.tally == nil {
		return
	}
	if f.commits[fd.Commit] {
		f.tally.Word("commits", fd.Commit).Hit()
	}
	for _, re := range f.allow.Paths {
		if re.MatchString(fd.Path) {
			f.tally.Regexp(re).Hit()
		}
	}
	for _, re := range f.allow.Regexes {
		if re.MatchString(fd.Secret) {
			f.tally.Regexp(re).Hit()
		}
	}
	if len(f.allow.Stopwords) > 0 {
		s := strings.ToLower(fd.Secret)
		for _, w := range f.allow.Stopwords {
			if strings.Contains(s, w) {
				f.tally.Word("stopwords", w).Hit()
			}
		}
	}
}

// tallyAllow records the entries of one allowlist of the file at path.
func tallyAllow(t *rules.Tally, path string, loc *locator, a allowDef, al rules.Allowlist) {
	entry := func(key, text string) *rules.TallyEntry {
		line := firstNonZero(loc.value(a.from, a.to, text), a.from)
		return &rules.TallyEntry{File: path, Line: line, Where: a.where, Key: key, Text: text}
	}
	add := func(key, text string, re *regexp.Regexp) { t.Add(entry(key, text), re) }
	for _, k := range []struct {
		key   string
		texts []string
		res   []*regexp.Regexp
	}{
		{"paths", a.spec.Paths, al.Paths},
		{"regexes", a.spec.Regexes, al.Regexes},
		{"matches", a.spec.Matches, al.Matches},
		{"lines", a.spec.Lines, al.Lines},
	} {
		for i, re := range k.res {
			if i < len(k.texts) {
				add(k.key, k.texts[i], re)
			}
		}
	}
	// Stopwords are matched lower-cased; the entry keeps them as written.
	for _, w := range a.spec.Stopwords {
		t.AddWord(entry("stopwords", w), strings.ToLower(w))
	}
	for _, c := range a.commits {
		t.AddWord(entry("commits", c), c)
	}
}

// StaleAllowlist lists the file's allowlist entries that suppressed
// nothing so far, as "file:line: table.key "entry"". It is meaningful
// after a run that scanned everything the configuration is for.
func (c *Config) StaleAllowlist() []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, e := range c.tally.Unused() {
		out = append(out, fmt.Sprintf("%s:%d: %s.%s %q", e.File, e.Line, e.Where, e.Key, e.Text))
	}
	return out
}

func (f *postFilter) drops(fd *scan.Finding) bool {
	if len(f.targets) > 0 && !f.targets[fd.RuleID] {
		return false
	}
	if f.keepPath != nil {
		return !f.keepPath.MatchString(fd.Path)
	}
	type cond struct{ set, hit bool }
	conds := []cond{
		{len(f.commits) > 0, f.commits[fd.Commit]},
		{len(f.allow.Paths) > 0, f.allow.AllowsPath(fd.Path)},
		{len(f.allow.Regexes) > 0 || len(f.allow.Stopwords) > 0, f.allow.AllowsSecret([]byte(fd.Secret))},
	}
	any, all, n := false, true, 0
	for _, c := range conds {
		if !c.set {
			continue
		}
		n++
		any = any || c.hit
		all = all && c.hit
	}
	if n == 0 {
		return false
	}
	if f.and {
		return all
	}
	return any
}

// Filter drops the findings that allowlists the engine could not apply
// while matching (by commit, or with condition = "AND") exclude, and
// findings of a gitleaks path-limited rule outside its paths. It returns
// the findings kept and how many were dropped.
func (c *Config) Filter(fs []scan.Finding) ([]scan.Finding, int) {
	if c == nil || len(c.post) == 0 {
		return fs, 0
	}
	kept := fs[:0:0]
outer:
	for i := range fs {
		for j := range c.post {
			if c.post[j].drops(&fs[i]) {
				c.post[j].count(&fs[i])
				continue outer
			}
		}
		kept = append(kept, fs[i])
	}
	return kept, len(fs) - len(kept)
}

// aliasesIn returns the rules of byID that alias the gitleaks default rule
// id, when id is not itself one of them.
func aliasesIn(byID map[string]int, id string) []string {
	if _, ok := byID[id]; ok {
		return nil
	}
	var out []string
	for _, a := range rules.GitleaksAlias(id) {
		if _, ok := byID[a]; ok {
			out = append(out, a)
		}
	}
	return out
}

// maxExtendDepth bounds chains of gitleaks [extend] path files.
const maxExtendDepth = 3

func (p *plan) compile(path string, loc *locator, depth int) (*Config, error) {
	errAt := func(line int, rule, format string, args ...any) error {
		return &Error{Path: path, Line: line, Rule: rule, Msg: fmt.Sprintf(format, args...)}
	}
	cfg := &Config{Path: path, Format: p.format, Policy: p.policy, Limits: p.limits, meta: p.meta, Warnings: p.warnings}
	if err := checkLimits(&cfg.Limits, loc, errAt); err != nil {
		return nil, err
	}
	if p.keyFile != "" {
		cfg.FingerprintKeyFile = p.keyFile
		if !filepath.IsAbs(p.keyFile) {
			cfg.FingerprintKeyFile = filepath.Join(filepath.Dir(path), p.keyFile)
		}
	}
	cf, _ := loc.tableSpan("context.test")
	if s := p.testContext.Severity; s != "" {
		v, err := rules.ParseSeverity(s)
		if err != nil {
			return nil, errAt(cf, "", "[context.test] severity: %v", err)
		}
		cfg.TestContext.Severity = &v
	}
	for _, pat := range p.testContext.Paths {
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, errAt(cf, "", "[context.test] paths: %v", err)
		}
		cfg.TestContext.Paths = append(cfg.TestContext.Paths, re)
	}
	var base []*rules.Rule
	if p.useDefault {
		b, err := rules.Builtin()
		if err != nil {
			return nil, err
		}
		base = b
	}
	if p.extendPath != "" {
		if depth >= maxExtendDepth {
			return nil, errAt(p.extendLine, "", "[extend] path: more than %d files extend each other", maxExtendDepth)
		}
		// gitleaks reads the path from the working directory; a path
		// relative to the extending file is tried too.
		ep := p.extendPath
		if _, err := os.Stat(ep); err != nil && !filepath.IsAbs(ep) {
			ep = filepath.Join(filepath.Dir(path), ep)
		}
		ec, err := load(ep, depth+1)
		if err != nil {
			return nil, errAt(p.extendLine, "", "[extend] path: %v", err)
		}
		have := map[string]bool{}
		for _, r := range base {
			have[r.ID] = true
		}
		for _, r := range ec.Rules.Rules() {
			if !have[r.ID] {
				base = append(base, r)
			}
		}
		cfg.Allow = mergeAllow(cfg.Allow, ec.Allow)
		cfg.post = append(cfg.post, ec.post...)
		if ec.tally != nil {
			if cfg.tally == nil {
				cfg.tally = &rules.Tally{}
			}
			cfg.tally.Include(ec.tally)
		}
		cfg.Warnings = append(cfg.Warnings, ec.Warnings...)
	}

	var rs []*rules.Rule
	byID := map[string]int{}
	for _, r := range base {
		byID[r.ID] = len(rs)
		rs = append(rs, r)
	}

	// The file's own rules: check each key, so an error names its line.
	// A rule whose id is already defined (built in, or in an extended
	// file) overrides the fields it sets and adds its allowlist.
	seen := map[string]int{}
	skipped := map[string]bool{}
	warn := func(line int, id, format string, args ...any) {
		cfg.Warnings = append(cfg.Warnings, fmt.Sprintf("%s:%d: rule %q: %s", path, line, id, fmt.Sprintf(format, args...)))
	}
	// addRule compiles s and adds it, or puts it in place of the rule of
	// its id when override is set (that rule's allowlist is kept).
	replaced := map[string]bool{}
	addRule := func(d ruleDef, s rules.Spec, override bool) error {
		if key, msg := checkSpec(s, d.keys); msg != "" {
			return errAt(firstNonZero(loc.key(d.from, d.to, key), d.from), s.ID, "%s", msg)
		}
		r, err := s.Compile()
		if err != nil {
			return errAt(d.from, s.ID, "%s", strings.TrimPrefix(err.Error(), fmt.Sprintf("rule %q: ", s.ID)))
		}
		if d.path != "" {
			re, err := regexp.Compile(d.path)
			if err != nil {
				return errAt(firstNonZero(loc.key(d.from, d.to, "path"), d.from), s.ID, "path: bad regex: %v", err)
			}
			cfg.post = append(cfg.post, postFilter{targets: map[string]bool{s.ID: true}, keepPath: re})
		}
		if j, ok := byID[s.ID]; ok && override {
			r.Allow = mergeAllow(rs[j].Allow, r.Allow)
			rs[j] = r
			return nil
		}
		byID[r.ID] = len(rs)
		rs = append(rs, r)
		return nil
	}
	for i, d := range p.rules {
		s := d.spec
		if s.ID == "" {
			return nil, errAt(d.from, "", "rule #%d has no id", i+1)
		}
		if prev, dup := seen[s.ID]; dup {
			if p.format != FormatGitleaks {
				return nil, errAt(d.from, s.ID, "defined twice (first at line %d)", prev)
			}
			warn(d.from, s.ID, "defined twice (first at line %d); the later definition's fields win", prev)
		}
		seen[s.ID] = d.from
		if d.skip != "" {
			warn(d.from, s.ID, "%s; rule skipped", d.skip)
			skipped[s.ID] = true
			continue
		}
		j, override := byID[s.ID]
		// A gitleaks rule without a regex whose id is a gitleaks default
		// id extends the built-in rules that alias it, as it would extend
		// gitleaks' own rule: its allowlists, entropy, keywords and path
		// apply to each of them (its allowlists through expand, below).
		if !override && s.Regex == "" && p.format == FormatGitleaks {
			if as := aliasesIn(byID, s.ID); len(as) > 0 {
				for _, a := range as {
					base := rs[byID[a]]
					sa := s
					sa.ID, sa.Hint = a, ""
					if sa.Description == s.ID {
						sa.Description = ""
					}
					if len(s.Keywords) > 0 {
						sa.Keywords = append(append([]string(nil), base.Keywords...), s.Keywords...)
					}
					if len(s.Tags) > 0 {
						sa.Tags = append(append([]string(nil), base.Tags...), s.Tags...)
					}
					if err := addRule(d, overlay(base, sa), true); err != nil {
						return nil, err
					}
				}
				continue
			}
		}
		if override {
			s = overlay(rs[j], s)
		} else if s.Regex == "" && d.path != "" {
			warn(d.from, s.ID, "rules that match a path alone are not supported; rule skipped")
			skipped[s.ID] = true
			continue
		} else if s.Regex == "" && p.format == FormatGitleaks && p.useDefault {
			warn(d.from, s.ID, "no regex, and secretlint's built-in rules have no rule with this id to extend; rule skipped")
			skipped[s.ID] = true
			continue
		} else if p.format == FormatGitleaks {
			// A gitleaks rule with its own regex replaces gitleaks' rule
			// of that id, so it replaces the built-in rules that alias it.
			for _, a := range aliasesIn(byID, s.ID) {
				replaced[a] = true
			}
		}
		if err := addRule(d, s, override); err != nil {
			return nil, err
		}
	}

	// expand turns an id into the rules it names: itself, or, for a gitleaks
	// default rule id that is not a rule here, the built-in rules that
	// detect the same credentials.
	expand := func(id string) []string {
		if _, ok := byID[id]; ok {
			return []string{id}
		}
		var out []string
		for _, a := range rules.GitleaksAlias(id) {
			if _, ok := byID[a]; ok {
				out = append(out, a)
			}
		}
		return out
	}

	// Disabled rules.
	disabled := replaced
	for _, id := range p.disable {
		if ids := expand(id); len(ids) > 0 && ids[0] != id {
			for _, a := range ids {
				disabled[a] = true
			}
			continue
		}
		if _, ok := byID[id]; !ok {
			line := firstNonZero(loc.value(0, 0, id), loc.key(0, 0, p.disableKey))
			if _, ok := rules.GitleaksNoRule(id); ok {
				continue // a gitleaks id with no rule here: nothing to disable
			}
			if isLogRule(id) {
				cfg.LogRules.Disable(id)
				continue
			}
			if c, ok := catalog.Check(id); ok {
				if c.Kind != catalog.HygieneCheck {
					return nil, errAt(line, "", "%s: %q is an inventory check: disable it in the inventory policy (docs/inventory.md)", p.disableKey, id)
				}
				cfg.Limits.DisableChecks = append(cfg.Limits.DisableChecks, id)
				continue
			}
			if p.lenientDisable {
				cfg.Warnings = append(cfg.Warnings, fmt.Sprintf("%s:%d: %s: no rule %q to disable", path, line, p.disableKey, id))
				continue
			}
			return nil, errAt(line, "", "%s: no rule %q to disable (see 'secretlint rules')", p.disableKey, id)
		}
		disabled[id] = true
	}

	// Severity overrides.
	sf, st := loc.tableSpan("severity")
	ids := make([]string, 0, len(p.severity))
	for id := range p.severity {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		line := firstNonZero(loc.key(sf, st, id), sf)
		targets := expand(id)
		c, isCheck := catalog.Check(id)
		logRule := len(targets) == 0 && isLogRule(id)
		if _, ok := rules.GitleaksNoRule(id); ok && len(targets) == 0 {
			continue // a gitleaks id with no rule here: nothing to rate
		}
		if len(targets) == 0 && !isCheck && !logRule {
			return nil, errAt(line, id, "severity override for a rule that does not exist")
		}
		v, err := rules.ParseSeverity(p.severity[id])
		if err != nil {
			return nil, errAt(line, id, "severity: %v", err)
		}
		if logRule {
			cfg.LogRules.SetSeverity(id, v)
			continue
		}
		if len(targets) == 0 {
			if c.Kind != catalog.HygieneCheck {
				return nil, errAt(line, id, "an inventory check: set its severity in the inventory policy (docs/inventory.md)")
			}
			if cfg.Limits.Severity == nil {
				cfg.Limits.Severity = map[string]rules.Severity{}
			}
			cfg.Limits.Severity[id] = v
			continue
		}
		for _, t := range targets {
			i := byID[t]
			cp := *rs[i]
			cp.Severity = v
			rs[i] = &cp
		}
	}

	// Allowlists.
	var globalMatches, globalLines []*regexp.Regexp
	for _, a := range p.allows {
		if skipped[a.rule] {
			continue
		}
		al, key, err := compileAllow(a.spec)
		if err != nil {
			return nil, errAt(firstNonZero(loc.key(a.from, a.to, key), a.from), a.rule, "%s: %v", a.where, err)
		}
		if path != "" {
			if cfg.tally == nil {
				cfg.tally = &rules.Tally{}
			}
			al.Tally = cfg.tally
			tallyAllow(cfg.tally, path, loc, a, al)
		}
		var targets []string
		noRule := 0
		for _, t := range a.targets {
			ids := expand(t)
			if len(ids) == 0 {
				line := firstNonZero(loc.value(a.from, a.to, t), a.from)
				if _, ok := rules.GitleaksNoRule(t); ok {
					noRule++
					cfg.Warnings = append(cfg.Warnings, fmt.Sprintf("%s:%d: %s: gitleaks id %q has no rule here (docs/gitleaks.md)", path, line, a.where, t))
					continue
				}
				return nil, errAt(line, a.rule, "%s: no rule %q to apply to", a.where, t)
			}
			targets = append(targets, ids...)
		}
		// An allowlist that targets only gitleaks ids with no rule here
		// applies to nothing; without its targets it would be global.
		if noRule > 0 && len(targets) == 0 {
			continue
		}
		a.targets = targets
		if a.and || len(a.commits) > 0 {
			pf := postFilter{allow: al, and: a.and, targets: map[string]bool{}, tally: al.Tally}
			// The filter counts only what it drops (an AND of conditions
			// may match one and still keep the finding).
			pf.allow.Tally = nil
			for _, t := range a.targets {
				pf.targets[t] = true
			}
			if len(a.commits) > 0 {
				pf.commits = map[string]bool{}
				for _, c := range a.commits {
					pf.commits[c] = true
				}
			}
			cfg.post = append(cfg.post, pf)
			continue
		}
		if len(a.targets) == 0 {
			cfg.Allow = mergeAllow(cfg.Allow, al)
			// The engine applies a global allowlist's paths, regexes and
			// stopwords; whole-match regexes are checked per rule.
			globalMatches = append(globalMatches, al.Matches...)
			globalLines = append(globalLines, al.Lines...)
			continue
		}
		for _, t := range a.targets {
			i := byID[t]
			cp := *rs[i]
			cp.Allow = mergeAllow(cp.Allow, al)
			rs[i] = &cp
		}
	}

	kept := rs[:0:0]
	for _, r := range rs {
		if disabled[r.ID] {
			continue
		}
		if len(globalMatches) > 0 || len(globalLines) > 0 {
			cp := *r
			cp.Allow = mergeAllow(cp.Allow, rules.Allowlist{Matches: globalMatches, Lines: globalLines})
			r = &cp
		}
		kept = append(kept, r)
	}
	set, err := rules.NewSet(kept)
	if err != nil {
		return nil, errAt(0, "", "%v", err)
	}
	cfg.Rules = set
	if set.Len() == 0 {
		hint := "[extend] use_default = true"
		if p.format == FormatGitleaks {
			hint = "[extend] useDefault = true"
		}
		cfg.Warnings = append(cfg.Warnings, fmt.Sprintf("%s: no rules: nothing will be found (add %s for the built-in rules)", path, hint))
	}
	return cfg, nil
}

// checkLimits checks the [policy] table: every id in disable_checks names
// a hygiene check.
func checkLimits(l *PolicyLimits, loc *locator, errAt func(int, string, string, ...any) error) error {
	for _, id := range l.DisableChecks {
		if c, ok := catalog.Check(id); !ok || c.Kind != catalog.HygieneCheck {
			from, to := loc.tableSpan("policy")
			return errAt(firstNonZero(loc.value(from, to, id), from), "", "[policy] disable_checks: unknown check %q (see 'secretlint policy --list')", id)
		}
	}
	return nil
}

// overlay returns the spec of base with the fields s sets put over it.
// The allowlist is s's own; the caller merges base's back in.
func overlay(base *rules.Rule, s rules.Spec) rules.Spec {
	out := rules.Spec{
		ID:          base.ID,
		Description: base.Description,
		Severity:    base.Severity.String(),
		Keywords:    base.Keywords,
		Regex:       base.Pattern,
		SecretGroup: base.SecretGroup,
		Entropy:     base.Entropy,
		Validator:   base.ValidatorName,
		Multiline:   base.Multiline || s.Multiline,
		Generic:     base.Generic || s.Generic,
		Priority:    base.Priority,
		Hint:        base.Hint,
		Tags:        base.Tags,
		Allowlist:   s.Allowlist,
	}
	if base.KeepPlaceholders {
		f := false
		out.Placeholder = &f
	}
	if s.Description != "" {
		out.Description = s.Description
	}
	if s.Severity != "" {
		out.Severity = s.Severity
	}
	if len(s.Keywords) > 0 {
		out.Keywords = s.Keywords
	}
	if s.Regex != "" {
		out.Regex, out.SecretGroup = s.Regex, s.SecretGroup
	} else {
		// The window, required strings and precheck are tuned to the
		// built-in regex: they stay with it unless the override sets them.
		out.Window, out.Precheck = base.Window, base.PrecheckName
		for _, q := range base.Requires {
			out.Requires = append(out.Requires, string(q))
		}
		if s.SecretGroup != 0 {
			out.SecretGroup = s.SecretGroup
		}
	}
	if s.Window != 0 {
		out.Window = s.Window
	}
	if s.Precheck != "" {
		out.Precheck = s.Precheck
	}
	if len(s.Requires) > 0 {
		out.Requires = s.Requires
	}
	if s.Entropy != 0 {
		out.Entropy = s.Entropy
	}
	if s.Validator != "" {
		out.Validator = s.Validator
	}
	if s.Placeholder != nil {
		out.Placeholder = s.Placeholder
	}
	if s.Priority != 0 {
		out.Priority = s.Priority
	}
	if s.Hint != "" {
		out.Hint = s.Hint
	}
	if len(s.Tags) > 0 {
		out.Tags = s.Tags
	}
	return out
}

// checkSpec checks a rule's values one by one and names the key at fault.
func checkSpec(s rules.Spec, k specKeys) (key, msg string) {
	if s.Regex == "" {
		return "id", "regex is missing or empty"
	}
	re, err := regexp.Compile(s.Regex)
	if err != nil {
		return "regex", fmt.Sprintf("regex: %v", err)
	}
	if s.SecretGroup < 0 || s.SecretGroup > re.NumSubexp() {
		return k.secretGroup, fmt.Sprintf("%s = %d, but the regex has %d groups", k.secretGroup, s.SecretGroup, re.NumSubexp())
	}
	if s.Severity != "" {
		if _, err := rules.ParseSeverity(s.Severity); err != nil {
			return "severity", err.Error()
		}
	}
	if s.Entropy < 0 || s.Entropy > 8 {
		return "entropy", fmt.Sprintf("entropy = %v, want 0 to 8 bits per byte", s.Entropy)
	}
	for _, kw := range s.Keywords {
		if strings.TrimSpace(kw) == "" {
			return "keywords", "empty keyword"
		}
	}
	if s.Validator != "" {
		known := rules.ValidatorNames()
		if i := sort.SearchStrings(known, s.Validator); i == len(known) || known[i] != s.Validator {
			return "validator", fmt.Sprintf("unknown validator %q (known: %s)", s.Validator, strings.Join(known, ", "))
		}
	}
	if _, key, err := compileAllow(s.Allowlist); err != nil {
		return key, fmt.Sprintf("%s: %v", k.allowlist, err)
	}
	return "", ""
}

// compileAllow compiles an allowlist and names the key of a bad regex.
func compileAllow(a rules.AllowlistSpec) (rules.Allowlist, string, error) {
	for _, p := range a.Paths {
		if _, err := regexp.Compile(p); err != nil {
			return rules.Allowlist{}, "paths", fmt.Errorf("paths: bad regex %q: %v", p, err)
		}
	}
	for _, p := range a.Regexes {
		if _, err := regexp.Compile(p); err != nil {
			return rules.Allowlist{}, "regexes", fmt.Errorf("regexes: bad regex %q: %v", p, err)
		}
	}
	for _, p := range a.Matches {
		if _, err := regexp.Compile(p); err != nil {
			return rules.Allowlist{}, "matches", fmt.Errorf("matches: bad regex %q: %v", p, err)
		}
	}
	for _, p := range a.Lines {
		if _, err := regexp.Compile(p); err != nil {
			return rules.Allowlist{}, "lines", fmt.Errorf("lines: bad regex %q: %v", p, err)
		}
	}
	for _, w := range a.Stopwords {
		if w == "" {
			return rules.Allowlist{}, "stopwords", errors.New("stopwords: empty stopword would allow everything")
		}
	}
	al, err := a.Compile()
	return al, "", err
}

// mergeAllow returns the union of two allowlists without sharing backing
// arrays with either (built-in rules are shared).
func mergeAllow(a, b rules.Allowlist) rules.Allowlist {
	return rules.Allowlist{
		Paths:     append(append([]*regexp.Regexp(nil), a.Paths...), b.Paths...),
		Regexes:   append(append([]*regexp.Regexp(nil), a.Regexes...), b.Regexes...),
		Stopwords: append(append([]string(nil), a.Stopwords...), b.Stopwords...),
		Matches:   append(append([]*regexp.Regexp(nil), a.Matches...), b.Matches...),
		Lines:     append(append([]*regexp.Regexp(nil), a.Lines...), b.Lines...),
		Tally:     tallyOf(a, b),
	}
}

// tallyOf is the tally a merged allowlist counts into: the later one's,
// which includes the entries of a base configuration.
func tallyOf(a, b rules.Allowlist) *rules.Tally {
	if b.Tally != nil {
		return b.Tally
	}
	return a.Tally
}

func firstNonZero(vs ...int) int {
	for _, v := range vs {
		if v != 0 {
			return v
		}
	}
	return 0
}
