package policy

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/scantest"
)

// tableWant lists expectations for fixtures whose format has no comment to
// carry a want marker (JSON) or where a trailing comment would change the
// meaning (Dockerfile instructions).
var tableWant = map[string][]struct {
	line int
	id   string
}{
	"docker/Dockerfile": {
		{4, "dockerfile-secret-env"}, {9, "dockerfile-secret-env"},
		{13, "dockerfile-copy-credentials"}, {15, "dockerfile-copy-credentials"},
		{16, "dockerfile-copy-credentials"}, {17, "dockerfile-copy-credentials"},
		{21, "mlflow-static-aws-keys"}, {22, "mlflow-allowed-hosts"}, {23, "mlflow-ttl"},
	},
	"k8s/pod.json": {{10, "k8s-secret-file-mode"}, {11, "k8s-secret-file-mode"}},
	"iam/serving-role-policy.json": {
		{8, "iam-wildcard-secret-access"}, {14, "iam-wildcard-secret-access"},
		{21, "iam-secret-arn-prefix-wildcard"}, {29, "iam-wildcard-secret-access"},
	},
	"iam/cfn-template.json": {{13, "iam-secret-arn-prefix-wildcard"}, {23, "iam-wildcard-secret-access"}},
	"mlflow/ecs-task.json":  {{11, "mlflow-allowed-hosts"}, {12, "mlflow-ttl"}, {15, "mlflow-static-aws-keys"}},
	"tf/ecs.tf":             {{23, "mlflow-allowed-hosts"}},
	"iam/trust-policy.json": {{6, "iam-assume-role-no-external-id"}, {22, "iam-principal-wildcard"}},
	"tf/iam.tf":             {{54, "iam-wildcard-secret-access"}},
	// systemd reads a trailing comment as part of the value.
	"env/systemd/mlflow-client.service": {{7, "mlflow-ttl"}},
}

// Files that must be reported as unparseable, and skipped.
var (
	wantErrors = []string{"docker/broken.Dockerfile", "env/shell/broken.sh", "env/systemd/broken.service", "iam/bad.json", "k8s/broken.yaml", "tf/bad.tf"}
	wantSkips  = []string{"k8s/chart/templates/secret.yaml"}
)

// copyFixtures copies testdata/policy into a temporary directory with want
// markers blanked, files mode 0600, and returns it with the expectations.
func copyFixtures(t testing.TB) (string, []scantest.Expectation) {
	t.Helper()
	src := filepath.Join("..", "testdata", "policy")
	dst := t.TempDir()
	var want []scantest.Expectation
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		blanked, w := scantest.Prepare(rel, data)
		want = append(want, w...)
		for _, tw := range tableWant[rel] {
			want = append(want, scantest.Expectation{Path: rel, Line: tw.line, RuleID: tw.id})
		}
		return os.WriteFile(filepath.Join(dst, rel), blanked, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst, want
}

func relFindings(t testing.TB, root string, fs []scan.Finding) []scan.Finding {
	t.Helper()
	out := make([]scan.Finding, len(fs))
	for i, f := range fs {
		rel, err := filepath.Rel(root, filepath.FromSlash(f.Path))
		if err != nil {
			t.Fatal(err)
		}
		f.Path = filepath.ToSlash(rel)
		out[i] = f
	}
	return out
}

func TestFixtures(t *testing.T) {
	root, want := copyFixtures(t)
	col := &scan.Collector{}
	Run(context.Background(), []string{root}, col)
	findings := relFindings(t, root, col.Findings())
	scantest.Check(t, want, findings)

	for _, f := range findings {
		if f.Source != scan.SourcePolicy || f.Hint == "" || f.Message == "" || f.Description == "" || f.Fingerprint == "" {
			t.Errorf("%s:%d %s: incomplete finding %+v", f.Path, f.Line, f.RuleID, f)
		}
		if f.Secret != "" && strings.Contains(f.Message, f.Secret) {
			t.Errorf("%s:%d %s: message reveals the secret", f.Path, f.Line, f.RuleID)
		}
	}
	var errs, skips []string
	for _, e := range col.Errors() {
		rel, _ := filepath.Rel(root, e.Input)
		errs = append(errs, filepath.ToSlash(rel))
		if !strings.Contains(e.Error(), "policy: ") {
			t.Errorf("error does not say which stage failed: %v", e)
		}
	}
	for _, s := range col.Skips() {
		rel, _ := filepath.Rel(root, s.Input)
		skips = append(skips, filepath.ToSlash(rel))
	}
	sort.Strings(errs)
	sort.Strings(skips)
	if d := cmp.Diff(wantErrors, errs); d != "" {
		t.Errorf("input errors (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantSkips, skips); d != "" {
		t.Errorf("skips (-want +got):\n%s", d)
	}
}

// TestEveryCheckHasAFixture keeps the fixtures honest: each of the checks
// that can be exercised from committed files fires at least once.
func TestEveryCheckHasAFixture(t *testing.T) {
	_, want := copyFixtures(t)
	seen := map[string]bool{}
	for _, w := range want {
		seen[w.RuleID] = true
	}
	for _, c := range Checks() {
		switch c.ID {
		case "dotenv-not-ignored", "secret-file-permissions": // need git and file modes: TestDotenvNotIgnored, TestSecretFilePermissions
			continue
		}
		if !seen[c.ID] {
			t.Errorf("check %s has no fixture", c.ID)
		}
	}
}

// Fingerprints identify a finding by what is wrong, not where: inserting
// lines above it must not change them (baselines depend on it).
func TestFingerprintsSurviveLineMoves(t *testing.T) {
	root, _ := copyFixtures(t)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		before, err := CheckFile(rel, data, WithTrussSecrets([]string{"db_password"}))
		if err != nil || len(before) == 0 {
			return nil
		}
		prefix := "#\n#\n#\n"
		if strings.HasSuffix(rel, ".json") {
			prefix = "\n\n\n"
		}
		after, err := CheckFile(rel, append([]byte(prefix), data...), WithTrussSecrets([]string{"db_password"}))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		fp := func(fs []scan.Finding) []string {
			var out []string
			for _, f := range fs {
				out = append(out, f.Fingerprint)
			}
			sort.Strings(out)
			return out
		}
		if d := cmp.Diff(fp(before), fp(after)); d != "" {
			t.Errorf("%s: fingerprints moved with the lines (-before +after):\n%s", rel, d)
		}
		for i := range after {
			if i < len(before) && after[i].RuleID != "truss-local-config" && after[i].Line != before[i].Line+3 {
				t.Errorf("%s: %s line %d -> %d, want +3", rel, after[i].RuleID, before[i].Line, after[i].Line)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
