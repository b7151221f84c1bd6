package rules

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
)

// Spec is a rule as written in TOML, before compilation. The built-in rule
// file and user configuration files share this shape.
type Spec struct {
	ID          string        `toml:"id"`
	Description string        `toml:"description"`
	Severity    string        `toml:"severity"`
	Keywords    []string      `toml:"keywords"`
	Regex       string        `toml:"regex"`
	SecretGroup int           `toml:"secret_group"`
	Entropy     float64       `toml:"entropy"`
	Validator   string        `toml:"validator"`
	Multiline   bool          `toml:"multiline"`
	Window      int           `toml:"window"`
	Requires    []string      `toml:"requires"`
	Precheck    string        `toml:"precheck"`
	Generic     bool          `toml:"generic"`
	Priority    int           `toml:"priority"`
	Placeholder *bool         `toml:"reject_placeholders"`
	Hint        string        `toml:"hint"`
	Tags        []string      `toml:"tags"`
	Allowlist   AllowlistSpec `toml:"allowlist"`
}

// AllowlistSpec is an allowlist as written in TOML.
type AllowlistSpec struct {
	Description string   `toml:"description"`
	Paths       []string `toml:"paths"`
	Regexes     []string `toml:"regexes"`
	Stopwords   []string `toml:"stopwords"`
	// Matches are regexes matched against the whole match of the rule.
	Matches []string `toml:"matches"`
	// Lines are regexes matched against the line(s) holding the match.
	Lines []string `toml:"lines"`
}

// Compile checks a spec and compiles it. Errors name the rule id.
func (s Spec) Compile() (*Rule, error) { return s.CompileWith(nil) }

// CompileWith is Compile for a rule that may also name one of extra's
// validators.
func (s Spec) CompileWith(extra Validators) (*Rule, error) {
	if s.ID == "" {
		return nil, fmt.Errorf("rule without id")
	}
	fail := func(format string, args ...any) (*Rule, error) {
		return nil, fmt.Errorf("rule %q: %s", s.ID, fmt.Sprintf(format, args...))
	}
	if s.Regex == "" {
		return fail("regex is empty")
	}
	// One parse checks the syntax and gives the span and the leading
	// literal; the program is compiled when the rule first runs.
	tree, err := syntax.Parse(s.Regex, syntax.Perl)
	if err != nil {
		return fail("bad regex: %v", err)
	}
	if groups := tree.MaxCap(); s.SecretGroup < 0 || s.SecretGroup > groups {
		return fail("secret_group %d, but the regex has %d groups", s.SecretGroup, groups)
	}
	sev := High
	if s.Severity != "" {
		if sev, err = ParseSeverity(s.Severity); err != nil {
			return fail("%v", err)
		}
	}
	if s.Window < 0 {
		return fail("window %d is negative", s.Window)
	}
	if s.Entropy < 0 || s.Entropy > 8 {
		return fail("entropy %v outside 0..8 bits per byte", s.Entropy)
	}
	r := &Rule{
		ID:               s.ID,
		Description:      s.Description,
		Severity:         sev,
		Pattern:          s.Regex,
		regex:            sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(s.Regex) }),
		SecretGroup:      s.SecretGroup,
		Entropy:          s.Entropy,
		Multiline:        s.Multiline,
		Window:           s.Window,
		span:             maxSpan(tree),
		Generic:          s.Generic,
		Priority:         s.Priority,
		KeepPlaceholders: s.Placeholder != nil && !*s.Placeholder,
		Hint:             s.Hint,
		Tags:             s.Tags,
	}
	r.lead, r.leadBoundary = leadingLiteral(tree)
	r.runLen, r.runIn = requiredRun(tree)
	r.literals = requiredLiterals(tree)
	if r.Window > 0 && !r.Multiline && opensWithName(tree) {
		r.nameAnchored, r.valueRun = true, trailingRun(tree)
		r.anchored = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(?:` + s.Regex + `)`) })
	}
	if s.Precheck != "" {
		pc, ok := prechecks[s.Precheck]
		if !ok {
			return fail("unknown precheck %q (known: assignment, markup)", s.Precheck)
		}
		r.Precheck, r.PrecheckName = pc, s.Precheck
	}
	for _, q := range s.Requires {
		if q == "" {
			return fail("empty string in requires")
		}
		r.Requires = append(r.Requires, []byte(q))
	}
	for _, kw := range s.Keywords {
		if kw == "" {
			return fail("empty keyword")
		}
		r.Keywords = append(r.Keywords, strings.ToLower(kw))
	}
	if s.Validator != "" {
		v, ok := extra.lookup(s.Validator)
		if !ok {
			return fail("unknown validator %q (known: %s)", s.Validator, strings.Join(extra.names(), ", "))
		}
		r.Validator, r.ValidatorName = v, s.Validator
	}
	if r.Allow, err = s.Allowlist.Compile(); err != nil {
		return fail("allowlist: %v", err)
	}
	return r, nil
}

// Compile compiles the allowlist's regexes.
func (a AllowlistSpec) Compile() (Allowlist, error) {
	var out Allowlist
	for _, p := range a.Paths {
		re, err := regexp.Compile(p)
		if err != nil {
			return out, fmt.Errorf("bad path regex %q: %v", p, err)
		}
		out.Paths = append(out.Paths, re)
	}
	for _, p := range a.Regexes {
		re, err := regexp.Compile(p)
		if err != nil {
			return out, fmt.Errorf("bad regex %q: %v", p, err)
		}
		out.Regexes = append(out.Regexes, re)
	}
	for _, p := range a.Matches {
		re, err := regexp.Compile(p)
		if err != nil {
			return out, fmt.Errorf("bad match regex %q: %v", p, err)
		}
		out.Matches = append(out.Matches, re)
	}
	for _, p := range a.Lines {
		re, err := regexp.Compile(p)
		if err != nil {
			return out, fmt.Errorf("bad line regex %q: %v", p, err)
		}
		out.Lines = append(out.Lines, re)
	}
	for _, w := range a.Stopwords {
		out.Stopwords = append(out.Stopwords, strings.ToLower(w))
	}
	return out, nil
}
