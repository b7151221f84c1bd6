package catalog

import (
	"embed"
	"fmt"
	"io"
	"strings"
)

// The help of every check: why it matters, how to fix it, and an example
// before and after the fix, in Markdown, one file per check id under
// help/. The SARIF rule help carries it, and docs/policy/<id>.md is
// generated from it (WritePage), so the three say the same.
//
//go:embed help/*.md
var helpFiles embed.FS

// helpSections are the headings every help file has, in this order.
var helpSections = []string{"## Why it matters", "## How to fix", "## Example"}

// Help returns the Markdown help of a check, "" for an id without one
// (secret rules, which the rule reference and their hint describe).
func Help(id string) string {
	b, err := helpFiles.ReadFile("help/" + id + ".md")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b)) + "\n"
}

// HelpText returns the help as plain text, for SARIF viewers that do not
// render Markdown: headings become "Why it matters:" lines and code fences
// are dropped, their lines indented.
func HelpText(id string) string {
	md := Help(id)
	if md == "" {
		return ""
	}
	var b strings.Builder
	fence := false
	for _, l := range strings.Split(strings.TrimSpace(md), "\n") {
		switch {
		case strings.HasPrefix(l, "```"):
			fence = !fence
			continue
		case fence:
			b.WriteString("    " + l + "\n")
		case strings.HasPrefix(l, "## "):
			b.WriteString(strings.TrimPrefix(l, "## ") + ":\n")
		default:
			b.WriteString(strings.ReplaceAll(l, "`", "") + "\n")
		}
	}
	return strings.TrimSpace(b.String())
}

// PolicyPage is the documentation page of a check: docs/policy/<id>.md.
func PolicyPage(id string) string { return "docs/policy/" + id + ".md" }

// WritePage writes a check's page, docs/policy/<id>.md: its id, severity,
// summary and a link to its family's page, then its help.
func WritePage(w io.Writer, e Entry) error {
	family := "../inventory.md#checks"
	if e.Kind == HygieneCheck {
		family = strings.TrimPrefix(e.Docs, "docs/policy/")
	}
	_, err := fmt.Fprintf(w, "# %s (%s)\n\n%s. What the check reads and when it fires: [%s](%s).\nGenerated from catalog/help/%s.md; do not edit (`go test ./catalog -update-reference` writes it).\n\n%s",
		e.ID, e.Severity, upperFirst(e.Description), familyTitle(e), family, e.ID, Help(e.ID))
	return err
}

func familyTitle(e Entry) string {
	if e.Kind == InventoryCheck {
		return "inventory checks"
	}
	return e.Family + " checks"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
