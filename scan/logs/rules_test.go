package logs

import (
	"slices"
	"testing"

	"github.com/secretlint/secretlint/rules"
)

// The log rules' validators belong to the log rules: importing this
// package must not add them to the validators every rule file and
// configuration may name.
func TestValidatorsStayLocal(t *testing.T) {
	for name := range validators {
		if slices.Contains(rules.ValidatorNames(), name) {
			t.Errorf("validator %q is visible to every rule set", name)
		}
	}
	rs, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, r := range rs {
		if _, ok := validators[r.ValidatorName]; ok {
			if r.Validator == nil {
				t.Errorf("rule %s names %s but has no validator", r.ID, r.ValidatorName)
			}
			named++
		}
	}
	if named == 0 {
		t.Error("no log rule uses the log validators")
	}
}
