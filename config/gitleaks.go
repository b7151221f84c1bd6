package config

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/secretlint/secretlint/rules"
)

// The shape of a gitleaks (v8) configuration file, so teams can bring their
// rules along. It is read, then converted to secretlint's rules.

type glFile struct {
	Title       string `toml:"title"`
	Description string `toml:"description"`
	MinVersion  string `toml:"minVersion"`
	Extend      struct {
		Path          string   `toml:"path"`
		URL           string   `toml:"url"`
		UseDefault    bool     `toml:"useDefault"`
		DisabledRules []string `toml:"disabledRules"`
	} `toml:"extend"`
	Rules      []glRule      `toml:"rules"`
	Allowlist  *glAllowlist  `toml:"allowlist"`
	Allowlists []glAllowlist `toml:"allowlists"`
}

type glRule struct {
	ID          string   `toml:"id"`
	Description string   `toml:"description"`
	Regex       string   `toml:"regex"`
	SecretGroup int      `toml:"secretGroup"`
	Entropy     float64  `toml:"entropy"`
	Keywords    []string `toml:"keywords"`
	Path        string   `toml:"path"`
	Tags        []string `toml:"tags"`
	SkipReport  bool     `toml:"skipReport"`
	Required    []struct {
		ID            string `toml:"id"`
		WithinLines   *int   `toml:"withinLines"`
		WithinColumns *int   `toml:"withinColumns"`
	} `toml:"required"`
	Allowlist  *glAllowlist  `toml:"allowlist"`
	Allowlists []glAllowlist `toml:"allowlists"`
}

type glAllowlist struct {
	Description string   `toml:"description"`
	Condition   string   `toml:"condition"`
	Commits     []string `toml:"commits"`
	Paths       []string `toml:"paths"`
	RegexTarget string   `toml:"regexTarget"`
	Regexes     []string `toml:"regexes"`
	Stopwords   []string `toml:"stopwords"`
	TargetRules []string `toml:"targetRules"`
}

var gitleaksKeys = specKeys{secretGroup: "secretGroup", allowlist: "allowlist"}

// isGitleaks tells a gitleaks file from a secretlint one by the keys only
// gitleaks uses.
func isGitleaks(raw map[string]any) bool {
	for _, k := range []string{"rules", "title", "minVersion"} {
		if _, ok := raw[k]; ok {
			return true
		}
	}
	if ext, ok := raw["extend"].(map[string]any); ok {
		for _, k := range []string{"useDefault", "path", "url", "disabledRules"} {
			if _, ok := ext[k]; ok {
				return true
			}
		}
	}
	glOnly := func(m map[string]any) bool {
		for _, k := range []string{"targetRules", "regexTarget", "commits", "condition"} {
			if _, ok := m[k]; ok {
				return true
			}
		}
		return false
	}
	if m, ok := raw["allowlist"].(map[string]any); ok && glOnly(m) {
		return true
	}
	if arr, ok := raw["allowlists"].([]map[string]any); ok {
		for _, m := range arr {
			if glOnly(m) {
				return true
			}
		}
	}
	return false
}

func readGitleaks(path string, data []byte, raw map[string]any, loc *locator) (*plan, error) {
	var f glFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		e := tomlError(path, err).(*Error)
		e.Rule = ruleAt(loc, raw, "rules", e.Line)
		return nil, e
	}
	if err := unknownKeys(path, md, loc, raw, "rules", "allowlists", map[string]reflect.Type{
		"":                 reflect.TypeOf(glFile{}),
		"rules":            reflect.TypeOf(glRule{}),
		"rules.allowlist":  reflect.TypeOf(glAllowlist{}),
		"rules.allowlists": reflect.TypeOf(glAllowlist{}),
		"allowlist":        reflect.TypeOf(glAllowlist{}),
		"allowlists":       reflect.TypeOf(glAllowlist{}),
		"extend":           reflect.TypeOf(f.Extend),
	}); err != nil {
		return nil, err
	}
	p := &plan{
		format:         FormatGitleaks,
		useDefault:     f.Extend.UseDefault,
		disable:        f.Extend.DisabledRules,
		disableKey:     "disabledRules",
		lenientDisable: true,
	}
	if f.Extend.URL != "" {
		return nil, &Error{Path: path, Line: loc.key(0, 0, "url"), Msg: "[extend] url is not supported; download the file and use [extend] path"}
	}
	if f.Extend.Path != "" {
		p.extendPath, p.extendLine = f.Extend.Path, loc.key(0, 0, "path")
	}
	badAt := func(rule string, from, to int) func(key, format string, args ...any) error {
		return func(key, format string, args ...any) error {
			return &Error{Path: path, Line: firstNonZero(loc.key(from, to, key), from), Rule: rule, Msg: fmt.Sprintf(format, args...)}
		}
	}
	warn := func(line int, format string, args ...any) {
		p.warnings = append(p.warnings, fmt.Sprintf("%s:%d: %s", path, line, fmt.Sprintf(format, args...)))
	}
	for i, r := range f.Rules {
		from, to := loc.span("rules", i)
		s := rules.Spec{
			ID:          r.ID,
			Description: r.Description,
			Keywords:    r.Keywords,
			Regex:       r.Regex,
			SecretGroup: r.SecretGroup,
			Entropy:     r.Entropy,
			Tags:        r.Tags,
			Hint:        "Rotate the credential and load it from a secret manager.",
		}
		if s.Description == "" {
			s.Description = r.ID
		}
		// gitleaks takes a lone capture group as the secret when no
		// secretGroup is given.
		if s.SecretGroup == 0 && s.Regex != "" {
			if re, err := regexp.Compile(s.Regex); err == nil && re.NumSubexp() == 1 {
				s.SecretGroup = 1
			}
		}
		d := ruleDef{spec: s, path: r.Path, from: from, to: to, keys: gitleaksKeys}
		if r.SkipReport {
			d.skip = "skipReport: the rule only serves composite rules, which secretlint does not support"
		}
		if len(r.Required) > 0 {
			warn(from, "rule %q: composite rules (required) are not supported; the rule reports without its required companions", r.ID)
		}
		p.rules = append(p.rules, d)
		own := r.Allowlists
		if r.Allowlist != nil {
			own = append([]glAllowlist{*r.Allowlist}, own...)
		}
		var heads []int
		for _, l := range loc.tables("rules.allowlists", true) {
			if from <= l && l < to {
				heads = append(heads, l)
			}
		}
		if r.Allowlist != nil {
			heads = append([]int{firstNonZero(loc.key(from, to, "allowlist"), from)}, heads...)
		}
		for j, a := range own {
			af := from
			if j < len(heads) {
				af = heads[j]
			}
			ad, err := convertAllow(a, fmt.Sprintf("rules[%d].allowlists[%d]", i, j), r.ID, []string{r.ID}, af, to, warn, badAt(r.ID, af, to))
			if err != nil {
				return nil, err
			}
			p.allows = append(p.allows, ad)
		}
	}
	if f.Allowlist != nil {
		from, to := loc.tableSpan("allowlist")
		ad, err := convertAllow(*f.Allowlist, "allowlist", "", f.Allowlist.TargetRules, from, to, warn, badAt("", from, to))
		if err != nil {
			return nil, err
		}
		p.allows = append(p.allows, ad)
	}
	for i, a := range f.Allowlists {
		from, to := loc.span("allowlists", i)
		ad, err := convertAllow(a, fmt.Sprintf("allowlists[%d]", i), "", a.TargetRules, from, to, warn, badAt("", from, to))
		if err != nil {
			return nil, err
		}
		p.allows = append(p.allows, ad)
	}
	return p, nil
}

func convertAllow(a glAllowlist, where, rule string, targets []string, from, to int, warn func(int, string, ...any), bad func(key, format string, args ...any) error) (allowDef, error) {
	and := false
	switch strings.ToUpper(strings.TrimSpace(a.Condition)) {
	case "", "OR":
	case "AND":
		and = true
	default:
		return allowDef{}, bad("condition", "%s: condition = %q, want \"AND\" or \"OR\"", where, a.Condition)
	}
	spec := rules.AllowlistSpec{Description: a.Description, Paths: a.Paths, Regexes: a.Regexes, Stopwords: a.Stopwords}
	switch t := strings.ToLower(a.RegexTarget); {
	case t == "" || t == "secret":
	case t == "match" && !and && len(a.Commits) == 0:
		spec.Matches, spec.Regexes = a.Regexes, nil
	case t == "line" && !and && len(a.Commits) == 0:
		spec.Lines, spec.Regexes = a.Regexes, nil
	case t == "match" || t == "line":
		warn(from, "%s: regexTarget = %q is read as \"secret\" with condition AND or commits: regexes are matched against the secret", where, a.RegexTarget)
	default:
		return allowDef{}, bad("regexTarget", "%s: regexTarget = %q, want \"secret\", \"match\" or \"line\"", where, a.RegexTarget)
	}
	return allowDef{where: where, rule: rule, targets: targets, commits: a.Commits, and: and, from: from, to: to, spec: spec}, nil
}
