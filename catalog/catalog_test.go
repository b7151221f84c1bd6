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

// TestCheckHelp: every check has its help (why it matters, how to fix, a
// before and after example) and its page docs/policy/<id>.md, which is the
// help as WritePage renders it; -update-reference rewrites the pages.
func TestCheckHelp(t *testing.T) {
	for _, kind := range []Kind{HygieneCheck, InventoryCheck} {
		for _, e := range Checks(kind) {
			md := Help(e.ID)
			if md == "" {
				t.Errorf("%s: no catalog/help/%s.md", e.ID, e.ID)
				continue
			}
			last := -1
			for _, h := range helpSections {
				i := strings.Index(md, "\n"+h+"\n")
				if !strings.HasPrefix(md, h+"\n") && i < 0 || i < last {
					t.Errorf("%s: help lacks %q, or has it out of order", e.ID, h)
				}
				last = i
			}
			if !strings.Contains(md, "Before") || !strings.Contains(md, "After") || strings.Count(md, "```") < 4 {
				t.Errorf("%s: the example needs a before and an after code block", e.ID)
			}
			if HelpText(e.ID) == "" || strings.Contains(HelpText(e.ID), "```") {
				t.Errorf("%s: bad plain-text help %q", e.ID, HelpText(e.ID))
			}
			var buf bytes.Buffer
			if err := WritePage(&buf, e); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("..", PolicyPage(e.ID))
			if *updateReference {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			have, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s: %v", e.ID, err)
				continue
			}
			if d := cmp.Diff(string(have), buf.String()); d != "" {
				t.Errorf("%s is out of date; run go test ./catalog -update-reference (-file +generated):\n%s", PolicyPage(e.ID), d)
			}
		}
	}
	if Help("aws-access-key-id") != "" {
		t.Error("a secret rule has check help")
	}
}
