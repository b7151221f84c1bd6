package policy

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/secretlint/secretlint/inventory"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

var invNow = time.Date(2026, 11, 1, 15, 4, 5, 0, time.UTC)

// invEntry is a compliant entry; each case changes what it tests.
const invEntry = `
name = "s"
owner = "team@example.com"
environments = ["production"]
delivery = "file"
rotation_days = 90
last_rotated = 2026-10-01
scope = ["secretsmanager:GetSecretValue"]
consumers = [{ name = "serving", access = "read" }]
`

func invParse(t *testing.T, policyTOML string, entries ...string) (*inventory.Inventory, *InventoryPolicy) {
	t.Helper()
	var b strings.Builder
	for _, e := range entries {
		b.WriteString("[[secret]]\n" + e + "\n")
	}
	inv, err := inventory.Parse("secrets.toml", []byte(b.String()))
	if err != nil {
		t.Fatalf("inventory: %v\n%s", err, b.String())
	}
	var data []byte
	if policyTOML != "" {
		data = []byte(policyTOML)
	}
	p, err := ParseInventoryPolicy("policy.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	return inv, p
}

// with replaces or adds key = value lines in the compliant entry.
func with(kv ...string) string {
	lines := strings.Split(strings.TrimSpace(invEntry), "\n")
	for _, set := range kv {
		key, _, _ := strings.Cut(set, " =")
		done := false
		for i, l := range lines {
			if strings.HasPrefix(l, key+" =") {
				lines[i], done = set, true
			}
		}
		if !done {
			lines = append(lines, set)
		}
	}
	var out []string
	for _, l := range lines {
		if !strings.HasSuffix(l, "= DELETE") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func ids(fs []scan.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID)
	}
	sort.Strings(out)
	return out
}

func TestCheckInventory(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		entry  string
		want   []string // rule ids
		msg    string   // substring of the first finding's message
	}{
		{"compliant", "", with(), nil, ""},
		{"overdue", "", with("last_rotated = 2026-05-01"), []string{"inventory-rotation-overdue"},
			`last rotated 2026-05-01, 184 days ago; it is rotated every 90 days, so it was due 2026-07-30 and is 94 days overdue`},
		{"overdue by policy cap", "", with("rotation_days = 365", "last_rotated = 2026-07-01"), []string{"inventory-rotation-overdue"},
			`rotation_days 365 is above the policy maximum`},
		{"due soon", "", with("last_rotated = 2026-08-10"), []string{"inventory-rotation-due"}, `due for rotation on 2026-11-08, in 7 days`},
		{"due outside window", "", with("last_rotated = 2026-08-20"), nil, ""},
		{"missing owner", "", with("owner = DELETE"), []string{"inventory-missing-owner"}, `has no owner`},
		{"TODO owner", "", with(`owner = "TODO"`), []string{"inventory-missing-owner"}, ``},
		{"owner not required", "require_owner = false", with("owner = DELETE"), nil, ""},
		{"missing rotation", "", with("rotation_days = DELETE", "last_rotated = DELETE"), []string{"inventory-missing-rotation"}, `no rotation_days or last_rotated`},
		{"future rotation", "", with("last_rotated = 2027-01-01"), []string{"inventory-missing-rotation"}, `is in the future`},
		{"wildcard scope", "", with(`scope = ["s3:*"]`), []string{"inventory-wildcard-scope"}, `"s3:*"`},
		{"wildcard allowed", "forbid_wildcard_scopes = false", with(`scope = ["s3:*"]`), nil, ""},
		{"shared envs", "", with(`environments = ["staging", "production"]`), []string{"inventory-shared-across-envs"}, `serves 2 environments (staging, production)`},
		{"same env twice", "", with(`environments = ["production", "Production"]`), nil, ""},
		{"env in prod", "", with(`delivery = "env"`), []string{"inventory-env-delivery-in-prod"}, `environment variable in production`},
		{"env in dev", "", with(`delivery = "env"`, `environments = ["development"]`), nil, ""},
		{"delivery not allowed", "", with(`delivery = "env"`, `environments = ["staging"]`), []string{"inventory-delivery-not-allowed"}, `delivered by env in staging, which allows only identity, file, sidecar, ci-masked`},
		{"ttl too long", "", with(`ttl = "2d"`), []string{"inventory-ttl-too-long"}, `ttl of 2d, above the policy maximum of 1d`},
		{"ttl fine", "", with(`ttl = "15m"`), nil, ""},
		{"writer not named", "", with(`consumers = [{ name = "serving", access = "write" }]`), []string{"inventory-write-scope"}, `write access to "serving", not a named writer (the policy's writers: none)`},
		{"named writer", `writers = ["ci-publish"]`, with(`consumers = [{ name = "ci-publish", access = "write" }]`), nil, ""},
		{"disabled", `disable = ["inventory-wildcard-scope"]`, with(`scope = ["*"]`), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, p := invParse(t, tt.policy, tt.entry)
			fs := CheckInventory(inv, p, invNow)
			if d := cmp.Diff(tt.want, ids(fs)); d != "" {
				t.Fatalf("rule ids (-want +got):\n%s\n%v", d, fs)
			}
			for _, f := range fs {
				if f.Path != "secrets.toml" || f.Line != 1 || f.Source != scan.SourcePolicy || f.Hint == "" || f.Fingerprint == "" || f.Secret != "" {
					t.Errorf("finding fields: %+v", f)
				}
			}
			if tt.msg != "" && !strings.Contains(fs[0].Message, tt.msg) {
				t.Errorf("message %q does not contain %q", fs[0].Message, tt.msg)
			}
		})
	}
}

func TestSharedFingerprint(t *testing.T) {
	fp := `fingerprint = "` + inventory.Fingerprint([]byte("one value")) + `"`
	inv, p := invParse(t, "", with(fp), with(`name = "s-staging"`, `environments = ["staging"]`, fp))
	fs := CheckInventory(inv, p, invNow)
	if len(fs) != 1 || fs[0].RuleID != "inventory-shared-across-envs" || !strings.Contains(fs[0].Message, `same value (fingerprint) as secret "s"`) {
		t.Fatalf("got %v", fs)
	}
}

func TestInventoryPolicyFile(t *testing.T) {
	p, err := ParseInventoryPolicy("p.toml", []byte("max_rotation_days = 30\n[allowed_delivery]\nqa = [\"file\"]\n[severity]\ninventory-unused = \"high\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.MaxRotationDays != 30 || p.WarnBeforeDays != 14 || len(p.AllowedDelivery["production"]) != 3 || len(p.AllowedDelivery["qa"]) != 1 || p.severity["inventory-unused"] != rules.High {
		t.Errorf("merged policy = %+v", p)
	}
	for _, bad := range []struct{ data, want string }{
		{"max_rotation = 3", `p.toml: unknown key "max_rotation"`},
		{`max_ttl = "soon"`, `max_ttl "soon" is not a duration`},
		{`disable = ["inventory-nope"]`, `unknown check "inventory-nope"`},
		{"[allowed_delivery]\nprod = [\"pigeon\"]", `unknown delivery "pigeon"`},
		{"max_rotation_days = ", `p.toml`},
	} {
		if _, err := ParseInventoryPolicy("p.toml", []byte(bad.data)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: error %v, want %q", bad.data, err, bad.want)
		}
	}
}

const (
	invARN   = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db/password-Zx98Yw"
	invExact = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db/password-??????"
)

func TestCrossCheckInventory(t *testing.T) {
	arnEntry := with(`name = "db-password"`, `location = "`+invARN+`"`)
	grant := func(actions []string, resources ...string) Statement {
		return Statement{Path: "iam.json", Line: 7, Sid: "S", Effect: "Allow", Actions: actions, Resources: resources}
	}
	get := []string{"secretsmanager:GetSecretValue"}
	tests := []struct {
		name   string
		refs   []Ref
		grants []Statement
		want   []string
		msg    string
	}{
		{"referenced by name", []Ref{{Kind: RefK8sVolume, Name: "db-password", Path: "k8s.yaml", Line: 3}}, nil, nil, ""},
		{"referenced by normalised name", []Ref{{Kind: RefEnvTemplate, Name: "DB_PASSWORD", Path: ".env.template", Line: 3}}, nil, nil, ""},
		{"referenced by exact grant", nil, []Statement{grant(get, invExact)}, nil, ""},
		{"unused", nil, nil, []string{"inventory-unused"}, `"db-password" is not referenced`},
		{"missing entry", []Ref{{Kind: RefTruss, Name: "db-password", Path: "config.yaml", Line: 2}, {Kind: RefWorkflowSecret, Name: "HF_TOKEN", Path: "ci.yml", Line: 9}, {Kind: RefWorkflowSecret, Name: "HF_TOKEN", Path: "ci.yml", Line: 12}},
			nil, []string{"inventory-missing-entry"}, `CI secret "HF_TOKEN" is used here (and 1 more place)`},
		{"exact ARN without suffix", nil, []Statement{grant(get, strings.TrimSuffix(invARN, "-Zx98Yw"))}, nil, ""},
		{"wildcard resource", nil, []Statement{grant(get, "*")}, []string{"inventory-scope-exceeded", "inventory-unused"}, `resource "*" covers every secret`},
		{"broader prefix", nil, []Statement{grant(get, "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*")}, []string{"inventory-scope-exceeded", "inventory-unused"}, `is a broader ARN pattern`},
		{"extra actions", nil, []Statement{grant([]string{"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"}, invExact)}, []string{"inventory-scope-exceeded"}, `actions "secretsmanager:PutSecretValue" are outside the scope`},
		{"action wildcard", nil, []Statement{grant([]string{"secretsmanager:*"}, invExact)}, []string{"inventory-scope-exceeded"}, `"secretsmanager:*"`},
		{"other service", nil, []Statement{grant([]string{"s3:GetObject"}, "*")}, []string{"inventory-unused"}, ""},
		{"other secret", nil, []Statement{grant(get, "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/other-??????")}, []string{"inventory-unused"}, ""},
		{"deny", nil, []Statement{{Path: "iam.json", Line: 7, Effect: "Deny", Actions: get, Resources: []string{"*"}}}, []string{"inventory-unused"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv, p := invParse(t, "", arnEntry)
			fs := CrossCheckInventory(inv, p, tt.refs, tt.grants)
			if d := cmp.Diff(tt.want, ids(fs)); d != "" {
				t.Fatalf("rule ids (-want +got):\n%s\n%v", d, fs)
			}
			if tt.msg != "" && !strings.Contains(fs[0].Message, tt.msg) {
				t.Errorf("message %q does not contain %q", fs[0].Message, tt.msg)
			}
			for _, f := range fs {
				if f.RuleID == "inventory-scope-exceeded" && (f.Path != "iam.json" || f.Line != 7 || !strings.Contains(f.Message, `secret "db-password" (secrets.toml:1, owner team@example.com)`)) {
					t.Errorf("scope-exceeded finding: %+v", f)
				}
			}
		})
	}
}

func TestTagInventoryFinding(t *testing.T) {
	value := "made-up-token-value-0123456789"
	inv, _ := invParse(t, "", with(`fingerprint = "`+inventory.Fingerprint([]byte(value))+`"`, `store = "vault"`))
	f := scan.Finding{RuleID: "generic-secret", Severity: rules.Medium, Secret: value, Location: scan.Location{Path: "app.py"}, GitInfo: scan.GitInfo{Commit: "0123456789abcdef0123"}}
	if !TagInventoryFinding(inv, &f) {
		t.Fatal("not tagged")
	}
	want := &scan.InventoryRef{Name: "s", Owner: "team@example.com", Store: "vault"}
	if d := cmp.Diff(want, f.Inventory); d != "" || f.Severity != rules.Critical {
		t.Errorf("tag (-want +got):\n%s severity %v", d, f.Severity)
	}
	if !strings.Contains(f.Message, `production secret "s" owned by team@example.com (store vault) is in git history (commit 0123456789ab, app.py)`) {
		t.Errorf("message %q", f.Message)
	}
	if strings.Contains(f.Message, value) {
		t.Errorf("message holds the value")
	}
	other := scan.Finding{Secret: "another value", Severity: rules.Medium}
	if TagInventoryFinding(inv, &other) || other.Inventory != nil || other.Severity != rules.Medium {
		t.Errorf("tagged a value with another fingerprint: %+v", other)
	}
}

func TestFindInventoryReferences(t *testing.T) {
	root := filepath.Join("..", "testdata", "inventory", "example")
	var errs []string
	res := FindInventoryReferences(context.Background(), []string{root}, nil, func(p string, err error) { errs = append(errs, p+": "+err.Error()) })
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	var got []string
	for _, r := range res.Refs {
		rel, _ := filepath.Rel(root, r.Path)
		got = append(got, filepath.ToSlash(rel)+":"+strconv.Itoa(r.Line)+" "+r.Kind+" "+r.Name)
	}
	want := []string{
		".env.template:3 env-template-key FEATURE_STORE_KEY",
		".env.template:4 env-template-key SENTRY_DSN",
		".env.template:5 env-template-key REDIS_PASSWORD",
		".github/workflows/publish.yml:15 workflow-secret WANDB_API_KEY",
		".github/workflows/publish.yml:19 workflow-secret MODEL_REGISTRY_WRITE_TOKEN",
		".github/workflows/publish.yml:23 workflow-secret PYPI_TOKEN",
		"k8s/production/serving.yaml:22 k8s-secret-key model-registry-read-token",
		"k8s/production/serving.yaml:31 k8s-secret-volume database-password",
		"k8s/production/training.yaml:24 k8s-secret-volume training-bucket-key",
		"k8s/production/training.yaml:26 k8s-secret-volume training-oidc-session",
		"truss/config.yaml:11 truss-secret mlflow_tracking_token",
		"truss/config.yaml:12 truss-secret hf_access_token",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("references (-want +got):\n%s", d)
	}
	if len(res.Statements) != 2 || res.Statements[1].Sid != "ServingReadsSharedSecrets" {
		t.Errorf("statements: %+v", res.Statements)
	}
	if InferEnvironment("k8s/production/x.yaml") != "production" || InferEnvironment("deploy/stg-values.yaml") != "staging" || InferEnvironment("src/app.py") != "" {
		t.Error("InferEnvironment")
	}
}

// TestInventoryDocs keeps docs/inventory.md in step with the code: it
// quotes the built-in policy verbatim and documents every check id.
func TestInventoryDocs(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "inventory.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```toml\n"+DefaultInventoryPolicy+"```") {
		t.Error("docs/inventory.md does not quote DefaultInventoryPolicy verbatim")
	}
	for _, c := range InventoryChecks() {
		if !strings.Contains(string(doc), "| `"+c.ID+"` | "+c.Severity.String()+" |") {
			t.Errorf("docs/inventory.md lacks a row for %s (%s)", c.ID, c.Severity)
		}
	}
}
