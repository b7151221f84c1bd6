package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/muesli/termenv"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const goldenDir = "../testdata/golden"

// sample builds a value that looks like a credential but is made at run
// time, so the source file holds no secret-shaped literal.
func sample(prefix string, seed byte, n int) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	b := []byte(prefix)
	x := uint32(seed)*2654435761 + 1
	for i := 0; i < n; i++ {
		x = x*1103515245 + 12345
		b = append(b, alphabet[(x>>16)%uint32(len(alphabet))])
	}
	return string(b)
}

// sampleReport covers every kind of finding a writer must render: a plain
// file, an encoded secret, a git finding, an image finding, a policy
// finding, plus errors, skips and stale baseline entries.
func sampleReport() *Report {
	li := 2
	head := false
	fs := []scan.Finding{
		{
			RuleID:      "demo-svc",
			Description: "Demo service token",
			Severity:    rules.High,
			Source:      scan.SourceFile,
			Location:    scan.Location{Path: "app/config.py", Line: 3, Column: 12, EndLine: 3, EndColumn: 43},
			Secret:      sample("dmo_", 1, 28),
			Hint:        "Revoke the token and load it from a secret manager.",
		},
		{
			RuleID:      "demo-svc",
			Description: "Demo service token",
			Severity:    rules.High,
			Source:      scan.SourceFile,
			Location:    scan.Location{Path: "app/config.py", Line: 9, Column: 5, EndLine: 9, EndColumn: 60},
			Secret:      sample("dmo_", 2, 28),
			Encoding:    "base64",
			Hint:        "Revoke the token and load it from a secret manager.",
		},
		{
			RuleID:      "demo-pem",
			Description: "Demo private key",
			Severity:    rules.Critical,
			Source:      scan.SourceFile,
			Location:    scan.Location{Path: "deploy/id demo,key.pem", Line: 1, Column: 1, EndLine: 5, EndColumn: 30},
			Secret:      "-----BEGIN DEMO PRIVATE KEY-----\n" + sample("", 3, 64) + "\n-----END DEMO PRIVATE KEY-----",
			Hint:        "Replace the key and revoke the old one.",
		},
		{
			RuleID:      "demo-svc",
			Description: "Demo service token",
			Severity:    rules.High,
			Source:      scan.SourceGit,
			Location:    scan.Location{Path: "settings.env", Line: 1, Column: 7, EndLine: 1, EndColumn: 38},
			Secret:      sample("dmo_", 4, 28),
			GitInfo:     scan.GitInfo{Commit: "0123456789abcdef0123456789abcdef01234567", Author: "Ada Lovelace", Email: "ada@example.org", Date: "2024-05-01T10:00:00Z", CommitTitle: "add settings", Commits: 2, Paths: 1, InHead: &head},
			Hint:        "Revoke the token and load it from a secret manager.",
		},
		{
			RuleID:      "demo-login",
			Description: "Demo password assignment",
			Severity:    rules.Medium,
			Source:      scan.SourceImage,
			Location:    scan.Location{Path: "etc/app.conf", Line: 2, Column: 10, EndLine: 2, EndColumn: 25},
			Secret:      sample("", 5, 16),
			ImageInfo:   scan.ImageInfo{Image: "registry.local/app:1", Manifest: "sha256:" + strings.Repeat("ab", 32), Layer: "sha256:" + strings.Repeat("cd", 32), LayerIndex: &li, CreatedBy: "COPY app.conf /etc/", Deleted: true, DeletedBy: "sha256:" + strings.Repeat("ef", 32)},
		},
		{
			RuleID:      "demo-policy",
			Description: "Truss config holds a secret value",
			Severity:    rules.Low,
			Source:      scan.SourcePolicy,
			Location:    scan.Location{Path: "truss/config.yaml", Line: 4, Column: 3, EndLine: 4, EndColumn: 20},
			Message:     "secrets: values must be null; the runtime injects them",
			Hint:        "Set the value to null.",
			Inventory:   &scan.InventoryRef{Name: "demo-api", Owner: "ml-platform", Store: "vault"},
		},
		{
			RuleID:      "demo-info",
			Description: "Demo informational note",
			Severity:    rules.Info,
			Source:      scan.SourceStdin,
			Location:    scan.Location{Path: "-", Line: 1, Column: 1, EndLine: 1, EndColumn: 8},
			Secret:      "=cmd|x",
		},
	}
	for i := range fs {
		fs[i].Fingerprint = scan.Fingerprint(fs[i].RuleID, fs[i].Path, fs[i].Secret)
	}
	return &Report{
		ToolVersion: "1.2.3",
		Findings:    fs,
		Errors:      []*scan.InputError{{Input: "broken.tar.gz", Err: errors.New("read tar header: unexpected EOF")}},
		Skips:       []scan.Skip{{Input: "bin/tool", Reason: "binary file"}},
		Stale:       []string{"old/file.py:demo-svc:0011223344556677"},
		Stats:       Stats{Inputs: 12, Bytes: 34567, Findings: len(fs), Suppressed: 1, Errors: 1, Skipped: 1, Seconds: 0.25},
	}
}

func emptyReport() *Report {
	return &Report{ToolVersion: "1.2.3", Stats: Stats{Inputs: 3, Bytes: 100, Seconds: 0.01}}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("read golden file (run go test ./report -update): %v", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, d)
	}
}

func TestGolden(t *testing.T) {
	ansi := termenv.ANSI256
	for _, tc := range []struct {
		name   string
		format string
		report func() *Report
		opts   Options
	}{
		{"report.txt", "text", sampleReport, Options{}},
		{"report-color.txt", "text", sampleReport, Options{Color: true, Profile: &ansi}},
		{"report.json", "json", sampleReport, Options{}},
		{"report.jsonl", "jsonl", sampleReport, Options{}},
		{"report.sarif", "sarif", sampleReport, Options{}},
		{"report.junit.xml", "junit", sampleReport, Options{}},
		{"report.csv", "csv", sampleReport, Options{}},
		{"empty.txt", "text", emptyReport, Options{}},
		{"empty.json", "json", emptyReport, Options{}},
		{"empty.sarif", "sarif", emptyReport, Options{}},
		{"empty.junit.xml", "junit", emptyReport, Options{}},
		{"empty.csv", "csv", emptyReport, Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tc.format, tc.report(), tc.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, buf.Bytes())
		})
	}
}

// TestRedaction checks every format hides the raw secrets by default and
// shows them only when asked.
func TestRedaction(t *testing.T) {
	r := sampleReport()
	for _, format := range Formats {
		for _, show := range []bool{false, true} {
			t.Run(format+map[bool]string{true: "-show", false: ""}[show], func(t *testing.T) {
				var buf bytes.Buffer
				if err := Write(&buf, format, r, Options{ShowSecrets: show}); err != nil {
					t.Fatal(err)
				}
				out := buf.String()
				switch format {
				case "json", "jsonl", "sarif":
					out = jsonText(t, format, buf.Bytes())
				case "junit":
					out = xmlText(t, buf.Bytes())
				case "html":
					out = htmlText(t, buf.Bytes())
				}
				for _, f := range r.Findings {
					if len(f.Secret) < 8 {
						continue
					}
					secret := f.Secret
					if format == "text" {
						secret = printable(secret) // text escapes the newlines of multi-line secrets
					}
					// GitLab's code quality report never carries the value.
					want := show && format != "codequality"
					if got := strings.Contains(out, secret); got != want {
						t.Errorf("%s: raw secret of %s:%d present=%v, want %v", format, f.Path, f.Line, got, want)
					}
				}
			})
		}
	}
}

// jsonText decodes JSON output so escaped newlines in secrets compare as
// raw text.
func jsonText(t *testing.T, format string, data []byte) string {
	t.Helper()
	var b strings.Builder
	dec := json.NewDecoder(bytes.NewReader(data))
	for dec.More() {
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s output is not JSON: %v", format, err)
		}
		walkStrings(v, func(s string) { b.WriteString(s + "\n") })
	}
	return b.String()
}

// xmlText returns the character data and attribute values of an XML
// document, unescaped.
func xmlText(t *testing.T, data []byte) string {
	t.Helper()
	var b strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch x := tok.(type) {
		case xml.CharData:
			b.Write(x)
		case xml.StartElement:
			for _, a := range x.Attr {
				b.WriteString(a.Value + "\n")
			}
		}
	}
	return b.String()
}

func walkStrings(v any, fn func(string)) {
	switch x := v.(type) {
	case string:
		fn(x)
	case []any:
		for _, e := range x {
			walkStrings(e, fn)
		}
	case map[string]any:
		for _, e := range x {
			walkStrings(e, fn)
		}
	}
}

// TestSARIFShape checks what GitHub code scanning requires of an upload.
func TestSARIFShape(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	if err := WriteSARIF(&buf, r); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID                   string            `json:"id"`
						ShortDescription     map[string]string `json:"shortDescription"`
						Help                 map[string]string `json:"help"`
						DefaultConfiguration map[string]string `json:"defaultConfiguration"`
						Properties           map[string]any    `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string            `json:"ruleId"`
				RuleIndex int               `json:"ruleIndex"`
				Level     string            `json:"level"`
				Message   map[string]string `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine, StartColumn, EndLine, EndColumn int
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Properties          map[string]any    `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("version %q schema %q runs %d", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "secretlint" {
		t.Errorf("driver name %q", run.Tool.Driver.Name)
	}
	levels := map[string]bool{"error": true, "warning": true, "note": true}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.ID == "" || rule.ShortDescription["text"] == "" || rule.Help["text"] == "" || !levels[rule.DefaultConfiguration["level"]] {
			t.Errorf("rule %+v lacks id, description, help or level", rule)
		}
		if _, ok := rule.Properties["security-severity"].(string); !ok {
			t.Errorf("rule %s: security-severity must be a string", rule.ID)
		}
	}
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(r.Findings))
	}
	for i, res := range run.Results {
		f := r.Findings[i]
		if run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID || res.RuleID != f.RuleID {
			t.Errorf("result %d: ruleId %q, ruleIndex points at %q", i, res.RuleID, run.Tool.Driver.Rules[res.RuleIndex].ID)
		}
		if !levels[res.Level] || res.Message["text"] == "" || len(res.Locations) != 1 {
			t.Errorf("result %d: level %q message %q locations %d", i, res.Level, res.Message["text"], len(res.Locations))
		}
		loc := res.Locations[0].PhysicalLocation
		if u := loc.ArtifactLocation.URI; u == "" || strings.HasPrefix(u, "/") || strings.Contains(u, " ") {
			t.Errorf("result %d: uri %q must be a relative URI reference", i, u)
		}
		if loc.Region.StartLine != f.Line || loc.Region.StartColumn != f.Column || loc.Region.EndColumn != f.EndColumn+1 {
			t.Errorf("result %d: region %+v for %d:%d-%d:%d", i, loc.Region, f.Line, f.Column, f.EndLine, f.EndColumn)
		}
		if res.PartialFingerprints["secretlint/v1"] != f.Fingerprint {
			t.Errorf("result %d: partialFingerprints %v", i, res.PartialFingerprints)
		}
		if f.Commit != "" && res.Properties["commit"] != f.Commit {
			t.Errorf("result %d: commit property %v", i, res.Properties["commit"])
		}
	}
}

func TestSARIFURI(t *testing.T) {
	for in, want := range map[string]string{
		"app/a.py":               "app/a.py",
		"./app/a.py":             "app/a.py",
		"a b/c%d#e?f.txt":        "a%20b/c%25d%23e%3Ff.txt",
		"archive.zip!inner/x.py": "archive.zip%21inner/x.py",
		"a:b/c.txt":              "./a:b/c.txt",
		"/abs/dir/x.py":          "file:///abs/dir/x.py",
		"-":                      "stdin",
	} {
		if got := sarifURI(in); got != want {
			t.Errorf("sarifURI(%q) = %q, want %q", in, got, want)
		}
		if u, err := url.Parse(sarifURI(in)); err != nil || (in != "/abs/dir/x.py" && u.Scheme != "") {
			t.Errorf("sarifURI(%q) = %q does not parse as a relative reference: %v", in, sarifURI(in), err)
		}
	}
}

func TestJUnitShape(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	var got junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Failures != len(r.Findings) || got.Errors != len(r.Errors) || got.Tests != len(r.Findings)+len(r.Errors) {
		t.Errorf("tests=%d failures=%d errors=%d", got.Tests, got.Failures, got.Errors)
	}
	suites := map[string]int{}
	for _, s := range got.Suites {
		suites[s.Name] = len(s.Cases)
	}
	want := map[string]int{"app/config.py": 2, "deploy/id demo,key.pem": 1, "settings.env": 1,
		"registry.local/app:1 etc/app.conf": 1, "truss/config.yaml": 1, "-": 1, errorSuite: 1}
	if d := cmp.Diff(want, suites); d != "" {
		t.Errorf("suites (-want +got):\n%s", d)
	}
}

func TestCSVShape(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	if err := Write(&buf, "csv", r, Options{ShowSecrets: true}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(csvColumns, rows[0]); d != "" {
		t.Errorf("header (-want +got):\n%s", d)
	}
	if len(rows) != len(r.Findings)+1 {
		t.Fatalf("%d rows for %d findings", len(rows)-1, len(r.Findings))
	}
	for i, row := range rows[1:] {
		f := r.Findings[i]
		if row[0] != f.RuleID || row[4] != f.Path || row[10] != csvSafe(f.Fingerprint) {
			t.Errorf("row %d: %v", i, row[:11])
		}
	}
	if got := rows[len(rows)-1][9]; got != "'=cmd|x" {
		t.Errorf("formula-looking cell written as %q, want it defused", got)
	}
}

func TestTextColor(t *testing.T) {
	var plain, color bytes.Buffer
	ansi := termenv.ANSI256
	if err := Write(&plain, "text", sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Write(&color, "text", sampleReport(), Options{Color: true, Profile: &ansi}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain text holds escape sequences")
	}
	if !strings.Contains(color.String(), "\x1b[") {
		t.Error("colour text holds no escape sequences")
	}
	// Colour on but writing to a non-terminal: the renderer detects no
	// colour support and writes plain text.
	var piped bytes.Buffer
	if err := Write(&piped, "text", sampleReport(), Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(piped.String(), "\x1b[") {
		t.Error("text to a buffer holds escape sequences")
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "yaml", emptyReport(), Options{}); err == nil || !strings.Contains(err.Error(), "yaml") {
		t.Errorf("err = %v", err)
	}
}

// TestRedactionElsewhere checks a secret copied into other fields (an image
// history entry, a commit message) or quoted by an input error is redacted
// too.
func TestRedactionElsewhere(t *testing.T) {
	secret := sample("dmo_", 9, 28)
	f := scan.Finding{
		RuleID:    "demo-svc",
		Location:  scan.Location{Path: "etc/x", Line: 1},
		Secret:    secret,
		Source:    scan.SourceImage,
		ImageInfo: scan.ImageInfo{Image: "img", CreatedBy: "/bin/sh -c #(nop) ENV TOKEN=" + secret},
		GitInfo:   scan.GitInfo{CommitTitle: "add " + secret},
	}
	f.Fingerprint = scan.Fingerprint(f.RuleID, f.Path, f.Secret)
	r := &Report{
		Findings: []scan.Finding{f},
		Errors:   []*scan.InputError{{Input: "x.tf", Err: errors.New(`parse: line 3: "` + secret + `" redefined`)}},
	}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := Write(&buf, format, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), secret) {
			t.Errorf("%s: raw secret in the report", format)
		}
	}
	var buf bytes.Buffer
	Write(&buf, "json", r, Options{ShowSecrets: true})
	if !strings.Contains(buf.String(), "ENV TOKEN="+secret) {
		t.Error("--show-secrets lost the raw value")
	}
	if got := NewScrubber(r.Findings).Scrub("x " + secret + " y"); strings.Contains(got, secret) {
		t.Errorf("Scrub = %q", got)
	}
	var nilScrubber *Scrubber
	if nilScrubber.Scrub("abc") != "abc" {
		t.Error("nil scrubber changed text")
	}
}

// TestTextControlCharacters checks the text report escapes control
// characters from file names and values, so they cannot drive the terminal.
func TestTextControlCharacters(t *testing.T) {
	f := scan.Finding{
		RuleID:   "demo-svc",
		Location: scan.Location{Path: "evil\x1b]0;title\x07.txt", Line: 1, Column: 1},
		Secret:   "abc",
		Message:  "line one\nline two",
	}
	r := &Report{Findings: []scan.Finding{f}, Errors: []*scan.InputError{{Input: "x\x1b[2J", Err: errors.New("bad\rname")}}}
	var buf bytes.Buffer
	if err := WriteText(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, c := range []string{"\x1b", "\x07", "\r"} {
		if strings.Contains(out, c) {
			t.Errorf("control character %q in text output:\n%q", c, out)
		}
	}
	if !strings.Contains(out, `evil\x1b]0;title\x07.txt`) || !strings.Contains(out, `line one\nline two`) {
		t.Errorf("escaped forms missing:\n%s", out)
	}
}

// TestRedactionKeepsIdentity checks that redaction leaves a finding's path
// and fingerprint exact when the secret's text occurs in them, and redacts
// the run's other secrets (a suppressed finding's) in free text.
func TestRedactionKeepsIdentity(t *testing.T) {
	secret, other := sample("dmo_", 11, 28), sample("dmo_", 12, 28)
	f := scan.Finding{
		RuleID:    "demo-svc",
		Location:  scan.Location{Path: "conf/" + secret + ".sh", Line: 1},
		Secret:    secret,
		ImageInfo: scan.ImageInfo{CreatedBy: "RUN echo " + other},
	}
	f.Fingerprint = scan.Fingerprint(f.RuleID, f.Path, f.Secret)
	r := &Report{Findings: []scan.Finding{f}, Secrets: []string{other}}
	var buf bytes.Buffer
	if err := Write(&buf, "jsonl", r, Options{}); err != nil {
		t.Fatal(err)
	}
	var got scan.Finding
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Path != f.Path || got.Fingerprint != f.Fingerprint {
		t.Errorf("path %q fingerprint %q, want %q %q", got.Path, got.Fingerprint, f.Path, f.Fingerprint)
	}
	if got.Secret == secret || strings.Contains(got.CreatedBy, other) {
		t.Errorf("secret %q created_by %q: not redacted", got.Secret, got.CreatedBy)
	}
}
