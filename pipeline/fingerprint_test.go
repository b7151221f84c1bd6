package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/pipeline"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/files"
)

// With a fingerprint key, every finding that holds a value is keyed: the
// engine's and the hygiene checks' alike (a literal password in a
// Dockerfile ENV is a policy finding, not a rule match).
func TestFingerprintKeyReachesEngineAndChecks(t *testing.T) {
	dir := t.TempDir()
	pw := "Tr0ub4dor-" + "and-3-more"
	for name, body := range map[string]string{
		"app.py":     "TOKEN = \"" + githubPAT(31) + "\"\n",
		"Dockerfile": "FROM alpine:3.20\nENV DB_PASSWORD=" + pw + "\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	k, err := fingerprint.NewKey([]byte("pipeline-test-key-0123456789"), "test")
	if err != nil {
		t.Fatal(err)
	}
	r, err := pipeline.Run(context.Background(),
		pipeline.WithRoots(dir), pipeline.WithSources(files.New([]string{dir})),
		pipeline.WithPolicy(), pipeline.WithFingerprintKey(k))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, f := range r.Findings {
		if f.Secret == "" {
			continue
		}
		kinds[f.Source] = true
		if f.Fingerprint != k.Fingerprint(f.RuleID, f.Path, f.Secret) || f.SecretHash != k.SecretHash(f.Secret) {
			t.Errorf("%s %s: fingerprint %s, secret_hash %q; want both keyed", f.RuleID, f.Path, f.Fingerprint, f.SecretHash)
		}
	}
	if !kinds[scan.SourceFile] || !kinds[scan.SourcePolicy] {
		t.Fatalf("want a rule finding and a policy finding holding values, got sources %v in %+v", kinds, r.Findings)
	}
}
