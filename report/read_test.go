package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/muesli/termenv"

	"github.com/secretlint/secretlint/scan"
)

// TestReadJSONGoldens reads the golden JSON reports back and renders them
// in every format: each output must be the golden file of that format,
// byte for byte. So nothing any format shows is lost in the JSON report,
// and a merged or re-rendered report reads like the scan's own.
func TestReadJSONGoldens(t *testing.T) {
	if *update {
		t.Skip("golden files are being rewritten")
	}
	ansi := termenv.ANSI256
	for _, tc := range []struct {
		from, golden, format string
		opts                 Options
	}{
		{"report.json", "report.json", "json", Options{}},
		{"report.json", "report.jsonl", "jsonl", Options{}},
		{"report.json", "report.txt", "text", Options{}},
		{"report.json", "report-color.txt", "text", Options{Color: true, Profile: &ansi}},
		{"report.json", "report.sarif", "sarif", Options{}},
		{"report.json", "report.junit.xml", "junit", Options{}},
		{"report.json", "report.csv", "csv", Options{}},
		{"empty.json", "empty.json", "json", Options{}},
		{"empty.json", "empty.txt", "text", Options{}},
		{"empty.json", "empty.sarif", "sarif", Options{}},
		{"empty.json", "empty.junit.xml", "junit", Options{}},
		{"empty.json", "empty.csv", "csv", Options{}},
	} {
		t.Run(tc.from+"->"+tc.golden, func(t *testing.T) {
			r, err := ReadJSONFile(filepath.Join(goldenDir, tc.from))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(goldenDir, tc.golden))
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, tc.format, r, tc.opts); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(string(want), buf.String()); d != "" {
				t.Errorf("%s read back and written as %s differs from %s (-want +got):\n%s", tc.from, tc.format, tc.golden, d)
			}
		})
	}
}

// TestReadJSONExact reads a report written with secrets shown and gets the
// same Report back, field for field: raw secrets, secret_hash, pointers
// such as in_head=false and layer_index, errors, skips, stale baseline and
// allowlist entries and stats.
func TestReadJSONExact(t *testing.T) {
	want := sampleReport()
	want.Findings[0].SecretHash = strings.Repeat("5e", 32)
	want.StaleAllowlist = []string{`.secretlint.toml:4: allowlist.paths "^vendor-gone/"`}
	var buf bytes.Buffer
	if err := Write(&buf, "json", want, Options{ShowSecrets: true}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	errText := cmp.Transformer("error", func(e *scan.InputError) string { return e.Error() })
	if d := cmp.Diff(want, got, errText); d != "" {
		t.Errorf("report read back differs (-wrote +read):\n%s", d)
	}
}

// TestReadJSONStaysRedacted reads a default (redacted) report back: no raw
// secret may appear anywhere in the Report, nor in any format rendered from
// it even with secrets shown, since the report never held them.
func TestReadJSONStaysRedacted(t *testing.T) {
	orig := sampleReport()
	// A commit message quoting a secret is scrubbed in the report too.
	orig.Findings[3].CommitTitle = "add " + orig.Findings[0].Secret
	orig.Findings[0].SecretHash = strings.Repeat("5e", 32)
	var raw []string
	for _, f := range orig.Findings {
		if len(f.Secret) >= 8 {
			raw = append(raw, f.Secret)
		}
	}
	var buf bytes.Buffer
	if err := Write(&buf, "json", orig, Options{}); err != nil {
		t.Fatal(err)
	}
	r, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != len(orig.Findings) {
		t.Fatalf("read %d findings, want %d", len(r.Findings), len(orig.Findings))
	}
	for i, f := range r.Findings {
		if want := scan.Redact(orig.Findings[i].Secret); f.Secret != want {
			t.Errorf("finding %d: secret %q, want the mask %q", i, f.Secret, want)
		}
	}
	// The keyed hash stays: it is how shard reports recognise one secret.
	if r.Findings[0].SecretHash != orig.Findings[0].SecretHash {
		t.Errorf("secret_hash %q, want %q", r.Findings[0].SecretHash, orig.Findings[0].SecretHash)
	}
	if len(r.Secrets) != 0 {
		t.Errorf("Report.Secrets = %q, want none: the JSON format does not carry them", r.Secrets)
	}
	var fields strings.Builder
	eachString(reflect.ValueOf(r.Findings), func(s string) { fields.WriteString(s + "\n") })
	for _, s := range raw {
		if strings.Contains(fields.String(), s) {
			t.Errorf("a field of the report read back holds the raw secret %s…", s[:4])
		}
	}
	for _, format := range Formats {
		var out bytes.Buffer
		if err := Write(&out, format, r, Options{ShowSecrets: true}); err != nil {
			t.Fatal(err)
		}
		for _, s := range raw {
			if strings.Contains(out.String(), s) || strings.Contains(out.String(), printable(s)) {
				t.Errorf("%s with --show-secrets shows the raw secret %s… of a redacted report", format, s[:4])
			}
		}
	}
}

// eachString calls fn with every string reachable from v.
func eachString(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.String:
		fn(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			eachString(v.Elem(), fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			eachString(v.Index(i), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			eachString(v.Field(i), fn)
		}
	}
}

func TestReadJSONErrors(t *testing.T) {
	const head = `{"version":"1","tool":"secretlint",`
	for _, tc := range []struct{ in, want string }{
		{"", "read JSON report: empty input"},
		{"[]", "line 1, column 1: the report is a JSON array, not an object"},
		{"{}", `not a secretlint JSON report: no "version"`},
		{`{"version":"2","tool":"secretlint"}`, `report format version "2", this secretlint reads "1"`},
		{`{"version":"1","tool":"gitleaks"}`, `report written by "gitleaks", not secretlint`},
		{head + "\n" + `"findings":[{"line":"3"}]}`, `line 2, column 23: field findings.line: string value where int belongs`},
		{head + `"findings":[{"severity":"severe"}]}`, `unknown severity "severe"`},
		{head + `"secret_value":"x"}`, `unknown field "secret_value"`},
		{head + `"stats":{}}` + "\n{}", "line 2, column 1: data after the report"},
		{head + `"findings":[`, "input ends inside the report"},
		{head + `"findings":[}`, "line 1, column 48: invalid character '}'"},
	} {
		_, err := ReadJSON(strings.NewReader(tc.in))
		if err == nil || !strings.HasPrefix(err.Error(), "read JSON report: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadJSON(%q) = %v, want an error with %q", tc.in, err, tc.want)
		}
	}
}

func TestReadJSONFileNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "shard-2.json")
	if err := os.WriteFile(bad, []byte(`{"version":"1","tool":"secretlint","findings":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadJSONFile(bad)
	if err == nil || !strings.Contains(err.Error(), "read JSON report "+bad+": line 1, column 47: field findings") {
		t.Errorf("bad file: %v", err)
	}
	missing := filepath.Join(dir, "none.json")
	_, err = ReadJSONFile(missing)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzReadJSON feeds arbitrary bytes to the reader: it must not panic,
// every error must name the input, and a report it accepts must read back
// to itself once written (WriteJSON then ReadJSON is a fixed point).
func FuzzReadJSON(f *testing.F) {
	for _, name := range []string{"report.json", "empty.json", "report.sarif", "report.jsonl"} {
		data, err := os.ReadFile(filepath.Join(goldenDir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"version":"1","tool":"secretlint","findings":[{"rule_id":"r","severity":"warning","in_head":true,"layer_index":0}],"errors":[{"input":"a","error":""}]}`))
	f.Add([]byte(`{"version":"1","tool":"secretlint","findings":null,"stats":{"seconds":1e-9}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := readJSON("fuzz.json", bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "read JSON report fuzz.json: ") {
				t.Fatalf("error does not name the input: %v", err)
			}
			return
		}
		var once bytes.Buffer
		if err := WriteJSON(&once, r); err != nil {
			t.Fatalf("write a report read without error: %v", err)
		}
		again, err := ReadJSON(bytes.NewReader(once.Bytes()))
		if err != nil {
			t.Fatalf("report written from an accepted one does not read: %v\n%s", err, once.Bytes())
		}
		var twice bytes.Buffer
		if err := WriteJSON(&twice, again); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(once.String(), twice.String()); d != "" {
			t.Fatalf("second round trip differs (-first +second):\n%s", d)
		}
	})
}
