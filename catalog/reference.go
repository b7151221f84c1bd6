package catalog

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteReference writes the Markdown reference of the catalog's rules and
// checks: docs/rules.md is this, for the built-in catalog.
func WriteReference(w io.Writer, c *Catalog) error {
	bw := bufio.NewWriter(w)
	secret, hygiene, inv := c.Entries(SecretRule), c.Entries(HygieneCheck), c.Entries(InventoryCheck)
	fmt.Fprintf(bw, "# Rules and checks\n\n")
	fmt.Fprintf(bw, "Every id secretlint reports, with its default severity and fix: %d secret rules, %d hygiene checks and %d inventory checks.\n", len(secret), len(hygiene), len(inv))
	fmt.Fprintf(bw, "Generated from package catalog; do not edit (`go test ./catalog -run TestReference -update-reference` writes it).\n\n")
	fmt.Fprintf(bw, "Change a severity with `[severity] id = \"low\"` and turn a rule or hygiene check off with `disable = [\"id\"]` in `.secretlint.toml` ([config.md](config.md)); inventory checks take both in the inventory policy ([inventory.md](inventory.md)).\n")

	fmt.Fprintf(bw, "\n## Secret rules\n\n")
	fmt.Fprintf(bw, "`secretlint rules` lists the rules in effect. Of two rules that match the same text a specific rule is reported before a generic one, then the higher `priority`, then the smaller id.\n")
	var families []string
	byFamily := map[string][]Entry{}
	for _, e := range secret {
		if _, ok := byFamily[e.Family]; !ok {
			families = append(families, e.Family)
		}
		byFamily[e.Family] = append(byFamily[e.Family], e)
	}
	for _, f := range families {
		es := byFamily[f]
		fmt.Fprintf(bw, "\n### %s\n\n", f)
		switch f {
		case FamilyBuiltin:
			fmt.Fprintf(bw, "From `rules/builtin.toml`.\n\n")
		case FamilyLogs:
			fmt.Fprintf(bw, "From `scan/logs/rules.toml`; they run only when logs are scanned (`secretlint logs`).\n\n")
		case FamilyConfig:
			fmt.Fprintf(bw, "The configuration's own rules.\n\n")
		default:
			fmt.Fprintf(bw, "From `rules/families/%s.toml`.\n\n", f)
		}
		fmt.Fprintf(bw, "| id | severity | finds | fix |\n| --- | --- | --- | --- |\n")
		for _, e := range es {
			fmt.Fprintf(bw, "| `%s` | %s | %s | %s |\n", e.ID, e.Severity, cell(e.Description), cell(e.Hint))
		}
	}

	fmt.Fprintf(bw, "\n## Hygiene checks\n\n")
	fmt.Fprintf(bw, "`secretlint policy --list` lists them; each family's page under [policy/](policy/README.md) says what each check reads.\n\n")
	fmt.Fprintf(bw, "| id | severity | family | finds | fix |\n| --- | --- | --- | --- | --- |\n")
	for _, e := range hygiene {
		fmt.Fprintf(bw, "| [`%s`](%s) | %s | %s | %s | %s |\n", e.ID, strings.TrimPrefix(e.Docs, "docs/"), e.Severity, e.Family, cell(e.Description), cell(e.Hint))
	}

	fmt.Fprintf(bw, "\n## Inventory checks\n\n")
	fmt.Fprintf(bw, "`secretlint inventory checks` lists them; [inventory.md](inventory.md#checks) says when each fires.\n\n")
	fmt.Fprintf(bw, "| id | severity | finds | fix |\n| --- | --- | --- | --- |\n")
	for _, e := range inv {
		fmt.Fprintf(bw, "| `%s` | %s | %s | %s |\n", e.ID, e.Severity, cell(e.Description), cell(e.Hint))
	}
	return bw.Flush()
}

// cell makes text safe in a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}
