package content

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/scantest"
)

// TestStructuredExamples: the shapes a value takes in a file that the
// raw bytes hide, one per extractor, each reported once, by the rule that
// names it, at the line and column where its first byte sits in the file,
// with the decoded value as the secret. Without extractors none of them
// is found whole.
func TestStructuredExamples(t *testing.T) {
	aws := scantest.FakeAWSSecret(11)
	pw := "Hr7$kLq2" + "!vZ9mWp4"
	slack := "xoxb-2048571234-" + "4829301843201-Hq8Zr2Kp4Wm7Xv1Ls9Nd3Tb6"
	tests := []struct {
		name, path, body string
		rule, secret     string
		at               string // the raw text the secret starts with
	}{
		{"notebook stream output", "run.ipynb", `{"cells":[{"cell_type":"code","source":[],"outputs":[{"output_type":"stream","text":["ok\n","MLFLOW_TRACKING_TOKEN=q7Xv2Lp9Rt4Kw8Zm3Nb6\n"]}]}]}`,
			"mlflow-tracking-token", "q7Xv2Lp9Rt4Kw8Zm3Nb6", "q7Xv2"},
		{"helm double-quoted scalar continued with a backslash", "charts/app/values.yaml", "slack:\n  botToken: \"" + slack[:16] + "\\\n    " + slack[16:] + "\"\n",
			"slack-bot-token", slack, slack[:16]},
		{"yaml folded block", "config.yaml", "db:\n  password: >-\n    " + pw + "\n  host: db\n", "generic-secret", pw, pw[:8]},
		{"ado.net connection string in appsettings", "appsettings.Production.json", `{"ConnectionStrings":{"Default":"Server=tcp:db,1433;User ID=app;Password=` + pw + `;Encrypt=True;"}}`,
			"generic-secret", pw, pw[:8]},
		{"json escapes", "config.json", `{"aws":{"aws_secret_access_key":"` + aws[:20] + `\u002b` + aws[21:] + `"}}`,
			"aws-secret-access-key", aws[:20] + "+" + aws[21:], aws[:20]},
		{"properties continuation", "application.properties", "db.password=" + pw[:8] + "\\\n    " + pw[8:] + "\n", "generic-secret", pw, pw[:8]},
		{"toml multi-line string", "settings.toml", "[db]\npassword = \"\"\"\n" + pw[:8] + "\\\n    " + pw[8:] + "\"\"\"\n", "generic-secret", pw, pw[:8]},
		{"maven settings.xml entity", "settings.xml", "<settings><servers><server><password>" + pw[:8] + "&#x21;" + pw[9:] + "</password></server></servers></settings>\n",
			"generic-secret", pw[:8] + "!" + pw[9:], pw[:8]},
		{"python adjacent literals", "settings.py", "AWS_SECRET_ACCESS_KEY = (\"" + aws[:20] + "\"\n    \"" + aws[20:] + "\")\n",
			"aws-secret-access-key", aws, aws[:20]},
	}
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	e := scan.NewEngine(set)
	type hit struct {
		Rule, Secret string
		Line, Column int
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.body)
			o := scan.Origin{Source: scan.SourceFile, Path: tc.path}
			var got []hit
			for _, f := range New(e).Text(o, data) {
				got = append(got, hit{f.RuleID, f.Secret, f.Line, f.Column})
			}
			line, col := scantest.Position(data, tc.at)
			if diff := cmp.Diff([]hit{{tc.rule, tc.secret, line, col}}, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range New(e, WithExtractors()).Text(o, data) {
				if f.RuleID == tc.rule && f.Secret == tc.secret {
					t.Errorf("the raw scan finds it too; the case does not show what extraction adds")
				}
			}
		})
	}
}

// TestExtractionFallsBackToRaw: a file whose structure breaks part way
// (an unterminated JSON string) is still scanned raw, and a finding the
// raw scan makes is not reported again by the extractor.
func TestExtractionFallsBackToRaw(t *testing.T) {
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	e := scan.NewEngine(set)
	aws := scantest.FakeAWSSecret(12)
	broken := []byte("{\"aws_secret_access_key\": \"" + aws + "\",\n \"note\": \"unterminated\n")
	fs := New(e).Text(scan.Origin{Path: "broken.json"}, broken)
	if len(fs) != 1 || fs[0].Secret != aws {
		t.Errorf("broken JSON: %+v, want the raw finding once", fs)
	}
	whole := []byte("{\"aws_secret_access_key\": \"" + aws + "\"}\n")
	fs = New(e).Text(scan.Origin{Path: "ok.json"}, whole)
	if len(fs) != 1 {
		t.Errorf("valid JSON: %d findings, want 1 (raw and extracted are one)", len(fs))
	}
	// An inline allow marker on the raw line holds for what extraction finds.
	pw := "Hr7$kLq2" + "!vZ9mWp4"
	allowed := []byte("db:\n  password: >-  # secretlint:allow\n    " + pw + "\n")
	if fs := New(e).Text(scan.Origin{Path: "a.yaml"}, allowed); len(fs) != 1 {
		// The value sits on the line below the marker: not allowed.
		t.Errorf("marker on the key's line: %d findings, want 1", len(fs))
	}
	allowed = bytes.Replace(allowed, []byte(pw), []byte(pw+"  # secretlint:allow"), 1)
	allowed = bytes.Replace(allowed, []byte(">-  # secretlint:allow"), []byte(">-"), 1)
	if fs := New(e).Text(scan.Origin{Path: "a.yaml"}, allowed); len(fs) != 0 {
		t.Errorf("marker on the value's line: %+v, want none", fs)
	}
}

// TestExtractedTextNotCounted: the stats count the bytes read once; the
// text an extractor decodes from them is not input.
func TestExtractedTextNotCounted(t *testing.T) {
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	e := scan.NewEngine(set)
	nb := scantest.Notebook(scantest.NotebookAWSCell(scantest.FakeAWSSecret(13)))
	if fs := New(e).Text(scan.Origin{Path: "a.ipynb"}, nb); len(fs) != 1 {
		t.Fatalf("%d findings, want the key once", len(fs))
	}
	if frags, n := e.Scanned(); frags != 1 || n != int64(len(nb)) {
		t.Errorf("scanned %d fragments, %d bytes; want 1 and %d", frags, n, len(nb))
	}
}
