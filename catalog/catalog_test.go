package catalog

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan/logs"
)

func builtinCatalog(t *testing.T) (*Catalog, error) {
	t.Helper()
	lr, err := logs.Rules()
	if err != nil {
		return nil, err
	}
	return New(nil, lr)
}

var updateReference = flag.Bool("update-reference", false, "rewrite docs/rules.md from the catalog")

// TestReference fails when docs/rules.md is not what the catalog
// generates: a rule or check added, removed or changed without the docs.
func TestReference(t *testing.T) {
	c, err := builtinCatalog(t)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteReference(&buf, c); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", RulesPage)
	if *updateReference {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	have, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(have), buf.String()); diff != "" {
		t.Errorf("%s is out of date; run go test ./catalog -run TestReference -update-reference (-file +generated):\n%s", RulesPage, diff)
	}
}

// TestCatalogCoversEverything: every built-in rule, log rule and check is
// in the catalog once, with the kind and metadata its findings carry.
func TestCatalogCoversEverything(t *testing.T) {
	c, err := builtinCatalog(t)
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range builtin {
		e, ok := c.Lookup(r.ID)
		if !ok || e.Kind != SecretRule || e.Severity != r.Severity || e.Description != r.Description || e.Hint != r.Hint {
			t.Errorf("rule %s: catalog entry %+v", r.ID, e)
		}
		if e.Family == FamilyConfig {
			t.Errorf("built-in rule %s has no rule file", r.ID)
		}
	}
	if e, ok := c.Lookup("http-bearer-token"); !ok || e.Family != FamilyLogs {
		t.Errorf("log rule http-bearer-token: %+v", e)
	}
	n := len(c.Entries(SecretRule)) + len(c.Entries(HygieneCheck)) + len(c.Entries(InventoryCheck))
	if n != len(c.Entries()) {
		t.Errorf("%d entries of the three kinds, %d in all", n, len(c.Entries()))
	}
	if len(c.Entries(HygieneCheck)) < 20 || len(c.Entries(InventoryCheck)) < 10 {
		t.Errorf("%d hygiene and %d inventory checks", len(c.Entries(HygieneCheck)), len(c.Entries(InventoryCheck)))
	}
	for _, e := range c.Entries() {
		if e.Description == "" || e.Hint == "" || e.Docs == "" {
			t.Errorf("%s: description, hint and docs are required: %+v", e.ID, e)
		}
	}
}

// TestCheckDocs: each hygiene check's link points at a heading of its
// family page that gives its severity, and the inventory page's table
// gives each inventory check's severity.
func TestCheckDocs(t *testing.T) {
	pages := map[string]string{}
	read := func(p string) string {
		if s, ok := pages[p]; ok {
			return s
		}
		b, err := os.ReadFile(filepath.Join("..", p))
		if err != nil {
			t.Fatal(err)
		}
		pages[p] = string(b)
		return pages[p]
	}
	for _, e := range Checks(HygieneCheck) {
		page, _, _ := strings.Cut(e.Docs, "#")
		if heading := "\n## " + e.ID + " (" + e.Severity.String() + ")\n"; !strings.Contains(read(page), heading) {
			t.Errorf("%s: %s has no heading %q", e.ID, page, strings.TrimSpace(heading))
		}
	}
	for _, e := range Checks(InventoryCheck) {
		if row := "| `" + e.ID + "` | " + e.Severity.String() + " |"; !strings.Contains(read("docs/inventory.md"), row) {
			t.Errorf("%s: docs/inventory.md has no row %q", e.ID, row)
		}
	}
}
