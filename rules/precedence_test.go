package rules_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/rules"
)

// found is a match as the precedence rules see it: which rule reports which
// bytes.
type found struct {
	Rule       string
	Start, End int
}

func findAll(t *testing.T, set *rules.Set, data []byte) []found {
	t.Helper()
	var out []found
	for _, m := range set.Find(data) {
		out = append(out, found{m.Rule.ID, m.Start, m.End})
	}
	return out
}

// TestRuleOrderDoesNotDecide scans every fixture with the built-in rules
// in their file order, reversed and shuffled: the findings must be the
// same, since overlapping rules are ranked by the generic flag, priority
// and id, never by position.
func TestRuleOrderDoesNotDecide(t *testing.T) {
	builtin, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var corpus [][]byte
	for _, name := range fixtureFiles(t) {
		data, err := os.ReadFile(filepath.Join(fixtureDir, name))
		if err != nil {
			t.Fatal(err)
		}
		corpus = append(corpus, expand(name, data))
	}
	base, err := rules.NewSet(builtin)
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]found, len(corpus))
	for i, data := range corpus {
		want[i] = findAll(t, base, data)
	}
	orders := map[string][]*rules.Rule{"reversed": slices.Clone(builtin)}
	slices.Reverse(orders["reversed"])
	r := rand.New(rand.NewPCG(7, 11))
	for i := range 4 {
		rs := slices.Clone(builtin)
		r.Shuffle(len(rs), func(a, b int) { rs[a], rs[b] = rs[b], rs[a] })
		orders[fmt.Sprintf("shuffle-%d", i)] = rs
	}
	for name, rs := range orders {
		t.Run(name, func(t *testing.T) {
			set, err := rules.NewSet(rs)
			if err != nil {
				t.Fatal(err)
			}
			for i, data := range corpus {
				if diff := cmp.Diff(want[i], findAll(t, set, data)); diff != "" {
					t.Errorf("fixture %d: findings depend on rule order (-file order +%s):\n%s", i, name, diff)
				}
			}
		})
	}
}

func TestPrecedes(t *testing.T) {
	rule := func(id string, generic bool, priority int) *rules.Rule {
		return &rules.Rule{ID: id, Generic: generic, Priority: priority}
	}
	for _, tc := range []struct {
		name string
		a, b *rules.Rule
	}{
		{"specific before generic, whatever the priority", rule("z", false, 0), rule("a", true, 100)},
		{"higher priority first", rule("z", true, 10), rule("a", true, 0)},
		{"negative priority last", rule("a", false, 0), rule("b", false, -1)},
		{"equal priority: smaller id", rule("a", false, 5), rule("b", false, 5)},
	} {
		if !rules.Precedes(tc.a, tc.b) || rules.Precedes(tc.b, tc.a) {
			t.Errorf("%s: Precedes(%s, %s) = %v, Precedes(%s, %s) = %v", tc.name,
				tc.a.ID, tc.b.ID, rules.Precedes(tc.a, tc.b), tc.b.ID, tc.a.ID, rules.Precedes(tc.b, tc.a))
		}
	}
}

// TestPriorityDecidesSameSpan: two rules that report the same token; the
// one with the higher priority is reported from either position in the set.
func TestPriorityDecidesSameSpan(t *testing.T) {
	compile := func(s rules.Spec) *rules.Rule {
		r, err := s.Compile()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	broad := compile(rules.Spec{ID: "acme-any", Keywords: []string{"acme_"}, Regex: `\b(acme_[a-z0-9]{20})\b`, SecretGroup: 1})
	narrow := compile(rules.Spec{ID: "acme-live", Keywords: []string{"acme_"}, Regex: `\b(acme_live[a-z0-9]{16})\b`, SecretGroup: 1, Priority: 1})
	data := []byte("key = acme_livek7qx2lm9rt4vw8kz\n")
	for _, rs := range [][]*rules.Rule{{broad, narrow}, {narrow, broad}} {
		set, err := rules.NewSet(rs)
		if err != nil {
			t.Fatal(err)
		}
		if got := findAll(t, set, data); len(got) != 1 || got[0].Rule != "acme-live" {
			t.Errorf("order %s, %s: got %v, want acme-live alone", rs[0].ID, rs[1].ID, got)
		}
	}
}

// Built-in regexes are compiled when a rule first runs; this compiles every
// one, so a pattern that parses but does not compile fails here, not in a
// user's scan.
func TestBuiltinRegexesCompile(t *testing.T) {
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		re := r.Regexp()
		if re.String() != r.Pattern || re.NumSubexp() < r.SecretGroup {
			t.Errorf("%s: compiled %q with %d groups from %q (secret group %d)", r.ID, re, re.NumSubexp(), r.Pattern, r.SecretGroup)
		}
		if r.Regexp() != re {
			t.Errorf("%s: compiled twice", r.ID)
		}
	}
}
