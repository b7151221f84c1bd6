package logs

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// requireRealParts says whether a missing real part fails the test instead
// of skipping it (set by .ci/run).
func requireRealParts() bool { return os.Getenv("SECRETLINT_REQUIRE_REAL_PARTS") == "1" }

func skipOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if requireRealParts() {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// sharedDir finds the shared corpus beside the repository.
func sharedDir() string {
	if d := os.Getenv("SECRETLINT_SHARED"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "shared")
}

// TestCorpusAccuracy scans the labelled log corpus and scores the report
// with the corpus' own scorer: no false positive may remain (masked values
// and decoys included), and every true row must be found unless the rule
// set itself cannot see that secret in its line (a rule gap, logged).
func TestCorpusAccuracy(t *testing.T) {
	shared := sharedDir()
	logsDir := filepath.Join(shared, "corpus", "public", "logs")
	truth := filepath.Join(shared, "corpus", "public", "truth.json")
	scorer := filepath.Join(shared, "corpus", "score.py")
	for _, p := range []string{logsDir, truth, scorer} {
		if _, err := os.Stat(p); err != nil {
			skipOrFail(t, "shared corpus missing: %v", err)
		}
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		skipOrFail(t, "python3 (for the corpus scorer) not installed")
	}

	eng := defaultEngine(t)
	col := &scan.Collector{}
	if err := New([]string{logsDir}).Scan(context.Background(), eng, col); err != nil {
		t.Fatal(err)
	}
	if errs := col.Errors(); len(errs) > 0 {
		t.Fatalf("input errors: %v", errs)
	}
	dir := t.TempDir()
	rep := filepath.Join(dir, "report.json")
	f, err := os.OpenFile(rep, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	r := &report.Report{Findings: col.Findings(), Errors: col.Errors()}
	if err := report.Write(f, "json", r, report.Options{ShowSecrets: true}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	summary := filepath.Join(dir, "score.json")
	out, err := exec.Command(python, scorer, "--truth", truth, "--source", "log", "--tool", "secretlint",
		"--report", rep, "--json-out", summary, "--show-fp", "20", "--show-fn", "20").CombinedOutput()
	if err != nil {
		t.Fatalf("score.py: %v\n%s", err, out)
	}
	t.Logf("score.py:\n%s", redactScore(string(out)))
	var sc struct {
		Overall struct{ TP, FP, FN int } `json:"overall"`
		Missed  []string                 `json:"missed_ids"`
	}
	data, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sc); err != nil {
		t.Fatal(err)
	}
	if sc.Overall.FP != 0 {
		t.Errorf("%d false positives on the log corpus (masked values, decoys or unlabelled strings)", sc.Overall.FP)
	}
	if sc.Overall.TP == 0 {
		t.Errorf("no true row found")
	}
	rows := truthRows(t, truth)
	for _, id := range sc.Missed {
		row := rows[id]
		if ruleGap(t, eng, filepath.Join(logsDir, row.Path), row.Line, row.Secret) {
			t.Logf("rule gap: %s %s at %s:%d: no rule matches it in its line", id, row.Kind, row.Path, row.Line)
			continue
		}
		t.Errorf("missed %s %s at %s:%d, which the rules match in its line", id, row.Kind, row.Path, row.Line)
	}
}

type truthRow struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Path   string `json:"path"`
	Line   int    `json:"line"`
	Secret string `json:"secret"`
	Kind   string `json:"kind"`
}

func truthRows(t *testing.T, path string) map[string]truthRow {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []truthRow
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	m := map[string]truthRow{}
	for _, r := range rows {
		m[r.ID] = r
	}
	return m
}

// ruleGap reports whether no rule finds the secret in its line on its own,
// read through the same log view, so a miss is the rule set's, not the
// log source's.
func ruleGap(t *testing.T, e *scan.Engine, path string, line int, secret string) bool {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if n != line {
			continue
		}
		var v view
		v.reset(sc.Bytes())
		eng, err := e.Extend(mustRules(t))
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range eng.Scan(scan.Fragment{Data: v.data}) {
			if strings.Contains(fd.Secret, secret) || strings.Contains(secret, fd.Secret) {
				return false
			}
		}
		return true
	}
	return true
}

func mustRules(t *testing.T) []*rules.Rule {
	rs, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// redactScore hides the secrets score.py prints in its FN/FP lines.
func redactScore(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, " '"); i >= 0 && (strings.Contains(l, "  FN ") || strings.Contains(l, "  FP ")) {
			l = l[:i] + " '…'"
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}
