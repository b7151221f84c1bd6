package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/secretlint/secretlint/scan"
)

// WriteText writes findings grouped by file, with a one-line summary.
func WriteText(w io.Writer, r *Report, o Options) error {
	re := lipgloss.NewRenderer(w)
	switch {
	case !o.Color:
		re.SetColorProfile(termenv.Ascii)
	case o.Profile != nil:
		re.SetColorProfile(*o.Profile)
	}
	var (
		pathStyle = re.NewStyle().Bold(true)
		ruleStyle = re.NewStyle().Bold(true)
		dimStyle  = re.NewStyle().Faint(true)
		errStyle  = re.NewStyle().Bold(true).Foreground(lipgloss.Color("9"))
		sevStyle  = map[string]lipgloss.Style{
			"critical": re.NewStyle().Bold(true).Foreground(lipgloss.Color("9")),
			"high":     re.NewStyle().Foreground(lipgloss.Color("9")),
			"medium":   re.NewStyle().Foreground(lipgloss.Color("11")),
			"low":      re.NewStyle().Foreground(lipgloss.Color("12")),
			"info":     re.NewStyle().Faint(true),
		}
	)
	var b strings.Builder
	last := ""
	posWidth, ruleWidth := 0, 0
	findings := make([]scan.Finding, len(r.Findings))
	for i, f := range r.Findings {
		for _, p := range []*string{&f.RuleID, &f.Description, &f.Path, &f.Secret, &f.Hint, &f.Message, &f.Encoding, &f.Context,
			&f.Commit, &f.Author, &f.Email, &f.Date, &f.CommitTitle, &f.Image, &f.Layer} {
			*p = printable(*p)
		}
		if f.Inventory != nil {
			inv := *f.Inventory
			inv.Name, inv.Owner, inv.Store = printable(inv.Name), printable(inv.Owner), printable(inv.Store)
			f.Inventory = &inv
		}
		findings[i] = f
	}
	for _, f := range findings {
		posWidth = max(posWidth, len(fmt.Sprintf("%d:%d", f.Line, f.Column)))
		ruleWidth = max(ruleWidth, len(f.RuleID))
	}
	// Live credentials come first and loudest: they are the ones to revoke
	// now, whatever else the scan found.
	liveStyle := re.NewStyle().Bold(true).Reverse(true).Foreground(lipgloss.Color("9"))
	if n := countLive(findings); n > 0 {
		head := fmt.Sprintf(" %d LIVE CREDENTIALS STILL WORK: revoke them first ", n)
		if n == 1 {
			head = " 1 LIVE CREDENTIAL STILL WORKS: revoke it first "
		}
		b.WriteString(liveStyle.Render(head) + "\n")
		for _, f := range findings {
			if !f.Verification.Live() {
				continue
			}
			fmt.Fprintf(&b, "  %s  %s:%d  %s", errStyle.Render("LIVE"), location(f), f.Line, ruleStyle.Render(f.RuleID))
			if id := printable(IdentityText(f.Verification.Identity)); id != "" {
				fmt.Fprintf(&b, "  %s", id)
			}
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	for _, f := range findings {
		where := location(f)
		if where != last {
			if last != "" {
				b.WriteString("\n")
			}
			b.WriteString(pathStyle.Render(where) + "\n")
			last = where
		}
		sev := f.Severity.String()
		fmt.Fprintf(&b, "  %-*s  %s  %s  %s", posWidth, fmt.Sprintf("%d:%d", f.Line, f.Column),
			sevStyle[sev].Render(fmt.Sprintf("%-8s", sev)), ruleStyle.Render(fmt.Sprintf("%-*s", ruleWidth, f.RuleID)), f.Description)
		if f.Secret != "" {
			fmt.Fprintf(&b, "  %s", f.Secret)
		}
		if f.Encoding != "" {
			fmt.Fprintf(&b, "  (%s-encoded)", f.Encoding)
		}
		if f.Context != "" {
			fmt.Fprintf(&b, "  [%s]", dimStyle.Render(f.Context))
		}
		if v := f.Verification; v != nil {
			if v.Live() {
				fmt.Fprintf(&b, "  %s", errStyle.Render("[LIVE]"))
			} else {
				fmt.Fprintf(&b, "  [%s]", dimStyle.Render(printable(v.Status)))
			}
		}
		b.WriteString("\n")
		if v := f.Verification; v != nil {
			line := printable(verificationLine(v))
			if v.Live() {
				fmt.Fprintf(&b, "      %s\n", errStyle.Render(line))
			} else {
				fmt.Fprintf(&b, "      %s\n", dimStyle.Render(line))
			}
		}
		if f.Message != "" {
			fmt.Fprintf(&b, "      %s\n", f.Message)
		}
		if f.Commit != "" {
			c := f.Commit
			if len(c) > 12 {
				c = c[:12]
			}
			fmt.Fprintf(&b, "      %s\n", dimStyle.Render(fmt.Sprintf("commit %s by %s <%s> on %s: %s", c, f.Author, f.Email, f.Date, f.CommitTitle)))
		}
		if f.Layer != "" {
			del := ""
			if f.Deleted {
				del = ", deleted by a later layer"
			}
			idx := 0
			if f.LayerIndex != nil {
				idx = *f.LayerIndex
			}
			fmt.Fprintf(&b, "      %s\n", dimStyle.Render(fmt.Sprintf("layer %d %s%s", idx, short(f.Layer), del)))
		}
		if f.Inventory != nil {
			fmt.Fprintf(&b, "      inventory: %s (owner %s, store %s)\n", f.Inventory.Name, f.Inventory.Owner, f.Inventory.Store)
		}
		if f.Hint != "" {
			fmt.Fprintf(&b, "      %s %s\n", dimStyle.Render("fix:"), f.Hint)
		}
	}
	if len(r.Errors) > 0 {
		b.WriteString("\n")
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "%s %s\n", errStyle.Render("error:"), printable(e.Error()))
	}
	for _, s := range r.Stale {
		fmt.Fprintf(&b, "%s %s\n", dimStyle.Render("stale baseline entry:"), printable(s))
	}
	for _, s := range r.StaleAllowlist {
		fmt.Fprintf(&b, "%s %s\n", dimStyle.Render("stale allowlist entry:"), printable(s))
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	if r.Audit != nil {
		WriteAuditSummary(&b, r.Audit)
	}
	b.WriteString(Summary(r) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is the one-line result of a scan.
func Summary(r *Report) string {
	s := fmt.Sprintf("%d finding", len(r.Findings))
	if len(r.Findings) != 1 {
		s += "s"
	}
	if sev := bySeverity(r.Findings); len(sev) > 0 {
		s += " (" + strings.Join(sev, ", ") + ")"
	}
	s += fmt.Sprintf(" in %s, %s", plural(r.Stats.Inputs, "input"), humanBytes(r.Stats.Bytes))
	if r.Stats.Suppressed > 0 {
		s += fmt.Sprintf(", %d suppressed", r.Stats.Suppressed)
	}
	if r.Verified {
		s += fmt.Sprintf(", %d live", countLive(r.Findings))
	}
	if len(r.Errors) > 0 {
		s += fmt.Sprintf(", %d unreadable", len(r.Errors))
	}
	if len(r.Skips) > 0 {
		s += fmt.Sprintf(", %d skipped", len(r.Skips))
	}
	if len(r.Stale) > 0 {
		s += fmt.Sprintf(", %d stale baseline %s", len(r.Stale), map[bool]string{true: "entry", false: "entries"}[len(r.Stale) == 1])
	}
	if len(r.StaleAllowlist) > 0 {
		s += fmt.Sprintf(", %d stale allowlist %s", len(r.StaleAllowlist), map[bool]string{true: "entry", false: "entries"}[len(r.StaleAllowlist) == 1])
	}
	return s + fmt.Sprintf(" (%.2fs)", r.Stats.Seconds)
}

// Printable escapes control characters, so a crafted file name or value
// cannot move the cursor, retitle the terminal or hide text. Every path,
// name or value printed to a terminal or a text report goes through it.
func Printable(s string) string { return printable(s) }

// PrintableLines is Printable for multi-line messages: it keeps newlines
// and tabs and escapes every other control character.
func PrintableLines(s string) string { return escape(s, true) }

func printable(s string) string { return escape(s, false) }

func control(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

func escape(s string, keepLines bool) string {
	clean := true
	for _, r := range s {
		if control(r) && !(keepLines && (r == '\n' || r == '\t')) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case keepLines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case control(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func plural(n int64, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func short(digest string) string {
	if i := strings.IndexByte(digest, ':'); i >= 0 && len(digest) > i+13 {
		return digest[:i+13]
	}
	return digest
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func countLive(fs []scan.Finding) int {
	n := 0
	for _, f := range fs {
		if f.Verification.Live() {
			n++
		}
	}
	return n
}

// IdentityText renders a verification's identity as sorted key=value
// pairs separated by spaces.
func IdentityText(id map[string]string) string {
	keys := make([]string, 0, len(id))
	for k := range id {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + id[k]
	}
	return strings.Join(parts, " ")
}

// verificationLine is the provider's answer in one line: "verified live:
// login=octo-ci type=User; scopes repo read:org", "verified invalid (401
// Unauthorized)". The text, JUnit and code quality reports share it.
func verificationLine(v *scan.Verification) string {
	line := "verified " + v.Status
	if id := IdentityText(v.Identity); id != "" {
		line += ": " + id
	}
	if len(v.Scopes) > 0 {
		line += "; scopes " + strings.Join(v.Scopes, " ")
	}
	if v.Detail != "" {
		line += " (" + v.Detail + ")"
	}
	return line
}
