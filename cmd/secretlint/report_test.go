package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/report"
)

// secretFixtures returns directories to scan and the raw secrets found in
// them: a tree of generated credentials, plus the rules fixtures under
// testdata/rules when present.
func secretFixtures(t *testing.T) (roots []string, secrets []string) {
	t.Helper()
	gen := writeTree(t, map[string]string{
		"app/settings.py":    "GITHUB_TOKEN = \"" + githubPAT(21) + "\"\nAWS_ACCESS_KEY_ID = \"" + awsKeyID(22) + "\"\n",
		"deploy/id_rsa":      pemKey(23) + "\n",
		"ci/env.sh":          "export GH=" + githubPAT(24) + "\n",
		"odd,name \"q\".txt": "t=" + githubPAT(25) + "\n",
	})
	roots = []string{gen}
	if fi, err := os.Stat(filepath.Join("..", "..", "testdata", "rules")); err == nil && fi.IsDir() {
		roots = append(roots, filepath.Join("..", "..", "testdata", "rules"))
	}
	args := append([]string{"scan", "--no-policy", "--format", "json", "--show-secrets"}, roots...)
	r := runCLI(t, cliOpts{}, args...)
	rep := decodeReport(t, r.stdout)
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		if len(f.Secret) >= 8 && !seen[f.Secret] {
			seen[f.Secret] = true
			secrets = append(secrets, f.Secret)
		}
	}
	if len(secrets) < 5 {
		t.Fatalf("only %d secrets found in the fixtures; the generated ones alone are 5\n%s", len(secrets), r.stderr)
	}
	t.Logf("%d distinct secrets in %d fixture roots", len(secrets), len(roots))
	return roots, secrets
}

// decodedText returns a report's text with the format's escaping undone,
// so a raw secret with newlines or '<' compares as written.
func decodedText(t *testing.T, format, out string) string {
	t.Helper()
	var b strings.Builder
	switch format {
	case "json", "sarif", "jsonl":
		dec := json.NewDecoder(strings.NewReader(out))
		for dec.More() {
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("%s output is not JSON: %v", format, err)
			}
			collectStrings(v, &b)
		}
	case "junit":
		dec := xml.NewDecoder(strings.NewReader(out))
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
	case "csv":
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("csv output: %v", err)
		}
		for _, row := range rows {
			for _, c := range row {
				b.WriteString(strings.TrimPrefix(c, "'") + "\n")
			}
		}
	case "html":
		b.WriteString(html.UnescapeString(out))
		start := `<script type="application/json" id="report-data">`
		i := strings.Index(out, start)
		j := strings.Index(out[i+1:], "</script>")
		if i < 0 || j < 0 {
			t.Fatal("html output has no report-data element")
		}
		var v any
		if err := json.Unmarshal([]byte(out[i+len(start):i+1+j]), &v); err != nil {
			t.Fatalf("html report-data is not JSON: %v", err)
		}
		collectStrings(v, &b)
	default:
		b.WriteString(out)
	}
	return b.String()
}

func collectStrings(v any, b *strings.Builder) {
	switch x := v.(type) {
	case string:
		b.WriteString(x + "\n")
	case []any:
		for _, e := range x {
			collectStrings(e, b)
		}
	case map[string]any:
		for _, e := range x {
			collectStrings(e, b)
		}
	}
}

// leaks returns the secrets that appear in text: whole, or any line of a
// multi-line secret other than its BEGIN/END armour.
func leaks(text string, secrets []string) []string {
	var out []string
	for _, s := range secrets {
		parts := []string{s}
		if strings.Contains(s, "\n") {
			parts = nil
			for _, l := range strings.Split(s, "\n") {
				if len(l) >= 16 && !strings.HasPrefix(l, "-----") {
					parts = append(parts, l)
				}
			}
		}
		for _, p := range parts {
			if strings.Contains(text, p) {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// TestNoSecretInAnyOutput scans the fixtures in every format and checks no
// raw secret reaches stdout, stderr or the --output file unless
// --show-secrets is given, and that with it they do.
func TestNoSecretInAnyOutput(t *testing.T) {
	roots, secrets := secretFixtures(t)
	for _, format := range report.Formats {
		for _, show := range []bool{false, true} {
			for _, toFile := range []bool{false, true} {
				name := format
				if show {
					name += "/show-secrets"
				}
				if toFile {
					name += "/output"
				}
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					args := []string{"scan", "--format", format}
					if show {
						args = append(args, "--show-secrets")
					}
					out := filepath.Join(t.TempDir(), "report")
					if toFile {
						args = append(args, "--output", out)
					}
					r := runCLI(t, cliOpts{}, append(args, roots...)...)
					if r.code != exitFindings {
						t.Fatalf("exit %d\n%s", r.code, r.stderr)
					}
					report := r.stdout
					if toFile {
						data, err := os.ReadFile(out)
						if err != nil {
							t.Fatal(err)
						}
						report = string(data)
						if r.stdout != "" {
							t.Errorf("stdout not empty with --output: %q", r.stdout)
						}
					}
					if got := leaks(r.stderr, secrets); len(got) > 0 {
						t.Errorf("stderr leaks %d secrets", len(got))
					}
					text := decodedText(t, format, report)
					got := leaks(text+report, secrets)
					if !show && len(got) > 0 {
						t.Errorf("%d of %d raw secrets in the %s report without --show-secrets", len(got), len(secrets), format)
					}
					// GitLab's code quality report never carries a value.
					if show && format != "codequality" && len(got) != len(secrets) {
						t.Errorf("--show-secrets: %d of %d secrets in the %s report", len(got), len(secrets), format)
					}
				})
			}
		}
	}
}

// TestOutputFileMode checks --output files are private, even when the file
// existed with wider permissions, for reports and baselines.
func TestOutputFileMode(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.env": "T=" + githubPAT(31) + "\n"})
	out := t.TempDir()
	for _, tc := range []struct {
		name string
		args func(p string) []string
	}{
		{"scan --output", func(p string) []string { return []string{"scan", "--format", "json", "--output", p, dir} }},
		{"scan -o", func(p string) []string { return []string{"scan", "-o", p, dir} }},
		{"baseline", func(p string) []string { return []string{"baseline", "--baseline-file", p, dir} }},
	} {
		for _, existed := range []bool{false, true} {
			t.Run(tc.name+map[bool]string{true: "/existed 0644", false: ""}[existed], func(t *testing.T) {
				p := filepath.Join(out, strings.ReplaceAll(tc.name, " ", "_")+map[bool]string{true: "-old", false: ""}[existed])
				if existed {
					if err := os.WriteFile(p, bytes.Repeat([]byte("old "), 1000), 0o644); err != nil {
						t.Fatal(err)
					}
					os.Chmod(p, 0o644)
				}
				r := runCLI(t, cliOpts{}, tc.args(p)...)
				if r.code != exitFindings && r.code != exitClean {
					t.Fatalf("exit %d\n%s", r.code, r.stderr)
				}
				fi, err := os.Stat(p)
				if err != nil {
					t.Fatal(err)
				}
				if m := fi.Mode().Perm(); m != 0o600 {
					t.Errorf("mode %o, want 600", m)
				}
				data, _ := os.ReadFile(p)
				if bytes.Contains(data, []byte("old old")) {
					t.Error("old content not truncated")
				}
			})
		}
	}
}

// TestReportFormatsThroughCLI checks each format parses as what it claims.
func TestReportFormatsThroughCLI(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.env": "T=" + githubPAT(41) + "\n", "b.env": "K=" + awsKeyID(42) + "\n"})
	for _, format := range report.Formats {
		t.Run(format, func(t *testing.T) {
			r := runCLI(t, cliOpts{}, "scan", "--format", format, dir)
			if r.code != exitFindings {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			switch format {
			case "json":
				rep := decodeReport(t, r.stdout)
				if rep.Version != report.Version || rep.Tool != "secretlint" || len(rep.Findings) != 2 || rep.Stats.Findings != 2 {
					t.Errorf("report %+v", rep)
				}
			case "sarif":
				var v struct {
					Version string `json:"version"`
					Runs    []struct {
						Results []any `json:"results"`
					} `json:"runs"`
				}
				if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || v.Version != "2.1.0" || len(v.Runs[0].Results) != 2 {
					t.Errorf("sarif: %v %+v", err, v)
				}
			case "junit":
				var v struct {
					Failures int `xml:"failures,attr"`
				}
				if err := xml.Unmarshal([]byte(r.stdout), &v); err != nil || v.Failures != 2 {
					t.Errorf("junit: %v %+v", err, v)
				}
			case "csv":
				rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
				if err != nil || len(rows) != 3 || rows[0][0] != "rule_id" {
					t.Errorf("csv: %v %v", err, rows)
				}
			case "codequality":
				var issues []struct {
					CheckName   string `json:"check_name"`
					Severity    string `json:"severity"`
					Fingerprint string `json:"fingerprint"`
					Location    struct {
						Path  string `json:"path"`
						Lines struct {
							Begin int `json:"begin"`
						} `json:"lines"`
					} `json:"location"`
				}
				if err := json.Unmarshal([]byte(r.stdout), &issues); err != nil || len(issues) != 2 {
					t.Fatalf("codequality: %v %s", err, r.stdout)
				}
				for _, is := range issues {
					if is.CheckName == "" || is.Location.Path == "" || is.Location.Lines.Begin < 1 || len(is.Fingerprint) != 32 ||
						!strings.Contains("info minor major critical blocker", is.Severity) {
						t.Errorf("codequality issue %+v", is)
					}
				}
				if strings.Contains(r.stdout, githubPAT(41)) || strings.Contains(r.stdout, "AKIA") {
					t.Errorf("codequality report holds a secret:\n%s", r.stdout)
				}
			case "jsonl":
				if n := strings.Count(strings.TrimSpace(r.stdout), "\n") + 1; n != 2 {
					t.Errorf("jsonl: %d lines", n)
				}
			case "text":
				if !strings.Contains(r.stdout, "2 findings") || !strings.Contains(r.stdout, "fix:") {
					t.Errorf("text:\n%s", r.stdout)
				}
			case "html":
				if !strings.HasPrefix(r.stdout, "<!DOCTYPE html>") || !strings.Contains(r.stdout, `id="total">2<`) ||
					!strings.Contains(r.stdout, "secretlint scan "+dir) {
					t.Errorf("html: header or count missing")
				}
			}
		})
	}
}
