package scan

import "testing"

func TestInTestPath(t *testing.T) {
	for p, want := range map[string]bool{
		"testdata/keys.pem":                 true,
		"pkg/auth/testdata/token.json":      true,
		"tests/conftest.py":                 true,
		"src/__tests__/api.js":              true,
		"spec/fixtures/users.yml":           true,
		"examples/k8s/secret.yaml":          true,
		"credentials/credentials_test.go":   true,
		"tests_unrelated.go":                false,
		"pkg/test_client.py":                true,
		"web/login.test.ts":                 true,
		"web/login.spec.js":                 true,
		"lib/client_spec.rb":                true,
		"certs/server.insecure":             true,
		"certs/server-insecure.pem":         true,
		`C:\repo\Tests\settings.json`:       true,
		"release.zip!testdata/a.env":        true,
		"config/prod.env":                   false,
		"deploy/contest/values.yaml":        false, // "contest" is no test directory
		"latest/app.env":                    false,
		"protest.py":                        false,
		"cmd/testserver/main.go":            false,
		"src/attestation/key.go":            false,
		"testdata":                          false, // a file named testdata
		"docs/specification.md":             false,
		"layer.tar!etc/ssl/private/key.pem": false,
	} {
		if got := InTestPath(p); got != want {
			t.Errorf("InTestPath(%q) = %v, want %v", p, got, want)
		}
	}
}
