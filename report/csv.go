package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/secretlint/secretlint/scan"
)

// csvColumns is the CSV header. The order is stable: new columns are only
// ever appended.
var csvColumns = []string{
	"rule_id", "severity", "description", "source", "path", "line", "column", "end_line", "end_column",
	"secret", "fingerprint", "encoding", "commit", "author", "email", "date", "image", "layer",
	"layer_index", "deleted", "message", "hint",
}

// csvVerifyColumns are appended when the run verified its credentials.
var csvVerifyColumns = []string{"verification_status", "verification_identity", "verification_scopes", "verification_checked_at"}

// WriteCSV writes a header row and one row per finding. Cells that a
// spreadsheet would read as a formula get a leading apostrophe.
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	header := csvColumns
	if r.Verified {
		header = append(header[:len(header):len(header)], csvVerifyColumns...)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, f := range r.Findings {
		row := csvRow(f)
		if r.Verified {
			row = append(row, csvVerification(f.Verification)...)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvRow(f scan.Finding) []string {
	layerIndex := ""
	if f.LayerIndex != nil {
		layerIndex = strconv.Itoa(*f.LayerIndex)
	}
	deleted := ""
	if f.Image != "" {
		deleted = strconv.FormatBool(f.Deleted)
	}
	row := []string{
		f.RuleID, f.Severity.String(), f.Description, f.Source, f.Path,
		strconv.Itoa(f.Line), strconv.Itoa(f.Column), strconv.Itoa(f.EndLine), strconv.Itoa(f.EndColumn),
		f.Secret, f.Fingerprint, f.Encoding, f.Commit, f.Author, f.Email, f.Date, f.Image, f.Layer,
		layerIndex, deleted, f.Message, f.Hint,
	}
	for i, c := range row {
		row[i] = csvSafe(c)
	}
	return row
}

// csvSafe defuses cells that spreadsheets would evaluate as formulas.
func csvSafe(s string) string {
	if len(s) > 1 && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvVerification renders a verification as its four cells: identity as
// sorted key=value pairs and scopes joined by spaces.
func csvVerification(v *scan.Verification) []string {
	if v == nil {
		return []string{"", "", "", ""}
	}
	cells := []string{v.Status, IdentityText(v.Identity), strings.Join(v.Scopes, " "), v.CheckedAt}
	for i, c := range cells {
		cells[i] = csvSafe(c)
	}
	return cells
}
