package catalog

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/secretlint/secretlint/rules"
)

// Kind says what reports an entry's findings.
type Kind string

// Kinds of entries.
const (
	// SecretRule is a rule of the scan engine: a regex over content.
	SecretRule Kind = "secret"
	// HygieneCheck is a policy check of how files deliver secrets
	// (secretlint policy, and the policy stage of a scan).
	HygieneCheck Kind = "hygiene"
	// InventoryCheck is a check of the secrets inventory against its policy
	// (secretlint inventory check, scan --inventory).
	InventoryCheck Kind = "inventory"
)

// Entry is the metadata of one rule or check. ID is the rule_id of the
// findings it reports and is part of the public interface.
type Entry struct {
	ID   string
	Kind Kind
	// Family groups entries: the rule file a secret rule comes from
	// (builtin, a provider family, logs, config for a configuration's own
	// rules) or the family of a check (dotenv, kubernetes, inventory, ...).
	Family   string
	Severity rules.Severity
	// Description is the one-line summary shown in reports and listings.
	Description string
	// Hint is the one-sentence fix attached to every finding.
	Hint string
	// Docs is the documentation page, relative to the repository root,
	// with an anchor where the page has one for the entry.
	Docs string
	// Keywords are a secret rule's prefilter keywords (none for checks).
	Keywords []string
}

// Catalog is a set of entries, each id once. It is immutable.
type Catalog struct {
	entries []Entry
	byID    map[string]int
}

// New returns the catalog for a rule set: the set's rules as they are
// configured (severity overrides applied, the configuration's own rules
// included), the log rules the set does not override (logs.Rules(), which
// run beside the set when logs are scanned; the caller passes them so this
// package stays below config and the sources), and every check. A nil set
// means the built-in rules.
func New(set *rules.Set, logRules []*rules.Rule) (*Catalog, error) {
	var rs []*rules.Rule
	if set == nil {
		b, err := rules.Builtin()
		if err != nil {
			return nil, err
		}
		rs = b
	} else {
		rs = set.Rules()
	}
	c := &Catalog{byID: map[string]int{}}
	for _, r := range rs {
		c.add(ruleEntry(r, ruleFamily(r.ID)))
	}
	for _, r := range logRules {
		if _, dup := c.byID[r.ID]; !dup {
			c.add(ruleEntry(r, FamilyLogs))
		}
	}
	for _, e := range checks {
		if _, dup := c.byID[e.ID]; dup {
			return nil, fmt.Errorf("catalog: rule %q has the id of a %s check", e.ID, e.Kind)
		}
		c.add(e)
	}
	return c, nil
}

func (c *Catalog) add(e Entry) {
	c.byID[e.ID] = len(c.entries)
	c.entries = append(c.entries, e)
}

// Lookup returns the entry with the id.
func (c *Catalog) Lookup(id string) (Entry, bool) {
	if i, ok := c.byID[id]; ok {
		return c.entries[i], true
	}
	return Entry{}, false
}

// Entries returns the entries of the given kinds (all when none is given):
// secret rules in rule-set order, then hygiene checks by family and id,
// then inventory checks by id.
func (c *Catalog) Entries(kinds ...Kind) []Entry {
	var out []Entry
	for _, e := range c.entries {
		if len(kinds) == 0 || slices.Contains(kinds, e.Kind) {
			out = append(out, e)
		}
	}
	return out
}

// Families of secret rules that are not provider family files.
const (
	// FamilyBuiltin holds the rules of rules/builtin.toml.
	FamilyBuiltin = "builtin"
	// FamilyLogs holds the log rules of scan/logs/rules.toml, which run
	// only when logs are scanned.
	FamilyLogs = "logs"
	// FamilyConfig holds a configuration's own rules.
	FamilyConfig = "config"
)

// ruleFamily names the built-in rule file a rule comes from.
func ruleFamily(id string) string {
	f := rules.BuiltinFile(id)
	if f == "" {
		return FamilyConfig
	}
	if f == "builtin.toml" {
		return FamilyBuiltin
	}
	return strings.TrimSuffix(path.Base(f), ".toml")
}

// RulesPage is the generated reference of every rule and check.
const RulesPage = "docs/rules.md"

func ruleEntry(r *rules.Rule, family string) Entry {
	return Entry{
		ID:          r.ID,
		Kind:        SecretRule,
		Family:      family,
		Severity:    r.Severity,
		Description: r.Description,
		Hint:        r.Hint,
		Docs:        RulesPage + "#" + anchor(family),
		Keywords:    r.Keywords,
	}
}

// anchor is the anchor GitHub gives a heading: lower case, spaces as
// dashes, punctuation other than - and _ dropped.
func anchor(heading string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(heading) {
		switch {
		case c == ' ':
			b.WriteByte('-')
		case c == '-' || c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Check returns the hygiene or inventory check with the id. Checks need
// no rule set, so this never fails.
func Check(id string) (Entry, bool) {
	if i, ok := checkIndex[id]; ok {
		return checks[i], true
	}
	return Entry{}, false
}

// Checks returns the checks of one kind, in listing order.
func Checks(kind Kind) []Entry {
	var out []Entry
	for _, e := range checks {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

var checkIndex = func() map[string]int {
	m := make(map[string]int, len(checks))
	for i, e := range checks {
		if _, dup := m[e.ID]; dup {
			panic("catalog: check listed twice: " + e.ID)
		}
		m[e.ID] = i
	}
	return m
}()

// sortChecks puts hygiene checks in family order, then id, and inventory
// checks after them by id: the order of the listings.
func sortChecks(cs []Entry) {
	kindOrder := map[Kind]int{HygieneCheck: 0, InventoryCheck: 1}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Kind != b.Kind {
			return kindOrder[a.Kind] < kindOrder[b.Kind]
		}
		if a.Family != b.Family {
			return familyOrder(a.Family) < familyOrder(b.Family)
		}
		return a.ID < b.ID
	})
}
