package scan

import (
	"regexp"
	"testing"

	"github.com/secretlint/secretlint/rules"
)

// TestEngineIdentity: what decides a finding changes the identity (a
// cache keyed by it is then not reused); what only labels one does not.
func TestEngineIdentity(t *testing.T) {
	mk := func(mod func(r *rules.Rule), opts ...Option) string {
		rs, err := rules.ParseFile("x.toml", []byte("[[rule]]\nid = \"x-token\"\ndescription = \"x\"\nseverity = \"high\"\nkeywords = [\"x-\"]\nregex = 'x-[a-z]{10}'\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if mod != nil {
			mod(rs[0])
		}
		set, err := rules.NewSet(rs)
		if err != nil {
			t.Fatal(err)
		}
		return NewEngine(set, opts...).Identity()
	}
	base := mk(nil)
	if mk(nil) != base {
		t.Fatal("the same rules give two identities")
	}
	same := map[string]func(*rules.Rule){
		"severity":    func(r *rules.Rule) { r.Severity = rules.Low },
		"description": func(r *rules.Rule) { r.Description = "other words" },
		"hint":        func(r *rules.Rule) { r.Hint = "rotate it" },
	}
	for name, mod := range same {
		if mk(mod) != base {
			t.Errorf("changing the %s changed the identity", name)
		}
	}
	differ := map[string]func(*rules.Rule){
		"regex":     func(r *rules.Rule) { r.Pattern = `x-[a-z]{12}` },
		"keywords":  func(r *rules.Rule) { r.Keywords = []string{"y-"} },
		"entropy":   func(r *rules.Rule) { r.Entropy = 3 },
		"allowlist": func(r *rules.Rule) { r.Allow.Stopwords = []string{"example"} },
		"id":        func(r *rules.Rule) { r.ID = "y-token" },
	}
	for name, mod := range differ {
		if mk(mod) == base {
			t.Errorf("changing the %s kept the identity", name)
		}
	}
	if mk(nil, WithDecoding(false)) == base {
		t.Error("turning decoding off kept the identity")
	}
	if mk(nil, WithAllowlist(rules.Allowlist{Regexes: []*regexp.Regexp{regexp.MustCompile(`^x-a`)}})) == base {
		t.Error("a global allowlist kept the identity")
	}
}
