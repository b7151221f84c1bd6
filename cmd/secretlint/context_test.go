package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
)

// readReport reads a JSON report with the library's reader.
func readReport(t *testing.T, s string) *report.Report {
	t.Helper()
	r, err := report.ReadJSON(strings.NewReader(s))
	if err != nil {
		t.Fatalf("report: %v\n%s", err, s)
	}
	return r
}

// Findings in test fixtures carry context "test" in every report that
// speaks of it, and a [context.test] table can lower them below a gate's
// --fail-on while still reporting them.
func TestTestContext(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"app/prod.env":              "GITHUB_TOKEN=" + githubPAT(71) + "\n",
		"pkg/client/testdata/a.env": "GITHUB_TOKEN=" + githubPAT(72) + "\n",
		"pkg/client/client_test.go": "package client\n\nconst tok = \"" + githubPAT(73) + "\"\n",
	})
	r := runCLI(t, cliOpts{}, "scan", "--format", "json", dir)
	if r.code != exitFindings {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	got := map[string]string{}
	for _, f := range readReport(t, r.stdout).Findings {
		rel, _ := filepath.Rel(dir, f.Path)
		got[filepath.ToSlash(rel)] = f.Context
	}
	want := map[string]string{"app/prod.env": "", "pkg/client/testdata/a.env": "test", "pkg/client/client_test.go": "test"}
	for p, c := range want {
		if gc, ok := got[p]; !ok || gc != c {
			t.Errorf("%s: context %q (found %v), want %q", p, gc, ok, c)
		}
	}

	r = runCLI(t, cliOpts{}, "scan", "--format", "sarif", dir)
	var sarif struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sarif); err != nil {
		t.Fatal(err)
	}
	tagged := 0
	for _, res := range sarif.Runs[0].Results {
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		tags, _ := res.Properties["tags"].([]any)
		isTest := res.Properties["context"] == "test" && len(tags) == 1 && tags[0] == "test"
		if isTest != strings.Contains(uri, "test") {
			t.Errorf("SARIF result %s: properties %v", uri, res.Properties)
		}
		if isTest {
			tagged++
		}
	}
	if tagged != 2 {
		t.Errorf("%d SARIF results tagged test, want 2", tagged)
	}

	r = runCLI(t, cliOpts{}, "scan", "--no-color", dir)
	file := ""
	for _, line := range strings.Split(r.stdout, "\n") {
		if !strings.HasPrefix(line, " ") {
			file = line // the text report groups findings under their path
		}
		if strings.Contains(line, "github-pat") && strings.Contains(line, "[test]") == strings.Contains(file, "prod") {
			t.Errorf("%s: text line %q", file, line)
		}
	}
	if strings.Count(r.stdout, "[test]") != 2 {
		t.Errorf("text report marks %d findings [test], want 2:\n%s", strings.Count(r.stdout, "[test]"), r.stdout)
	}

	// A CI gate at --fail-on medium with fixtures lowered to low fails only
	// for the production file; fixtures stay in the report.
	cfg := filepath.Join(t.TempDir(), "secretlint.toml")
	os.WriteFile(cfg, []byte("[context.test]\nseverity = \"low\"\npaths = ['^app/']\n"), 0o600)
	r = runCLI(t, cliOpts{}, "scan", "--format", "json", "--fail-on", "medium", "-c", cfg, dir)
	rep := readReport(t, r.stdout)
	if r.code != exitClean || len(rep.Findings) != 3 {
		t.Errorf("app/ configured as a test path too: exit %d with %d findings, want 0 with 3\n%s", r.code, len(rep.Findings), r.stderr)
	}
	for _, f := range rep.Findings {
		if f.Context != scan.ContextTest || f.Severity.String() != "low" {
			t.Errorf("%s: context %q severity %s, want test and low", f.Path, f.Context, f.Severity)
		}
	}
	os.WriteFile(cfg, []byte("[context.test]\nseverity = \"low\"\n"), 0o600)
	if r = runCLI(t, cliOpts{}, "scan", "--fail-on", "medium", "-c", cfg, dir); r.code != exitFindings {
		t.Errorf("production secret with fixtures lowered: exit %d, want 1", r.code)
	}
	os.WriteFile(cfg, []byte("[context.test]\nseverity = \"lowish\"\n"), 0o600)
	if r = runCLI(t, cliOpts{}, "scan", "-c", cfg, dir); r.code != exitUsage || !strings.Contains(r.stderr, "secretlint.toml:1") {
		t.Errorf("bad [context.test] severity: exit %d, stderr %q; want 2 naming the file and line", r.code, r.stderr)
	}
}
