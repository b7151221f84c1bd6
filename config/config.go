package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
	"github.com/secretlint/secretlint/rules"
)

// FileName is the configuration file looked for at a scan root.
const FileName = ".secretlint.toml"

// Config is a loaded, compiled configuration.
type Config struct {
	// Path is the file it came from; empty for the built-in defaults.
	Path string
	// Rules is the rule set to scan with: built-in rules (unless disabled)
	// plus the file's own, with overrides applied.
	Rules *rules.Set
	// Allow is the global allowlist.
	Allow rules.Allowlist
	// Policy holds the [policy] table for the hygiene checks, undecoded.
	Policy toml.Primitive
	// meta decodes Policy.
	meta toml.MetaData
}

// DecodePolicy decodes the [policy] table into v.
func (c *Config) DecodePolicy(v any) error {
	if c.Path == "" {
		return nil
	}
	return c.meta.PrimitiveDecode(c.Policy, v)
}

// file is the TOML shape of .secretlint.toml.
type file struct {
	Extend struct {
		UseDefault *bool `toml:"use_default"`
	} `toml:"extend"`
	Disable   []string            `toml:"disable"`
	Severity  map[string]string   `toml:"severity"`
	Rules     []rules.Spec        `toml:"rule"`
	Allowlist rules.AllowlistSpec `toml:"allowlist"`
	Policy    toml.Primitive      `toml:"policy"`
}

// Find returns the configuration file at root, or "" when there is none.
func Find(root string) string {
	if fi, err := os.Stat(root); err == nil && !fi.IsDir() {
		root = filepath.Dir(root)
	}
	p := filepath.Join(root, FileName)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// Default returns the built-in configuration.
func Default() (*Config, error) {
	set, err := rules.BuiltinSet()
	if err != nil {
		return nil, err
	}
	return &Config{Rules: set}, nil
}

// Load reads and compiles a configuration file; "" means the defaults.
func Load(path string) (*Config, error) {
	if path == "" {
		return Default()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Parse compiles configuration bytes; path names the file in errors.
func Parse(path string, data []byte) (*Config, error) {
	var f file
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, k := range md.Undecoded() {
		if len(k) > 0 && k[0] == "policy" {
			continue
		}
		return nil, fmt.Errorf("%s: unknown key %q", path, k.String())
	}
	var base []*rules.Rule
	if f.Extend.UseDefault == nil || *f.Extend.UseDefault {
		if base, err = rules.Builtin(); err != nil {
			return nil, err
		}
	}
	disabled := map[string]bool{}
	for _, id := range f.Disable {
		disabled[id] = true
	}
	var rs []*rules.Rule
	byID := map[string]int{}
	for _, r := range base {
		if disabled[r.ID] {
			continue
		}
		byID[r.ID] = len(rs)
		rs = append(rs, r)
	}
	for _, s := range f.Rules {
		r, err := s.Compile()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if i, ok := byID[r.ID]; ok {
			rs[i] = r // a user rule with a built-in id replaces it
			continue
		}
		byID[r.ID] = len(rs)
		rs = append(rs, r)
	}
	for id, sev := range f.Severity {
		i, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("%s: severity override for unknown rule %q", path, id)
		}
		v, err := rules.ParseSeverity(sev)
		if err != nil {
			return nil, fmt.Errorf("%s: rule %q: %w", path, id, err)
		}
		cp := *rs[i]
		cp.Severity = v
		rs[i] = &cp
	}
	set, err := rules.NewSet(rs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	allow, err := f.Allowlist.Compile()
	if err != nil {
		return nil, fmt.Errorf("%s: allowlist: %w", path, err)
	}
	return &Config{Path: path, Rules: set, Allow: allow, Policy: f.Policy, meta: md}, nil
}
