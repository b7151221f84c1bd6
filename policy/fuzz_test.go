package policy

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// The fuzz targets feed arbitrary bytes to every parser entry point: a
// malformed file may be reported as an error but must never panic or hang.
// Seed corpora live in testdata/fuzz/<target>.

func FuzzYAML(f *testing.F) {
	f.Add([]byte("apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: c, env: [{name: A, valueFrom: {secretKeyRef: {name: s}}}]}]\n"))
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"k8s.yaml", ".github/workflows/ci.yml", ".gitlab-ci.yml", "config.yaml", ".truss/config.yaml"} {
			_, _ = CheckFile(name, data, WithTrussSecrets([]string{"a"}))
		}
		_, _ = TrussSecretNames("config.yaml", data)
		_, _ = KubernetesSecretRefs("k8s.yaml", data)
		_, _ = WorkflowSecretRefs("ci.yml", data)
		_, _ = IAMStatements("cfn.yaml", data)
	})
}

func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Principal":{"AWS":"*"}}]}`))
	f.Add([]byte(`{"apiVersion":"v1","kind":"Secret","data":{"a":"YQ=="}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = CheckFile("policy.json", data)
		_, _ = IAMStatements("policy.json", data)
		_, _ = KubernetesSecretRefs("pod.json", data)
		if n, err := parseJSON(data); err == nil && n == nil {
			t.Fatal("parseJSON returned neither a node nor an error")
		}
	})
}

func FuzzDockerfile(f *testing.F) {
	f.Add([]byte("FROM alpine\nENV A_TOKEN=x B=y\nARG C_PASSWORD=z\nCOPY .env /\n"))
	f.Add([]byte("# escape=`\nFROM a\nRUN <<EOF\nx\nEOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = CheckFile("Dockerfile", data)
	})
}

func FuzzHCL(f *testing.F) {
	f.Add([]byte("resource \"a\" \"b\" {\n  policy = jsonencode({Statement = [{Effect = \"Allow\", Action = \"*\"}]})\n}\n"))
	f.Add([]byte("data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    principals {\n      type = \"*\"\n      identifiers = [\"*\"]\n    }\n  }\n}\n"))
	f.Add([]byte("x = {\n  policy = <<EOT\n{\"Statement\": []}\nEOT\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = CheckFile("main.tf", data)
		_, _ = IAMStatements("main.tf", data)
	})
}

func FuzzDotenv(f *testing.F) {
	f.Add([]byte("export A=1\nB='x'\nC=\"multi\nline\"\nD=v # c\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = CheckFile(".env.template", data)
		_, _ = EnvTemplateKeys(".env.example", data)
	})
}

func FuzzShell(f *testing.F) {
	f.Add("echo ${{ secrets.A }} | tee x\nset -x\nenv\ncurl -H \"$T\" u\n")
	f.Add("cat <<EOF\n$T\nEOF\n$(echo $T)\n")
	f.Fuzz(func(t *testing.T, script string) {
		rep := &report{path: "ci.yml"}
		sc := &shellCheck{rep: rep, what: "fuzz", vars: map[string]bool{"T": true}, exprs: map[string]bool{},
			node: &yaml.Node{Kind: yaml.ScalarNode, Line: 3, Style: yaml.LiteralStyle}, gitlab: len(script)%2 == 0}
		sc.run(script)
	})
}

func FuzzShellEnv(f *testing.F) {
	f.Add("export A=1 B\nset -a\nC=\"x\"\nset +a\nD=$(e) f g\nenv H=1 i\ndeclare -x J='k'\n. ./l\n")
	f.Add("set -o allexport\nA=1\nexport -n A\n")
	f.Fuzz(func(t *testing.T, script string) {
		vars, _, err := shellEnv(script)
		if err != nil && vars != nil {
			t.Fatal("variables returned with an error")
		}
		_, _ = CheckFile("env.sh", []byte(script))
	})
}

func FuzzSystemd(f *testing.F) {
	f.Add([]byte("[Service]\nEnvironment=\"A=1\" B='2 3' C=\\\\x\nEnvironment=\nEnvironmentFile=-/etc/a\n"))
	f.Add([]byte("[Service]\nEnvironment=A=1 \\\n  B=2\n[Install]\nWantedBy=x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := parseSystemdEnv(data)
		if err == nil && u == nil {
			t.Fatal("parseSystemdEnv returned neither a unit nor an error")
		}
		_, _ = CheckFile("a.service", data)
	})
}

func FuzzPythonEnv(f *testing.F) {
	f.Add([]byte("import os\nos.environ[\"A\"] = 'b'  # c\nos.environ.setdefault('C', \"d\")\nenviron['E'] = f(x)\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range pythonEnv(data) {
			if !validEnvName(v.Name) || v.Line < 1 || v.Col < 1 {
				t.Fatalf("bad variable %+v", v)
			}
		}
		_, _ = CheckFile("settings.py", data)
	})
}

func FuzzHelmValues(f *testing.F) {
	f.Add([]byte("env:\n  - name: A\n    value: b\nx:\n  extraEnv: {C: d}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = CheckFile("values.yaml", data)
	})
}
