package policy

import (
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/scan"
)

// The check ids are public interface (issue 6); this list must not drift.
func TestCheckIDs(t *testing.T) {
	want := []string{
		"ci-secret-argv", "ci-secret-echo", "ci-secrets-inherit",
		"dockerfile-copy-credentials", "dockerfile-secret-env",
		"dotenv-not-ignored", "dotenv-template-value",
		"iam-assume-role-no-external-id", "iam-principal-wildcard", "iam-secret-arn-prefix-wildcard", "iam-wildcard-secret-access",
		"k8s-plaintext-secret", "k8s-sa-token-automount", "k8s-secret-as-env", "k8s-secret-file-mode",
		"mlflow-allowed-hosts", "mlflow-static-aws-keys", "mlflow-ttl",
		"secret-file-permissions",
		"truss-local-config", "truss-secret-prefix", "truss-secret-value",
	}
	var got []string
	for _, c := range Checks() {
		got = append(got, c.ID)
		if c.Description == "" || c.Hint == "" || c.Family == "" {
			t.Errorf("%s: missing description, hint or family", c.ID)
		}
		if strings.Count(strings.TrimSuffix(c.Hint, "."), ". ") > 0 {
			t.Errorf("%s: hint is more than one sentence: %q", c.ID, c.Hint)
		}
	}
	sortStrings(got)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("check ids (-want +got):\n%s", d)
	}
	if Lookup("truss-secret-value").Severity.String() != "critical" {
		t.Error("truss-secret-value must be critical")
	}
	if Lookup("k8s-sa-token-automount").Severity.String() != "info" {
		t.Error("k8s-sa-token-automount must be info")
	}
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestParseMode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		json bool
		want int64
	}{
		{"0400", false, 0o400}, {"0o440", false, 0o440}, {"256", false, 256}, {"400", false, 400},
		{"0644", false, 0o644}, {"0x100", false, 256}, {"400", true, 400}, {"0400", true, 400},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := parseMode(tc.in, tc.json)
			if !ok || got != tc.want {
				t.Errorf("parseMode(%q, json=%v) = %d, %v; want %d", tc.in, tc.json, got, ok, tc.want)
			}
		})
	}
	if _, ok := parseMode("rw-r", false); ok {
		t.Error("parseMode accepted a non-number")
	}
}

func TestLimitsFromConfig(t *testing.T) {
	cfg, err := config.Parse("test.toml", []byte("[policy]\nmlflow_max_ttl_sec = 900\ntrusted_accounts = [\"210987654321\"]\ndisable_checks = [\"k8s-sa-token-automount\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	l := LimitsFromConfig(cfg)
	env := []byte("MLFLOW_AWS_TTL_SEC=1200\n")
	fs, err := CheckFile(".env.template", env, WithLimits(l))
	if err != nil || len(fs) != 1 || fs[0].RuleID != "mlflow-ttl" || !strings.Contains(fs[0].Message, "900") {
		t.Errorf("TTL 1200 over a 900 s maximum: %v, %+v", err, fs)
	}
	if fs, _ := CheckFile(".env.template", env); len(fs) != 0 {
		t.Errorf("TTL 1200 under the default 3600 s maximum: %+v", fs)
	}
	trust := []byte(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"sts:AssumeRole"}]}`)
	if fs, _ := CheckFile("trust.json", trust, WithLimits(l)); len(fs) != 0 {
		t.Errorf("trusted account reported: %+v", fs)
	}
	if fs, _ := CheckFile("trust.json", trust); len(fs) != 1 {
		t.Errorf("untrusted account: %+v", fs)
	}
	pod := []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c}]\n")
	if fs, _ := CheckFile("pod.yaml", pod, WithLimits(l)); len(fs) != 0 {
		t.Errorf("disabled check reported: %+v", fs)
	}

	// An unknown id is an error of the configuration file itself, found
	// when it loads, so every command stops on it the same way.
	if _, err := config.Parse("bad.toml", []byte("[policy]\ndisable_checks = [\"no-such-check\"]\n")); err == nil || !strings.Contains(err.Error(), "no-such-check") || !strings.HasPrefix(err.Error(), "bad.toml:2: ") {
		t.Errorf("unknown check id: err = %v", err)
	}
}

func TestRefs(t *testing.T) {
	truss := []byte("model_name: m\nsecrets:\n  hf_token: null\n  db_password: null\n")
	refs, err := TrussSecretNames("config.yaml", truss)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]Ref{
		{Kind: RefTruss, Name: "hf_token", Path: "config.yaml", Line: 3, Column: 3},
		{Kind: RefTruss, Name: "db_password", Path: "config.yaml", Line: 4, Column: 3},
	}, refs); d != "" {
		t.Errorf("TrussSecretNames (-want +got):\n%s", d)
	}

	keys, err := EnvTemplateKeys(".env.template", []byte("# c\nexport A=\nB=\"x\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]Ref{
		{Kind: RefEnvTemplate, Name: "A", Env: "A", Path: ".env.template", Line: 2, Column: 8},
		{Kind: RefEnvTemplate, Name: "B", Env: "B", Path: ".env.template", Line: 3, Column: 1},
	}, keys); d != "" {
		t.Errorf("EnvTemplateKeys (-want +got):\n%s", d)
	}

	k8s := []byte(`apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
        - name: c
          env:
            - name: TOKEN
              valueFrom:
                secretKeyRef: {name: api, key: token}
          envFrom:
            - secretRef: {name: bulk}
      volumes:
        - name: v
          secret: {secretName: tls}
`)
	krefs, err := KubernetesSecretRefs("d.yaml", k8s)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]Ref{
		{Kind: RefK8sSecretKey, Name: "api", Key: "token", Env: "TOKEN", Path: "d.yaml", Line: 12, Column: 31},
		{Kind: RefK8sEnvFrom, Name: "bulk", Path: "d.yaml", Line: 14, Column: 26},
		{Kind: RefK8sVolume, Name: "tls", Path: "d.yaml", Line: 17, Column: 19},
	}, krefs); d != "" {
		t.Errorf("KubernetesSecretRefs (-want +got):\n%s", d)
	}

	wf := []byte("on: push\njobs:\n  a:\n    env:\n      TOKEN: ${{ secrets.API_TOKEN }}\n    steps:\n      - run: |\n          echo hi\n          ./x ${{ secrets['OTHER'] }}\n")
	wrefs, err := WorkflowSecretRefs("ci.yml", wf)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range wrefs {
		names = append(names, r.Name+"@"+r.Env+":"+strconv.Itoa(r.Line))
	}
	if d := cmp.Diff([]string{"API_TOKEN@TOKEN:5", "OTHER@:9"}, names); d != "" {
		t.Errorf("WorkflowSecretRefs (-want +got):\n%s", d)
	}

	sts, err := IAMStatements("p.json", []byte(`{"Statement":{"Sid":"s","Effect":"Allow","Action":"kms:Decrypt","Resource":["*"],"Condition":{"Bool":{"aws:SecureTransport":"true"}}}}`))
	if err != nil || len(sts) != 1 {
		t.Fatalf("IAMStatements: %v %+v", err, sts)
	}
	st := sts[0]
	if st.Sid != "s" || st.Effect != "Allow" || st.Actions[0] != "kms:Decrypt" || st.Resources[0] != "*" || st.Conditions["Bool"]["aws:SecureTransport"][0] != "true" || st.Line != 1 {
		t.Errorf("IAMStatements: %+v", st)
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"*", "anything", true}, {"ssm:getparameter*", "ssm:getparametersbypath", true},
		{"secretsmanager:get*", "secretsmanager:getsecretvalue", true}, {"s3:*", "kms:decrypt", false},
		{"kms:?ecrypt", "kms:decrypt", true}, {"a*b*c", "axxbyyc", true}, {"a*b*c", "axxbyy", false},
	} {
		if got := globMatch(tc.p, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

func TestParseErrorsDoNotEchoSecrets(t *testing.T) {
	tok := "zq8R2lmX" + "7vPw4Tn1Kd3Fg6Hj0Ys5Ut" // random-looking, no provider prefix
	for name, data := range map[string]string{
		"Dockerfile":    "FROM a\nENV A=1 " + tok + "\n",
		".env.template": "A=1\n" + tok + "+/=x\n",
		"main.tf":       "x = " + tok + " {\n",
		"k8s.yaml":      "a: [" + tok + "\n",
		"p.json":        `{"Statement": ` + tok + `}`,
	} {
		_, err := CheckFile(name, []byte(data))
		if err == nil {
			t.Errorf("%s: no parse error", name)
			continue
		}
		if strings.Contains(err.Error(), tok[:12]) {
			t.Errorf("%s: error echoes the value: %v", name, err)
		}
	}
}

func TestInlineAllow(t *testing.T) {
	for name, data := range map[string]string{
		"Dockerfile":    "FROM a\n# secretlint:allow build-only token for a throwaway image\nARG BUILD_TOKEN\n",
		".env.template": "SESSION_SECRET=4f9Qz7LmX2vPw8Tn1Kd3 # secretlint:allow\n",
		"k8s.yaml":      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: # gitleaks:allow\n  containers: [{name: c}]\n",
	} {
		fs, err := CheckFile(name, []byte(data))
		if err != nil || len(fs) != 0 {
			t.Errorf("%s: allow marker ignored: %v %+v", name, err, fs)
		}
	}
	// Without the marker the same lines are reported.
	if fs, _ := CheckFile("Dockerfile", []byte("FROM a\n# build-only\nARG BUILD_TOKEN\n")); len(fs) != 1 {
		t.Errorf("unmarked ARG: %+v", fs)
	}
	// The checks honour every marker the engine does.
	for _, mk := range scan.AllowMarkers {
		if fs, err := CheckFile(".env.template", []byte("SESSION_SECRET=4f9Qz7LmX2vPw8Tn1Kd3 # "+mk+"\n")); err != nil || len(fs) != 0 {
			t.Errorf("marker %q ignored: %v %+v", mk, err, fs)
		}
	}
}

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		want int
	}{
		{".env", kindDotenv}, {"app/.env.local", kindDotenv}, {".env.production", kindDotenv},
		{".env.template", kindDotenvTemplate}, {".env.example", kindDotenvTemplate}, {".env.prod.sample", kindDotenvTemplate}, {".env.default", kindDotenvTemplate}, {".env.Defaults", kindDotenvTemplate},
		{".env.vault", 0}, {".env.enc", 0}, {".env.yaml", kindYAML}, {".env.js", 0},
		{"Dockerfile", kindDockerfile}, {"build/Dockerfile.gpu", kindDockerfile}, {"api.dockerfile", kindDockerfile}, {"Dockerfile_amd", kindDockerfile}, {"Dockerfile-cuda", kindDockerfile},
		{"dockerfile.go", 0},
		{"main.tf", kindTerraform}, {"policy.json", kindJSON}, {"deploy.yml", kindYAML},
		{"id_rsa", kindKeyFile}, {"certs/tls.pem", kindKeyFile}, {"README.md", 0},
		{"mlflow/env.sh", kindShell}, {"run.bash", kindShell}, {".envrc", kindShell}, {".env.sh", kindShell},
		{"deploy/mlflow.service", kindSystemd}, {"mlflow.service.d/override.conf", kindSystemd}, {"nginx.conf", 0},
		{"app/settings.py", kindPython},
	} {
		if got := kindOf(tc.name); got != tc.want {
			t.Errorf("kindOf(%q) = %b, want %b", tc.name, got, tc.want)
		}
	}
}

func TestDockerfileArgBesideSecretMount(t *testing.T) {
	df := "ARG pip_token=\"\"\nARG NPM_TOKEN\nFROM a\nRUN --mount=type=secret,id=pip_token,env=PIP_TOKEN pip install x\n"
	fs, err := CheckFile("Dockerfile", []byte(df))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Line != 2 {
		t.Errorf("want only the NPM_TOKEN ARG (line 2) reported: %+v", fs)
	}
	// A default value is still a secret in the history.
	fs, _ = CheckFile("Dockerfile", []byte("ARG pip_token=Zq8r2LmX7vPw4Tn1\nFROM a\nRUN --mount=type=secret,id=pip_token true\n"))
	if len(fs) != 1 {
		t.Errorf("ARG with a default beside a mount: %+v", fs)
	}
}

// A shell named with no arguments of its own (`curl … | VERSION=x bash`,
// metaflow's workflow that crashed the scan) is checked without reading
// past its arguments, and `bash -x` with a secret in scope still is
// reported.
func TestShellWithoutArguments(t *testing.T) {
	for _, tc := range []struct {
		run  string
		want int
	}{
		{"curl -fsSL https://example.test/install.sh | VERSION=v1 bash && break", 0},
		{"bash", 0},
		{"echo hi | sh", 0},
		{"bash -x ./deploy.sh", 1},
	} {
		wf := "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          TOKEN: ${{ secrets.TOKEN }}\n        run: |\n          " + tc.run + "\n"
		fs, err := CheckFile(".github/workflows/ci.yml", []byte(wf))
		if err != nil {
			t.Fatalf("%q: %v", tc.run, err)
		}
		n := 0
		for _, f := range fs {
			if f.RuleID == "ci-secret-echo" {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("%q: %d ci-secret-echo findings, want %d: %+v", tc.run, n, tc.want, fs)
		}
	}
}
