package pipeline_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/baseline"
	"github.com/secretlint/secretlint/pipeline"
	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
)

// recordingVerifier says live for the secrets in live and records every
// secret it is handed.
type recordingVerifier struct {
	live map[string]bool
	got  []string
}

func (v *recordingVerifier) Verify(_ context.Context, fs []scan.Finding) error {
	for i := range fs {
		v.got = append(v.got, fs[i].Secret)
		st := scan.VerifyInvalid
		if v.live[fs[i].Secret] {
			st = scan.VerifyLive
		}
		fs[i].Verification = &scan.Verification{Status: st}
	}
	return nil
}

// TestVerifyAfterSuppression runs a real directory through the pipeline
// with a baseline: the verifier is handed only what survives suppression
// (the baselined and the allow-commented secrets never reach it), and
// --only-verified keeps the live finding and counts the rest suppressed.
func TestVerifyAfterSuppression(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "app.py"), strings.Join([]string{
		`A = "` + githubPAT(11) + `"`,
		`B = "` + githubPAT(12) + `"`,
		`C = "` + githubPAT(13) + `"  # secretlint:allow fixture`,
		`D = "` + githubPAT(14) + `"`,
	}, "\n")+"\n")
	_, first := run(t, context.Background(), dir)
	if len(first.Findings) != 3 {
		t.Fatalf("%d findings before suppression, want 3", len(first.Findings))
	}
	var buf strings.Builder
	if err := baseline.Write(&buf, first.Findings[:1]); err != nil {
		t.Fatal(err)
	}
	bl, err := baseline.Parse("bl.json", []byte(buf.String()))
	if err != nil {
		t.Fatal(err)
	}

	v := &recordingVerifier{live: map[string]bool{githubPAT(14): true}}
	_, r := run(t, context.Background(), dir, pipeline.WithBaseline(bl), pipeline.WithVerifier(v, false))
	if d := cmp.Diff([]string{githubPAT(12), githubPAT(14)}, v.got); d != "" {
		t.Errorf("secrets handed to the verifier (-want +got):\n%s", d)
	}
	if len(r.Findings) != 2 || r.Findings[0].Verification == nil || r.Findings[1].Verification == nil {
		t.Fatalf("findings %+v, want B and D with a verification each", r.Findings)
	}

	v = &recordingVerifier{live: map[string]bool{githubPAT(14): true}}
	p, r := run(t, context.Background(), dir, pipeline.WithBaseline(bl), pipeline.WithVerifier(v, true))
	if d := cmp.Diff([]int{4}, lines(r.Findings)); d != "" {
		t.Errorf("--only-verified findings (-want +got):\n%s", d)
	}
	if r.Stats.Suppressed != 2 || r.Stats.Findings != 1 {
		t.Errorf("stats %+v, want 1 finding, 2 suppressed (baseline and not live)", r.Stats)
	}
	s := p.Suppressions()
	if d := cmp.Diff(pipeline.Suppression{Name: "not live", Suppressed: 1}, s[len(s)-1]); d != "" {
		t.Errorf("last suppression (-want +got):\n%s", d)
	}
}

func TestJudgeLive(t *testing.T) {
	v := func(st string) *scan.Verification { return &scan.Verification{Status: st} }
	tests := []struct {
		name string
		fs   []scan.Finding
		want pipeline.Verdict
	}{
		{"live", []scan.Finding{{Verification: v(scan.VerifyInvalid)}, {Verification: v(scan.VerifyLive)}}, pipeline.Failed},
		{"none live", []scan.Finding{{Verification: v(scan.VerifyInvalid)}, {Verification: v(scan.VerifyUnknown)}, {}}, pipeline.Clean},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &report.Report{Findings: tt.fs, Stats: report.Stats{Inputs: 1}}
			if got := pipeline.JudgeLive(r, true); got != tt.want {
				t.Errorf("JudgeLive = %v, want %v", got, tt.want)
			}
		})
	}
}
