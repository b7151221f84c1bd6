package rules

import (
	"os"
	"sort"
	"strings"
	"testing"
)

// Every alias names built-in rules, no id is both aliased and listed as
// having no rule, and docs/gitleaks.md lists both tables, merged and sorted,
// as they are.
func TestGitleaksAliases(t *testing.T) {
	set, err := BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, gl := range GitleaksAliasIDs() {
		for _, id := range GitleaksAlias(gl) {
			if set.Rule(id) == nil {
				t.Errorf("gitleaks id %s: %s is not a built-in rule", gl, id)
			}
		}
		rows[gl] = "`" + strings.Join(GitleaksAlias(gl), "`, `") + "`"
	}
	for _, gl := range GitleaksNoRuleIDs() {
		if _, ok := rows[gl]; ok {
			t.Errorf("gitleaks id %s is both aliased and listed as having no rule", gl)
		}
		if set.Rule(gl) != nil {
			t.Errorf("gitleaks id %s is a built-in rule but listed as having no rule", gl)
		}
		why, _ := GitleaksNoRule(gl)
		rows[gl] = "none: " + why
	}
	ids := make([]string, 0, len(rows))
	for id := range rows {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var doc strings.Builder
	for _, id := range ids {
		doc.WriteString("| `" + id + "` | " + rows[id] + " |\n")
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

// Every default rule id of gitleaks 8.30.1 (testdata/gitleaks-8.30.1-ids.txt,
// the ids of its config/gitleaks.toml) is a built-in rule id, a row of the
// alias table or a row of the no-rule table, so no gitleaks id is unknown.
func TestGitleaksDefaultIDsCovered(t *testing.T) {
	set, err := BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/gitleaks-8.30.1-ids.txt")
	if err != nil {
		t.Fatal(err)
	}
	ids := strings.Fields(string(data))
	if len(ids) != 222 {
		t.Fatalf("read %d gitleaks ids, want gitleaks 8.30.1's 222", len(ids))
	}
	for _, id := range ids {
		_, noRule := GitleaksNoRule(id)
		if set.Rule(id) == nil && GitleaksAlias(id) == nil && !noRule {
			t.Errorf("gitleaks default id %s is neither a built-in rule, an alias nor a no-rule row", id)
		}
	}
}
