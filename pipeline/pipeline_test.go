package pipeline_test

import (
	"context"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/baseline"
	"github.com/secretlint/secretlint/pipeline"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/files"
)

// githubPAT returns a fake classic GitHub token with a valid CRC32
// checksum, different for each seed.
func githubPAT(seed byte) string {
	const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	body := make([]byte, 30)
	x := uint32(seed)*2654435761 + 12345
	for i := range body {
		x = x*1103515245 + 12345
		body[i] = base62[(x>>16)%62]
	}
	v := crc32.ChecksumIEEE(body)
	var sum [6]byte
	for i := 5; i >= 0; i-- {
		sum[i] = base62[v%62]
		v /= 62
	}
	return "ghp_" + string(body) + string(sum[:])
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func lines(fs []scan.Finding) []int {
	var out []int
	for _, f := range fs {
		out = append(out, f.Line)
	}
	return out
}

func run(t *testing.T, ctx context.Context, dir string, opts ...pipeline.Option) (*pipeline.Pipeline, *report.Report) {
	t.Helper()
	opts = append([]pipeline.Option{
		pipeline.WithRoots(dir),
		pipeline.WithSources(files.New([]string{dir})),
	}, opts...)
	p, err := pipeline.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	return p, p.Run(ctx)
}

// TestRunSuppresses scans a real directory through the pipeline: an inline
// allow comment keeps a secret out of the findings, .gitleaksignore and the
// baseline each suppress what they name and list the entries that matched
// nothing, in the order they apply.
func TestRunSuppresses(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "app.py"), strings.Join([]string{
		`A = "` + githubPAT(1) + `"`,
		`B = "` + githubPAT(2) + `"`,
		`C = "` + githubPAT(3) + `"  # secretlint:allow test fixture`,
		`D = "` + githubPAT(4) + `"`,
	}, "\n")+"\n")

	_, first := run(t, context.Background(), dir)
	if d := cmp.Diff([]int{1, 2, 4}, lines(first.Findings)); d != "" {
		t.Fatalf("findings without suppression (-want +got):\n%s", d)
	}
	if first.Stats.Suppressed != 0 || first.Stats.Findings != 3 || first.Stats.Inputs != 1 {
		t.Errorf("stats %+v, want 3 findings, 1 input, none suppressed", first.Stats)
	}

	// The baseline records A and B; .gitleaksignore names B (gitleaks'
	// path:rule:line form) and a file that is gone. It applies first, so
	// the baseline's entry for B is left stale.
	var buf strings.Builder
	if err := baseline.Write(&buf, first.Findings[:2]); err != nil {
		t.Fatal(err)
	}
	bl, err := baseline.Parse("bl.json", []byte(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, ".gitleaksignore"), "app.py:"+first.Findings[1].RuleID+":2\ngone.py:github-pat:9\n")

	p, r := run(t, context.Background(), dir, pipeline.WithBaseline(bl))
	if d := cmp.Diff([]int{4}, lines(r.Findings)); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	ignoreStale := filepath.Join(dir, ".gitleaksignore") + ": gone.py:github-pat:9"
	want := []pipeline.Suppression{
		{Name: ".gitleaksignore", Suppressed: 1, Stale: []string{ignoreStale}},
		{Name: "allowlisted paths"},
		{Name: "config filters"},
		{Name: "baseline", Suppressed: 1, Stale: []string{first.Findings[1].Fingerprint}},
	}
	if d := cmp.Diff(want, p.Suppressions()); d != "" {
		t.Errorf("suppressions (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{first.Findings[1].Fingerprint, ignoreStale}, r.Stale); d != "" {
		t.Errorf("report's stale entries, baseline first (-want +got):\n%s", d)
	}
	if r.Stats.Suppressed != 2 || r.Stats.Findings != 1 {
		t.Errorf("stats %+v, want 1 finding and 2 suppressed", r.Stats)
	}
	// Suppressed secrets stay known to the report, so free text quoting
	// them is redacted too.
	if len(r.Secrets) != 3 {
		t.Errorf("report knows %d secrets of the run, want 3", len(r.Secrets))
	}
	// Progress after the run counts what the sources found, suppressed or not.
	if pr := p.Progress(); pr.Findings != 3 || pr.Inputs != r.Stats.Inputs || pr.Bytes != r.Stats.Bytes {
		t.Errorf("progress %+v, want 3 findings and the report's inputs and bytes", pr)
	}
}

func TestJudge(t *testing.T) {
	sev := func(s rules.Severity) []scan.Finding { return []scan.Finding{{RuleID: "r", Severity: s}} }
	inputErr := []*scan.InputError{{Input: "x", Err: errors.New("unreadable")}}
	tests := []struct {
		name    string
		r       report.Report
		failOn  rules.Severity
		require bool
		want    pipeline.Verdict
	}{
		{"finding at fail-on", report.Report{Findings: sev(rules.High), Stats: report.Stats{Inputs: 1}}, rules.High, true, pipeline.Failed},
		{"finding below fail-on", report.Report{Findings: sev(rules.Medium), Stats: report.Stats{Inputs: 1}}, rules.High, true, pipeline.Clean},
		{"finding beats input error", report.Report{Findings: sev(rules.High), Errors: inputErr}, rules.Info, true, pipeline.Failed},
		{"input error", report.Report{Errors: inputErr, Stats: report.Stats{Inputs: 1}}, rules.Info, false, pipeline.InputErrors},
		{"nothing read, input required", report.Report{}, rules.Info, true, pipeline.NothingScanned},
		{"nothing read, not required", report.Report{}, rules.Info, false, pipeline.Clean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pipeline.Judge(&tt.r, tt.failOn, tt.require); got != tt.want {
				t.Errorf("Judge = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRunVerdicts runs real scans to each verdict.
func TestRunVerdicts(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "k.py"), `T = "`+githubPAT(9)+`"`+"\n")
	_, r := run(t, context.Background(), dir)
	if len(r.Findings) != 1 {
		t.Fatalf("%d findings, want 1", len(r.Findings))
	}
	sev := r.Findings[0].Severity
	if got := pipeline.Judge(r, sev, true); got != pipeline.Failed {
		t.Errorf("a finding at fail-on: %v, want Failed", got)
	}
	if sev < rules.Critical {
		if got := pipeline.Judge(r, sev+1, true); got != pipeline.Clean {
			t.Errorf("a finding below fail-on: %v, want Clean", got)
		}
	}
	_, empty := run(t, context.Background(), t.TempDir())
	if got := pipeline.Judge(empty, rules.Info, true); got != pipeline.NothingScanned {
		t.Errorf("empty directory: %v, want NothingScanned", got)
	}
	_, missing := run(t, context.Background(), filepath.Join(dir, "missing"))
	if got := pipeline.Judge(missing, rules.Info, true); got != pipeline.InputErrors || len(missing.Errors) == 0 {
		t.Errorf("missing path: %v (errors %v), want InputErrors", got, missing.Errors)
	}
}

// TestRunCancelled checks a cancelled run returns a report marked
// incomplete, unless cancelling is how the run ends.
func TestRunCancelled(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "k.py"), `T = "`+githubPAT(7)+`"`+"\n")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("stopped by the test"))

	_, r := run(t, ctx, dir)
	if !pipeline.Incomplete(r) {
		t.Fatalf("report of a cancelled run not marked incomplete; errors %v", r.Errors)
	}
	var marker *scan.InputError
	for _, e := range r.Errors {
		if errors.Is(e, pipeline.ErrIncomplete) {
			marker = e
		}
	}
	if marker.Input != "signal" || !strings.HasPrefix(marker.Err.Error(), "stopped by the test: ") {
		t.Errorf("marker %q, want input signal naming the cause", marker.Error())
	}
	if got := pipeline.Judge(r, rules.Critical+1, true); got != pipeline.InputErrors {
		t.Errorf("verdict %v, want InputErrors", got)
	}

	_, r = run(t, ctx, dir, pipeline.WithCancelEnds(true))
	if pipeline.Incomplete(r) {
		t.Errorf("run that ends by cancelling marked incomplete: %v", r.Errors)
	}
	_, r = run(t, context.Background(), dir)
	if pipeline.Incomplete(r) {
		t.Errorf("finished run marked incomplete: %v", r.Errors)
	}
}

// recorder is an enricher that notes the findings it saw.
type recorder struct{ saw []string }

func (r *recorder) Enrich(_ context.Context, fs []scan.Finding, _ *scan.Collector) error {
	for i := range fs {
		r.saw = append(r.saw, fs[i].Path)
		fs[i].Hint = "enriched"
	}
	return nil
}

// TestEnrichersSeeEveryFindingBeforeSuppression checks enrichers run over
// all the run's findings, suppressed ones included, and what they add
// reaches the report.
func TestEnrichersSeeEveryFindingBeforeSuppression(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.py"), `T = "`+githubPAT(5)+`"`+"\n")
	writeFile(t, filepath.Join(dir, "b.py"), `T = "`+githubPAT(6)+`"`+"\n")
	writeFile(t, filepath.Join(dir, ".gitleaksignore"), "b.py:github-pat:1\n")
	rec := &recorder{}
	_, r := run(t, context.Background(), dir, pipeline.WithEnrichers(rec))
	sort.Strings(rec.saw)
	if d := cmp.Diff([]string{filepath.Join(dir, "a.py"), filepath.Join(dir, "b.py")}, rec.saw); d != "" {
		t.Errorf("enricher saw (-want +got):\n%s", d)
	}
	if len(r.Findings) != 1 || r.Findings[0].Hint != "enriched" {
		t.Errorf("findings %+v, want a.py's, enriched", r.Findings)
	}
}
