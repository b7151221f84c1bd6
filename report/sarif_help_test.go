package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/secretlint/secretlint/catalog"
	"github.com/secretlint/secretlint/scan"
)

// TestSARIFCheckHelp: the SARIF rule of every hygiene and inventory check
// carries the catalog's help, the text of docs/policy/<id>.md, as Markdown
// and as plain text, and its description and fix come from the catalog
// even when a finding's own are stale.
func TestSARIFCheckHelp(t *testing.T) {
	var fs []scan.Finding
	for _, kind := range []catalog.Kind{catalog.HygieneCheck, catalog.InventoryCheck} {
		for _, c := range catalog.Checks(kind) {
			fs = append(fs, scan.Finding{RuleID: c.ID, Severity: c.Severity, Source: scan.SourcePolicy,
				Description: "stale", Hint: "stale", Location: scan.Location{Path: "a", Line: 1}})
		}
	}
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, &Report{Findings: fs}); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	rules := map[string]sarifRule{}
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		rules[r.ID] = r
	}
	for _, f := range fs {
		r, ok := rules[f.RuleID]
		c, _ := catalog.Check(f.RuleID)
		switch {
		case !ok:
			t.Errorf("%s: no SARIF rule", f.RuleID)
		case catalog.Help(f.RuleID) == "":
			t.Errorf("%s: the catalog has no help for it", f.RuleID)
		case r.Help.Markdown != catalog.Help(f.RuleID) || r.Help.Text != catalog.HelpText(f.RuleID):
			t.Errorf("%s: SARIF help is not the catalog's: %+v", f.RuleID, r.Help)
		case r.ShortDescription.Text != c.Description || r.FullDescription.Text != c.Description+". "+c.Hint:
			t.Errorf("%s: descriptions not from the catalog: %+v %+v", f.RuleID, r.ShortDescription, r.FullDescription)
		}
	}
}
