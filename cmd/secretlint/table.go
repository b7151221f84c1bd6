package main

import (
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"
	"github.com/muesli/termenv"
)

// writeTable prints a listing (rules, checks) with lipgloss/table: one row
// a line, so it can be piped to grep, columns two spaces apart, no
// borders, and the header bold where the output takes colour.
func writeTable(w io.Writer, profile termenv.Profile, headers []string, rows [][]string) error {
	re := lipgloss.NewRenderer(w)
	re.SetColorProfile(profile)
	cell := re.NewStyle().PaddingRight(2)
	last := re.NewStyle()
	head := re.NewStyle().Bold(true)
	t := table.New().
		Border(lipgloss.HiddenBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderHeader(false).BorderColumn(false).BorderRow(false).
		Wrap(false).
		Headers(headers...).
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			s := cell
			if col == len(headers)-1 {
				s = last
			}
			if row == table.HeaderRow {
				s = s.Inherit(head)
			}
			return s
		})
	var b strings.Builder
	for _, line := range strings.Split(t.Render(), "\n") {
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
