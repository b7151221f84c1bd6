package rules

import (
	"os"
	"strings"
	"testing"
)

// Every alias names built-in rules, and docs/gitleaks.md lists the table as
// it is.
func TestGitleaksAliases(t *testing.T) {
	set, err := BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	var doc strings.Builder
	for _, gl := range GitleaksAliasIDs() {
		for _, id := range GitleaksAlias(gl) {
			if set.Rule(id) == nil {
				t.Errorf("gitleaks id %s: %s is not a built-in rule", gl, id)
			}
		}
		doc.WriteString("| `" + gl + "` | `" + strings.Join(GitleaksAlias(gl), "`, `") + "` |\n")
	}
	data, err := os.ReadFile("../docs/gitleaks.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), doc.String()) {
		os.WriteFile("../docs/gitleaks.table.new", []byte(doc.String()), 0o600)
		t.Error("docs/gitleaks.md does not hold the alias table as it is; the current table is in docs/gitleaks.table.new")
	}
}
