// Package catalog is the one registry of what secretlint can report: every
// secret rule (built-in, provider families, the log rules) and every
// hygiene and inventory check, each with its id, kind, default severity,
// description, fix hint and documentation page.
//
// Configuration ([severity], disable), the listing commands (rules,
// policy --list, inventory checks), SARIF rule metadata and the generated
// reference docs/rules.md all read it, so a rule or check is declared once:
// a secret rule in its TOML file, a check in checks.go.
package catalog
