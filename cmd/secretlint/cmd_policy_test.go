package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/policy"
)

func policyWriteTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The Truss value is fake; it is only here to be reported and redacted.
const trussValue = "Zq8r2LmX7vPw4Tn1Kd9Bc3Fg"

func policyTree(t *testing.T) string {
	return policyWriteTree(t, map[string]string{
		"model/config.yaml": "model_name: m\nsecrets:\n  hf_token: " + trussValue + "\n",
		"k8s/pod.yaml":      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers: [{name: c, image: busybox}]\n",
	})
}

func TestPolicyList(t *testing.T) {
	r := runCLI(t, cliOpts{}, "policy", "--list")
	if r.code != exitClean {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != len(policy.Checks())+1 {
		t.Errorf("%d lines, want a header and %d checks:\n%s", len(lines), len(policy.Checks()), r.stdout)
	}
	for _, c := range policy.Checks() {
		found := false
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) > 2 && f[0] == c.ID && f[1] == c.Severity.String() && strings.Contains(l, c.Description) {
				found = true
			}
		}
		if !found {
			t.Errorf("--list lacks %s with its severity and description", c.ID)
		}
	}
}

func TestPolicyCommand(t *testing.T) {
	dir := policyTree(t)
	r := runCLI(t, cliOpts{}, "policy", "--format", "json", dir)
	if r.code != exitFindings {
		t.Fatalf("exit %d, want %d: %s", r.code, exitFindings, r.stderr)
	}
	var rep struct {
		Findings []struct {
			RuleID string `json:"rule_id"`
			Source string `json:"source"`
			Path   string `json:"path"`
			Line   int    `json:"line"`
			Secret string `json:"secret"`
			Hint   string `json:"hint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, r.stdout)
	}
	if len(rep.Findings) != 1 {
		t.Fatalf("findings: %+v", rep.Findings)
	}
	f := rep.Findings[0]
	if f.RuleID != "truss-secret-value" || f.Source != "policy" || f.Line != 3 || f.Hint == "" || !strings.HasSuffix(f.Path, "model/config.yaml") {
		t.Errorf("finding: %+v", f)
	}
	if strings.Contains(r.stdout, trussValue) || strings.Contains(r.stderr, trussValue) {
		t.Error("the secret value leaked without --show-secrets")
	}
	r = runCLI(t, cliOpts{}, "policy", "--show-secrets", "--format", "json", dir)
	if !strings.Contains(r.stdout, trussValue) {
		t.Error("--show-secrets did not show the value")
	}

	// --fail-on above the finding's severity exits clean.
	if r := runCLI(t, cliOpts{}, "policy", "--quiet", "--fail-on", "critical", policyWriteTree(t, map[string]string{
		"k8s/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: true\n  containers: [{name: c}]\n",
	})); r.code != exitClean {
		t.Errorf("--fail-on critical with a low finding: exit %d", r.code)
	}
}

func TestScanRunsPolicy(t *testing.T) {
	dir := policyTree(t)
	r := runCLI(t, cliOpts{}, "scan", "--format", "json", dir)
	if !strings.Contains(r.stdout, `"truss-secret-value"`) {
		t.Errorf("scan did not run the policy checks:\n%s\n%s", r.stdout, r.stderr)
	}
	r = runCLI(t, cliOpts{}, "scan", "--no-policy", "--format", "json", dir)
	if strings.Contains(r.stdout, `"source": "policy"`) || strings.Contains(r.stdout, "truss-secret-value") {
		t.Errorf("--no-policy still ran the policy checks:\n%s", r.stdout)
	}
}

func TestPolicyConfig(t *testing.T) {
	dir := policyWriteTree(t, map[string]string{
		".secretlint.toml":    "[policy]\nmlflow_max_ttl_sec = 600\n",
		".env.template":       "MLFLOW_AWS_TTL_SEC=900\n",
		"ignored/config.yaml": "model_name: m\nsecrets:\n  x: " + trussValue + "\n",
	})
	r := runCLI(t, cliOpts{}, "policy", "--format", "json", dir)
	if r.code != exitFindings || !strings.Contains(r.stdout, `"mlflow-ttl"`) {
		t.Errorf("policy limit from .secretlint.toml not applied: exit %d\n%s", r.code, r.stdout)
	}
	if err := os.WriteFile(filepath.Join(dir, ".secretlint.toml"), []byte("[allowlist]\npaths = ['''ignored/''']\n[policy]\nmlflow_max_ttl_sec = 600\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, cliOpts{}, "policy", "--format", "json", dir)
	if strings.Contains(r.stdout, "truss-secret-value") {
		t.Errorf("allowlisted path still reported:\n%s", r.stdout)
	}
	if err := os.WriteFile(filepath.Join(dir, ".secretlint.toml"), []byte("[policy]\ndisable_checks = [\"nope\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, cliOpts{}, "policy", dir)
	if r.code != exitUsage || !strings.Contains(r.stderr, "nope") {
		t.Errorf("bad [policy] table: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestPolicyUnparseableFile(t *testing.T) {
	dir := policyWriteTree(t, map[string]string{
		"bad.yaml":     "a: [unclosed\n",
		"k8s/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: true\n  containers: [{name: c}]\n",
	})
	r := runCLI(t, cliOpts{}, "policy", "--format", "json", dir)
	if r.code != exitFindings {
		t.Errorf("exit %d, want %d (findings beat input errors)", r.code, exitFindings)
	}
	if !strings.Contains(r.stderr, "bad.yaml") || !strings.Contains(r.stdout, "k8s-sa-token-automount") {
		t.Errorf("want an error naming bad.yaml and the other file's finding:\nstdout %s\nstderr %s", r.stdout, r.stderr)
	}
	r = runCLI(t, cliOpts{}, "policy", policyWriteTree(t, map[string]string{"bad.yaml": "a: [unclosed\n"}))
	if r.code != exitInput {
		t.Errorf("only an unparseable file: exit %d, want %d", r.code, exitInput)
	}
}

// A [policy] table that does not check out stops every command that reads
// the configuration with exit 2 and one message naming the file once.
func TestBadPolicyTableSameForEveryCommand(t *testing.T) {
	for name, table := range map[string]string{
		"unknown check": "[policy]\ndisable_checks = [\"nope\"]\n",
		"wrong type":    "[policy]\nmlflow_max_ttl_sec = \"soon\"\n",
		"unknown key":   "[policy]\nmlflow_max_ttl = 600\n",
	} {
		dir := policyWriteTree(t, map[string]string{".secretlint.toml": table, "a.txt": "nothing here\n"})
		cfgPath := filepath.Join(dir, ".secretlint.toml")
		for _, cmd := range []string{"policy", "scan", "baseline"} {
			r := runCLI(t, cliOpts{}, cmd, "--output", filepath.Join(t.TempDir(), "out"), dir)
			if r.code != exitUsage {
				t.Errorf("%s: %s: exit %d, want %d; stderr %q", name, cmd, r.code, exitUsage, r.stderr)
			}
			if n := strings.Count(r.stderr, cfgPath); n != 1 {
				t.Errorf("%s: %s: stderr names %s %d times: %q", name, cmd, cfgPath, n, r.stderr)
			}
		}
	}
}

// [severity] and disable take hygiene check ids as they take rule ids, and
// the checks' findings follow them.
func TestSeverityAndDisableForChecks(t *testing.T) {
	files := map[string]string{
		".env.template":       "MLFLOW_AWS_TTL_SEC=90000\n",
		"ignored/config.yaml": "model_name: m\nsecrets:\n  x: " + trussValue + "\n",
	}
	files[".secretlint.toml"] = "disable = [\"truss-secret-value\"]\n[severity]\nmlflow-ttl = \"critical\"\n"
	dir := policyWriteTree(t, files)
	for _, cmd := range []string{"policy", "scan"} {
		r := runCLI(t, cliOpts{}, cmd, "--format", "json", dir)
		var rep struct {
			Findings []struct {
				RuleID   string `json:"rule_id"`
				Severity string `json:"severity"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("%s: %v\n%s\n%s", cmd, err, r.stdout, r.stderr)
		}
		sawTTL := false
		for _, f := range rep.Findings {
			switch f.RuleID {
			case "truss-secret-value":
				t.Errorf("%s: disabled check reported", cmd)
			case "mlflow-ttl":
				sawTTL = true
				if f.Severity != "critical" {
					t.Errorf("%s: mlflow-ttl severity %s, want the override critical", cmd, f.Severity)
				}
			}
		}
		if !sawTTL {
			t.Errorf("%s: no mlflow-ttl finding:\n%s", cmd, r.stdout)
		}
	}
	// Inventory checks are set in the inventory policy; naming one here is
	// an error that says so.
	if err := os.WriteFile(filepath.Join(dir, ".secretlint.toml"), []byte("[severity]\ninventory-unused = \"high\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, cliOpts{}, "policy", dir); r.code != exitUsage || !strings.Contains(r.stderr, "inventory policy") {
		t.Errorf("inventory check in [severity]: exit %d, stderr %q", r.code, r.stderr)
	}
}
