package rules_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/files"
)

var accuracyReport = flag.String("accuracy.report", "", "also write the accuracy test's JSON report to this file")

// Floors reached on the public corpus's directory tree with the built-in
// rules alone (policy checks off). Raise them when detection improves.
const (
	minPrecision = 0.98
	minRecall    = 0.98
)

// requireReal reports whether a missing real part must fail the test.
func requireReal() bool { return os.Getenv("SECRETLINT_REQUIRE_REAL_PARTS") == "1" }

func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if requireReal() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// TestAccuracyOnPublicCorpus scans the labeled corpus tree with the
// built-in rules and scores the report with the corpus's own scorer.
func TestAccuracyOnPublicCorpus(t *testing.T) {
	corpus, _ := filepath.Abs(filepath.Join("..", "..", "shared", "corpus"))
	tree := filepath.Join(corpus, "public", "tree")
	if _, err := os.Stat(tree); err != nil {
		skipOrFail(t, "labeled corpus not available: %v", err)
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		skipOrFail(t, "python3 (needed to run the corpus scorer) not found: %v", err)
	}
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	var col scan.Collector
	if err := files.New([]string{tree}).Scan(context.Background(), scan.NewEngine(set), &col); err != nil {
		t.Fatal(err)
	}
	for _, e := range col.Errors() {
		t.Errorf("input error: %v", e)
	}
	report := filepath.Join(t.TempDir(), "report.json")
	if *accuracyReport != "" {
		report = *accuracyReport
	}
	data, err := json.Marshal(map[string]any{"version": 1, "tool": "secretlint", "findings": col.Findings()})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(report, data, 0o600); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(t.TempDir(), "summary.json")
	cmd := exec.Command(python, filepath.Join(corpus, "score.py"), "--truth", filepath.Join(corpus, "public", "truth.json"),
		"--source", "dir", "--tool", "secretlint", "--report", report, "--json-out", summary, "--show-fp", "20", "--show-fn", "20")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("score.py: %v\n%s", err, out)
	}
	var s struct {
		Overall struct {
			Precision *float64 `json:"precision"`
			Recall    *float64 `json:"recall"`
		} `json:"overall"`
	}
	raw, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("read score summary: %v", err)
	}
	if s.Overall.Precision == nil || s.Overall.Recall == nil {
		t.Fatalf("score summary has no overall precision/recall:\n%s", raw)
	}
	p, r := *s.Overall.Precision, *s.Overall.Recall
	t.Logf("precision %.3f recall %.3f", p, r)
	if p < minPrecision || r < minRecall {
		t.Errorf("precision %.3f (floor %.2f), recall %.3f (floor %.2f)\n%s", p, minPrecision, r, minRecall, out)
	}
}
