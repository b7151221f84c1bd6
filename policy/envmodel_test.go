package policy

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
)

// The example of issue 18: MLflow settings exported by a shell script get
// all three mlflow findings, each at the line that sets the variable.
func TestMLflowSettingsInShellScript(t *testing.T) {
	root := t.TempDir()
	script := strings.Join([]string{
		`#!/bin/sh`,
		`export MLFLOW_SECRETS_AUTH_ENABLE="aws-secrets-manager"`,
		`export AWS_ACCESS_KEY_ID="` + "AKIA" + strings.Repeat("Z", 16) + `"`,
		`export AWS_SECRET_ACCESS_KEY="` + strings.Repeat("k3Y", 13) + `x"`,
		`export MLFLOW_AWS_TTL_SEC="0"`,
		``,
	}, "\n")
	if err := os.MkdirAll(filepath.Join(root, "mlflow"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "mlflow", "env.sh"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	col := &scan.Collector{}
	Run(context.Background(), []string{root}, col)
	var got []string
	for _, f := range relFindings(t, root, col.Findings()) {
		got = append(got, f.Path+":"+strconv.Itoa(f.Line)+":"+f.RuleID)
		if f.RuleID == "mlflow-static-aws-keys" && f.Line == 4 && f.Secret == "" {
			t.Error("the literal secret access key is not carried for redaction and fingerprinting")
		}
	}
	sort.Strings(got)
	want := []string{
		"mlflow/env.sh:2:mlflow-allowed-hosts",
		"mlflow/env.sh:3:mlflow-static-aws-keys",
		"mlflow/env.sh:4:mlflow-static-aws-keys",
		"mlflow/env.sh:5:mlflow-ttl",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// Each origin of the environment model, checked as one file: the
// variables it sets, where, and whether an absent variable proves
// anything (closed) or not (open).
func TestEnvOrigins(t *testing.T) {
	enable := "MLFLOW_SECRETS_AUTH_ENABLE"
	for _, tc := range []struct {
		origin origin
		name   string
		data   string
		// want lists "line:id" findings.
		want []string
	}{
		{originShell, "env.sh", "export " + enable + "=vault\nMLFLOW_VAULT_TTL_SEC=0\nexport MLFLOW_VAULT_TTL_SEC\n",
			[]string{"1:mlflow-allowed-hosts", "2:mlflow-ttl"}},
		{originShell, "set-a.sh", "set -o allexport\n" + enable + "=vault\nset +o allexport\nMLFLOW_AWS_TTL_SEC=0\n",
			[]string{"2:mlflow-allowed-hosts"}},
		{originShell, "prefix.sh", enable + "=vault MLFLOW_SECRETS_ALLOWED_HOSTS=a.example.com mlflow ui\n", nil},
		{originShell, "sourced.sh", "source ./hosts.sh\nexport " + enable + "=vault\n", nil},
		{originGitHub, ".github/workflows/a.yml", "env:\n  " + enable + ": vault\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo a >> \"$GITHUB_ENV\"\n", nil},
		{originGitHub, ".github/workflows/b.yml", "jobs:\n  a:\n    runs-on: x\n    steps:\n      - env:\n          " + enable + ": vault\n        run: x\n      - run: y\n",
			[]string{"6:mlflow-allowed-hosts"}},
		{originGitLab, ".gitlab-ci.yml", "variables:\n  " + enable + ": vault\na:\n  script: [x]\n", nil},
		{originGitLab, ".gitlab-ci.yml", "a:\n  variables:\n    MLFLOW_AWS_TTL_SEC: 7200\n  script: [x]\n", []string{"3:mlflow-ttl"}},
		{originSystemd, "a.service", "[Service]\nEnvironment=" + enable + "=vault 'MLFLOW_VAULT_TTL_SEC=0'\n",
			[]string{"2:mlflow-allowed-hosts", "2:mlflow-ttl"}},
		{originSystemd, "a.service", "[Service]\nEnvironment=" + enable + "=vault\nEnvironment=\n", nil},
		{originSystemd, "b.service.d/override.conf", "[Service]\nEnvironment=MLFLOW_AWS_TTL_SEC=0\n", []string{"2:mlflow-ttl"}},
		{originHelm, "values.yaml", "env:\n  " + enable + ": vault\n  AWS_SECRET_ACCESS_KEY: x\n", []string{"3:mlflow-static-aws-keys"}},
		{originHelm, "values-prod.yaml", "api:\n  extraEnv:\n    - name: MLFLOW_AWS_TTL_SEC\n      value: \"{{ .Values.ttl }}\"\n", nil},
		{originPython, "app/settings.py", "import os\nos.environ.setdefault('MLFLOW_AWS_TTL_SEC', '0')\n", []string{"2:mlflow-ttl"}},
		{originPython, "app/settings.py", "import os\nos.environ[\"" + enable + "\"] = 'vault'\n", nil},
		{originPython, "tests/test_settings.py", "import os\nos.environ.setdefault('MLFLOW_AWS_TTL_SEC', '0')\n", nil},
		{originK8s, "k8s.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  " + enable + ": vault\n---\n" +
			"apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: a\n    envFrom: [{configMapRef: {name: c}}]\n",
			[]string{"5:mlflow-allowed-hosts"}},
		{originK8s, "k8s.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: a\n    env: [{name: " + enable + ", value: vault}]\n    envFrom: [{configMapRef: {name: elsewhere}}]\n", nil},
	} {
		t.Run(string(tc.origin)+"/"+tc.name, func(t *testing.T) {
			fs, err := CheckFile(tc.name, []byte(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, strconv.Itoa(f.Line)+":"+f.RuleID)
			}
			sort.Strings(got)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("findings (-want +got):\n%s", d)
			}
		})
	}
}

// A variable several sets share is reported once: a workflow's env: seen
// by every step of every job.
func TestSharedVariableReportedOnce(t *testing.T) {
	wf := "env:\n  MLFLOW_AWS_TTL_SEC: \"0\"\njobs:\n  a:\n    runs-on: x\n    steps: [{run: x}, {run: y}]\n  b:\n    runs-on: x\n    steps: [{run: z}]\n"
	fs, err := CheckFile(".github/workflows/ci.yml", []byte(wf))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Line != 2 || fs[0].RuleID != "mlflow-ttl" {
		t.Errorf("want one mlflow-ttl at line 2: %+v", fs)
	}
}

// Malformed shell and unit files are errors that name the file and its
// line; they never echo a value.
func TestEnvParseErrors(t *testing.T) {
	tok := "zq8R2lmX" + "7vPw4Tn1Kd3Fg6Hj0Ys5Ut"
	for name, data := range map[string]string{
		"env.sh":    "export A_TOKEN=\"" + tok + "\n",
		"a.service": "[Service]\nEnvironment=\"A_TOKEN=" + tok + "\n",
		"b.service": "[Service]\nEnvironment=" + tok + "\n",
	} {
		_, err := CheckFile(name, []byte(data))
		if err == nil {
			t.Errorf("%s: no parse error", name)
			continue
		}
		if strings.Contains(err.Error(), tok[:12]) {
			t.Errorf("%s: error echoes the value: %v", name, err)
		}
		if !strings.Contains(err.Error(), "parse ") {
			t.Errorf("%s: error does not say what failed: %v", name, err)
		}
	}
}

// A compose service's env_file is read from the tree, relative to the
// compose file, and merged under its environment; a variable the .env
// file sets is reported once, though the .env file is also checked alone.
func TestComposeEnvFile(t *testing.T) {
	root := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("app/.env.mlflow", "MLFLOW_SECRETS_AUTH_ENABLE=vault\nMLFLOW_VAULT_TTL_SEC=0\n")
	write("app/compose.yaml", "services:\n  trainer:\n    env_file: .env.mlflow\n    environment:\n      AWS_ACCESS_KEY_ID: ${AWS_ACCESS_KEY_ID}\n"+
		"  other:\n    env_file: [missing.env]\n    environment:\n      MLFLOW_SECRETS_AUTH_ENABLE: vault\n"+
		"  only-file:\n    env_file: [{path: .env.mlflow, required: true}]\n")
	col := &scan.Collector{}
	Run(context.Background(), []string{root}, col)
	var got []string
	for _, f := range relFindings(t, root, col.Findings()) {
		if envIDs[f.RuleID] {
			got = append(got, f.Path+":"+strconv.Itoa(f.Line)+":"+f.RuleID)
		}
	}
	sort.Strings(got)
	want := []string{
		"app/.env.mlflow:1:mlflow-allowed-hosts", // closed: the env file alone, and the service that reads it
		"app/.env.mlflow:2:mlflow-ttl",
		"app/compose.yaml:5:mlflow-static-aws-keys", // enabled by the env_file
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}
