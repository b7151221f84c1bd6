package config

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/secretlint/secretlint/rules"
)

// file is the TOML shape of .secretlint.toml.
type file struct {
	Extend struct {
		UseDefault *bool `toml:"use_default"`
	} `toml:"extend"`
	Disable    []string            `toml:"disable"`
	Severity   map[string]string   `toml:"severity"`
	Rules      []rules.Spec        `toml:"rule"`
	Allowlist  rules.AllowlistSpec `toml:"allowlist"`
	Allowlists []allowlistFile     `toml:"allowlists"`
	Policy     toml.Primitive      `toml:"policy"`
	Context    struct {
		Test contextFile `toml:"test"`
	} `toml:"context"`
	// Fingerprint is read here so that an inline key is refused with
	// the reason, rather than as an unknown key.
	Fingerprint fingerprintFile `toml:"fingerprint"`
}

// fingerprintFile is the [fingerprint] table: where the project's
// fingerprint key is kept.
type fingerprintFile struct {
	KeyFile string `toml:"key_file"`
	Key     string `toml:"key"`
}

// contextFile is a [context.NAME] table: paths that count as that context
// besides the built-in ones, and the severity its findings are lowered to.
type contextFile struct {
	Severity string   `toml:"severity"`
	Paths    []string `toml:"paths"`
}

// allowlistFile is an [[allowlists]] entry: an allowlist for some rules,
// or for all when rules is empty.
type allowlistFile struct {
	Description string   `toml:"description"`
	Rules       []string `toml:"rules"`
	Paths       []string `toml:"paths"`
	Regexes     []string `toml:"regexes"`
	Stopwords   []string `toml:"stopwords"`
	Matches     []string `toml:"matches"`
	Lines       []string `toml:"lines"`
}

var secretlintKeys = specKeys{secretGroup: "secret_group", allowlist: "allowlist"}

func readSecretlint(path string, data []byte, raw map[string]any, loc *locator) (*plan, error) {
	var f file
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		e := tomlError(path, err).(*Error)
		e.Rule = ruleAt(loc, raw, "rule", e.Line)
		return nil, e
	}
	var limits PolicyLimits
	if err := md.PrimitiveDecode(f.Policy, &limits); err != nil {
		return nil, tomlError(path, err)
	}
	if err := unknownKeys(path, md, loc, raw, "rule", "allowlists", map[string]reflect.Type{
		"":            reflect.TypeOf(file{}),
		"rule":        reflect.TypeOf(rules.Spec{}),
		"allowlist":   reflect.TypeOf(rules.AllowlistSpec{}),
		"allowlists":  reflect.TypeOf(allowlistFile{}),
		"extend":      reflect.TypeOf(f.Extend),
		"fingerprint": reflect.TypeOf(fingerprintFile{}),
		"policy":      reflect.TypeOf(limits),
	}); err != nil {
		return nil, err
	}
	if f.Fingerprint.Key != "" {
		// The configuration is committed: a key in it reaches everyone
		// who can read the repository, its forks and mirrors, and with it
		// every report's fingerprints can be tested against guesses.
		from, to := loc.tableSpan("fingerprint")
		return nil, &Error{Path: path, Line: firstNonZero(loc.key(from, to, "key"), from),
			Msg: "[fingerprint] key: a key written in the configuration is committed with it, and anyone who can read the repository could then test the fingerprints in any report against guessed secrets; name a file kept out of git with key_file, or set SECRETLINT_FINGERPRINT_KEY"}
	}
	p := &plan{
		format:      FormatSecretlint,
		useDefault:  f.Extend.UseDefault == nil || *f.Extend.UseDefault,
		disable:     f.Disable,
		disableKey:  "disable",
		severity:    f.Severity,
		policy:      f.Policy,
		limits:      limits,
		meta:        md,
		testContext: f.Context.Test,
		keyFile:     f.Fingerprint.KeyFile,
	}
	for i, s := range f.Rules {
		from, to := loc.span("rule", i)
		p.rules = append(p.rules, ruleDef{spec: s, from: from, to: to, keys: secretlintKeys})
	}
	af, at := loc.tableSpan("allowlist")
	p.allows = append(p.allows, allowDef{where: "allowlist", spec: f.Allowlist, from: af, to: at})
	for i, a := range f.Allowlists {
		from, to := loc.span("allowlists", i)
		p.allows = append(p.allows, allowDef{
			where: fmt.Sprintf("allowlists[%d]", i), targets: a.Rules, from: from, to: to,
			spec: rules.AllowlistSpec{Description: a.Description, Paths: a.Paths, Regexes: a.Regexes, Stopwords: a.Stopwords, Matches: a.Matches, Lines: a.Lines},
		})
	}
	return p, nil
}

// unknownKeys rejects keys the decoder did not use, naming the line and
// the rule they sit in, and listing the keys the table knows. ruleArray
// and allowArray name the arrays of tables whose elements errors point at.
func unknownKeys(path string, md toml.MetaData, loc *locator, raw map[string]any, ruleArray, allowArray string, tables map[string]reflect.Type) error {
	for _, k := range md.Undecoded() {
		if len(k) == 0 {
			continue
		}
		last := k[len(k)-1]
		e := &Error{Path: path}
		var from, to int
		switch k[0] {
		case ruleArray:
			idx := ownerIndex(md, k, ruleArray)
			from, to = loc.span(ruleArray, idx)
			e.Rule = ruleID(raw, ruleArray, idx)
		case allowArray:
			from, to = loc.span(allowArray, ownerIndex(md, k, allowArray))
		default:
			if len(k) > 1 {
				from, to = loc.tableSpan(strings.Join(k[:len(k)-1], "."))
			}
		}
		if len(k) > 2 && from > 0 {
			// A key in a sub-table of a rule: look from that sub-table on.
			if l := loc.key(from, to, k[len(k)-2]); l > 0 {
				from = l
			}
		}
		e.Line = firstNonZero(loc.key(from, to, last), from)
		table := strings.Join(k[:len(k)-1], ".")
		e.Msg = fmt.Sprintf("unknown key %q", k.String())
		t, ok := tables[table]
		if !ok && len(k) > 1 {
			t, ok = tables[k[0]]
			if len(k) > 2 {
				ok = false
			}
		}
		if ok {
			e.Msg += fmt.Sprintf(" (known keys here: %s)", strings.Join(tomlKeys(t), ", "))
		}
		return e
	}
	return nil
}

// ownerIndex returns which element of the array of tables name holds key,
// from the order the decoder met the keys in.
func ownerIndex(md toml.MetaData, key toml.Key, name string) int {
	idx := -1
	for _, k := range md.Keys() {
		if len(k) == 1 && k[0] == name {
			idx++
		}
		if k.String() == key.String() {
			return idx
		}
	}
	return idx
}

// ruleID returns the id of element idx of the array of tables name.
func ruleID(raw map[string]any, name string, idx int) string {
	arr, _ := raw[name].([]map[string]any)
	if arr == nil {
		if a, ok := raw[name].([]any); ok {
			for _, e := range a {
				m, _ := e.(map[string]any)
				arr = append(arr, m)
			}
		}
	}
	if idx < 0 || idx >= len(arr) {
		return ""
	}
	id, _ := arr[idx]["id"].(string)
	return id
}

// ruleAt returns the id of the rule whose table holds line.
func ruleAt(loc *locator, raw map[string]any, name string, line int) string {
	if line <= 0 {
		return ""
	}
	for i := range loc.tables(name, true) {
		if from, to := loc.span(name, i); from <= line && line < to {
			return ruleID(raw, name, i)
		}
	}
	return ""
}

// tomlKeys lists the TOML keys of a struct type, sorted.
func tomlKeys(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("toml"), ",")[0]
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	sort.Strings(out)
	return out
}
