package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// WriteText writes findings grouped by file, with a one-line summary.
func WriteText(w io.Writer, r *Report, o Options) error {
	re := lipgloss.NewRenderer(w)
	if !o.Color {
		re.SetColorProfile(termenv.Ascii)
	}
	var (
		pathStyle = re.NewStyle().Bold(true).Underline(true)
		ruleStyle = re.NewStyle().Bold(true)
		dimStyle  = re.NewStyle().Faint(true)
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
	for _, f := range r.Findings {
		where := f.Path
		if f.Image != "" {
			where = f.Image + " " + f.Path
		}
		if where != last {
			if last != "" {
				b.WriteString("\n")
			}
			b.WriteString(pathStyle.Render(where) + "\n")
			last = where
		}
		sev := f.Severity.String()
		fmt.Fprintf(&b, "  %d:%d  %s  %s  %s",
			f.Line, f.Column, sevStyle[sev].Render(fmt.Sprintf("%-8s", sev)), ruleStyle.Render(f.RuleID), f.Description)
		if f.Secret != "" {
			fmt.Fprintf(&b, "  %s", f.Secret)
		}
		if f.Encoding != "" {
			fmt.Fprintf(&b, "  (%s-encoded)", f.Encoding)
		}
		b.WriteString("\n")
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
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "error: %s\n", e.Error())
	}
	if len(r.Findings) > 0 {
		b.WriteString("\n")
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
	s += fmt.Sprintf(" in %d inputs, %s", r.Stats.Inputs, humanBytes(r.Stats.Bytes))
	if r.Stats.Suppressed > 0 {
		s += fmt.Sprintf(", %d suppressed", r.Stats.Suppressed)
	}
	if len(r.Errors) > 0 {
		s += fmt.Sprintf(", %d unreadable", len(r.Errors))
	}
	if len(r.Skips) > 0 {
		s += fmt.Sprintf(", %d skipped", len(r.Skips))
	}
	if len(r.Stale) > 0 {
		s += fmt.Sprintf(", %d stale baseline entries", len(r.Stale))
	}
	return s + fmt.Sprintf(" (%.2fs)", r.Stats.Seconds)
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
