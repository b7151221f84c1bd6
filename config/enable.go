package config

import (
	"fmt"
	"sort"

	"github.com/secretlint/secretlint/catalog"
	"github.com/secretlint/secretlint/rules"
)

// EnableOnly keeps only the rules and hygiene checks that ids name, as
// gitleaks' --enable-rule does: a rule id, a gitleaks default rule id (the
// rules that alias it), or a hygiene check id. Hygiene checks that are not
// named are turned off, so a run restricted to one rule reports that rule
// only. A gitleaks id with no rule here (rules.GitleaksNoRule) is skipped;
// an id that names nothing, or a list of only such ids, is an error, not an
// empty scan.
func (c *Config) EnableOnly(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	keep := map[string]bool{}
	checks := map[string]bool{}
	for _, id := range ids {
		if c.Rules.Rule(id) != nil {
			keep[id] = true
			continue
		}
		if e, ok := catalog.Check(id); ok && e.Kind == catalog.HygieneCheck {
			checks[id] = true
			continue
		}
		if _, ok := rules.GitleaksNoRule(id); ok {
			continue // a gitleaks id with no rule here names nothing to run
		}
		n := 0
		for _, a := range rules.GitleaksAlias(id) {
			if c.Rules.Rule(a) != nil {
				keep[a] = true
				n++
			}
		}
		if n == 0 {
			return fmt.Errorf("--enable-rule: no rule %q (see 'secretlint rules'; gitleaks ids are read through the table in docs/gitleaks.md)", id)
		}
	}
	if len(keep) == 0 && len(checks) == 0 {
		return fmt.Errorf("--enable-rule: %q names only gitleaks ids with no rule here (docs/gitleaks.md)", ids)
	}
	var rs []*rules.Rule
	for _, r := range c.Rules.Rules() {
		if keep[r.ID] {
			rs = append(rs, r)
		}
	}
	set, err := rules.NewSet(rs)
	if err != nil {
		return err
	}
	c.Rules = set
	var off []string
	for _, e := range catalog.Checks(catalog.HygieneCheck) {
		if !checks[e.ID] {
			off = append(off, e.ID)
		}
	}
	sort.Strings(off)
	c.Limits.DisableChecks = append(c.Limits.DisableChecks, off...)
	return nil
}
