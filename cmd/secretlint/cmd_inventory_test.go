package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/inventory"
	"github.com/secretlint/secretlint/policy"
	"github.com/secretlint/secretlint/scan"
)

var updateInventory = flag.Bool("update-inventory", false, "rewrite the inventory golden reports under testdata/inventory/golden")

var (
	exampleDir = filepath.Join("..", "..", "testdata", "inventory", "example")
	goldenDir  = filepath.Join("..", "..", "testdata", "inventory", "golden")
)

// normalizeReport blanks what changes from run to run: timings.
func normalizeReport(s string) string {
	for _, r := range []struct{ re, with string }{
		{`"seconds": [0-9.e+-]+`, `"seconds": 0`},
		{`\(\d+\.\d+s\)`, `(0.00s)`},
		{`time="[0-9.e+-]+"`, `time="0"`},
	} {
		s = regexp.MustCompile(r.re).ReplaceAllString(s, r.with)
	}
	return s
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *updateInventory {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update-inventory to create it)", err, t.Name())
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s differs (-want +got; -update-inventory rewrites it):\n%s", name, d)
	}
}

type jsonFindings struct {
	Findings []scan.Finding `json:"findings"`
}

func decodeFindings(t *testing.T, out string) []scan.Finding {
	t.Helper()
	var r jsonFindings
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, out)
	}
	return r.Findings
}

// TestInventoryExample runs the example project end to end through the CLI:
// every inventory check fires exactly once, the leaked value is tied to its
// entry, and the report in every format matches its golden file.
func TestInventoryExample(t *testing.T) {
	absGolden, err := filepath.Abs(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	goldenDir = absGolden
	t.Chdir(exampleDir)
	// The leaked value, read from the example rather than written here, so
	// this file holds no secret.
	nb, err := os.ReadFile(filepath.Join("notebooks", "debug.py"))
	if err != nil {
		t.Fatal(err)
	}
	leaked := regexp.MustCompile(`AKIA[A-Z2-7]{16}`).FindString(string(nb))
	if leaked == "" {
		t.Fatal("notebooks/debug.py holds no access key id")
	}
	formats := map[string]string{"text": "check.txt", "json": "check.json", "sarif": "check.sarif", "junit": "check.junit.xml", "csv": "check.csv"}
	for _, format := range []string{"text", "json", "sarif", "junit", "csv"} {
		t.Run(format, func(t *testing.T) {
			r := runCLI(t, cliOpts{}, "inventory", "check", "--now", "2026-11-01", "--format", format, ".")
			if r.code != exitFindings {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, exitFindings, r.stderr)
			}
			if strings.Contains(r.stdout, leaked) || strings.Contains(r.stderr, leaked) {
				t.Errorf("the leaked value is printed unredacted")
			}
			if format == "text" {
				if !strings.HasPrefix(r.stdout, "Secrets by rotation age as of 2026-11-01 (secrets.toml)\n") {
					t.Errorf("text report does not start with the rotation table:\n%s", r.stdout)
				}
			} else if !strings.Contains(r.stderr, "Secrets by rotation age") {
				t.Errorf("%s: the rotation table is not on stderr", format)
			}
			checkGolden(t, formats[format], normalizeReport(r.stdout))
		})
	}

	r := runCLI(t, cliOpts{}, "inventory", "check", "--now", "2026-11-01", "--format", "json", ".")
	fs := decodeFindings(t, r.stdout)
	count := map[string]int{}
	for _, f := range fs {
		count[f.RuleID]++
	}
	for _, c := range policy.InventoryChecks() {
		if count[c.ID] != 1 {
			t.Errorf("%s fired %d times, want exactly once", c.ID, count[c.ID])
		}
		delete(count, c.ID)
	}
	var tagged []scan.Finding
	for _, f := range fs {
		if f.Inventory != nil {
			tagged = append(tagged, f)
		}
	}
	if len(tagged) != 1 || tagged[0].Inventory.Name != "training-bucket-key" || tagged[0].Inventory.Owner != "data-eng@example.com" ||
		tagged[0].Severity.String() != "critical" || tagged[0].Path != "notebooks/debug.py" {
		t.Errorf("tagged findings: %+v", tagged)
	}
	delete(count, tagged[0].RuleID)
	if len(count) != 0 {
		t.Errorf("unexpected findings: %v", count)
	}

	// Each entry-level check passes for the other entries: the example has
	// twelve entries and each check names one.
	inv, err := inventory.Load("secrets.toml")
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Entries) < 2*len(policy.InventoryChecks())/3 {
		t.Errorf("the example has %d entries; too few to show the checks passing", len(inv.Entries))
	}

	// --fail-on decides the exit code on the same findings.
	if r := runCLI(t, cliOpts{}, "inventory", "check", "--now", "2026-11-01", "--fail-on", "critical", "--quiet"); r.code != exitClean {
		t.Errorf("without PATH (no leaked value) and --fail-on critical: exit %d, want 0\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, cliOpts{}, "inventory", "check", "--now", "2026-11-01", "--fail-on", "critical", "--quiet", "."); r.code != exitFindings {
		t.Errorf("with PATH (a leaked value) and --fail-on critical: exit %d, want 1", r.code)
	}
	// Naming the inventory file checks its directory as the project.
	if r := runCLI(t, cliOpts{}, "inventory", "check", "--now", "2026-11-01", "--format", "json", "secrets.toml"); len(decodeFindings(t, r.stdout)) != len(fs) {
		t.Errorf("inventory check secrets.toml: %d findings, want %d\n%s", len(decodeFindings(t, r.stdout)), len(fs), r.stderr)
	}
	// --now moves the evaluation day: a week later wandb-api-key is overdue.
	r = runCLI(t, cliOpts{}, "inventory", "check", "--now", "2026-11-09", "--format", "json")
	overdue := 0
	for _, f := range decodeFindings(t, r.stdout) {
		if f.RuleID == "inventory-rotation-overdue" && strings.Contains(f.Message, `"wandb-api-key"`) {
			overdue++
			if !strings.Contains(f.Message, "due 2026-11-08 and is 1 day overdue") {
				t.Errorf("--now 2026-11-09: %s", f.Message)
			}
		}
	}
	if overdue != 1 {
		t.Errorf("--now 2026-11-09: wandb-api-key overdue findings = %d, want 1", overdue)
	}
}

// TestScanInventory checks `secretlint scan --inventory`: the leaked value is
// tagged with its entry and raised to critical, and the cross-checks run.
func TestScanInventory(t *testing.T) {
	t.Chdir(exampleDir)
	r := runCLI(t, cliOpts{}, "scan", "--no-policy", "--format", "json", "--inventory", "secrets.toml", ".")
	if r.code != exitFindings {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var ids []string
	var tagged *scan.Finding
	for _, f := range decodeFindings(t, r.stdout) {
		if strings.HasPrefix(f.RuleID, "inventory-") {
			ids = append(ids, f.RuleID)
		}
		if f.Inventory != nil {
			f := f
			tagged = &f
		}
	}
	sort.Strings(ids)
	if d := cmp.Diff([]string{"inventory-missing-entry", "inventory-scope-exceeded", "inventory-unused"}, ids); d != "" {
		t.Errorf("cross-check findings (-want +got):\n%s", d)
	}
	if tagged == nil || tagged.RuleID != "aws-access-key-id" || tagged.Severity.String() != "critical" ||
		!strings.Contains(tagged.Message, `secret "training-bucket-key" owned by data-eng@example.com (store vault)`) {
		t.Errorf("tagged finding: %+v", tagged)
	}
	// A single file is tagged but not cross-checked: nothing would look used.
	r = runCLI(t, cliOpts{}, "scan", "--no-policy", "--format", "json", "--inventory", "secrets.toml", filepath.Join("notebooks", "debug.py"))
	fs := decodeFindings(t, r.stdout)
	if len(fs) != 1 || fs[0].Inventory == nil {
		t.Errorf("scan of one file with --inventory: %+v", fs)
	}
	// Without --inventory the same finding is untagged, at its rule's severity.
	r = runCLI(t, cliOpts{}, "scan", "--no-policy", "--format", "json", "notebooks")
	for _, f := range decodeFindings(t, r.stdout) {
		if f.Inventory != nil || f.Severity.String() == "critical" {
			t.Errorf("tagged without --inventory: %+v", f)
		}
	}
	// A broken inventory is a usage error naming file and line.
	bad := filepath.Join(t.TempDir(), "secrets.toml")
	os.WriteFile(bad, []byte("[[secret]]\nname = \"a\"\nlast_rotated = \"yesterday\"\n"), 0o600)
	r = runCLI(t, cliOpts{}, "scan", "--no-policy", "--inventory", bad, "notebooks")
	if r.code != exitUsage || !strings.Contains(r.stderr, bad+":3: ") {
		t.Errorf("bad inventory: exit %d\n%s", r.code, r.stderr)
	}
}

// TestGitInventory tags a value deleted from the tree but left in history:
// the message says whose secret is in git history.
func TestGitInventory(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		requireRealPart(t, "git is not installed")
	}
	files := map[string]string{}
	for _, name := range []string{"secrets.toml", "notebooks/debug.py"} {
		data, err := os.ReadFile(filepath.Join(exampleDir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(data)
	}
	dir := writeTree(t, files)
	gitRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.email=dev@example.com", "-c", "user.name=dev", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun("init", "-q")
	gitRun("add", "-A")
	gitRun("commit", "-q", "-m", "debugging")
	gitRun("rm", "-q", "notebooks/debug.py")
	gitRun("commit", "-q", "-m", "remove the notebook")
	r := runCLI(t, cliOpts{}, "git", "--no-policy", "--format", "json", "--inventory", filepath.Join(dir, "secrets.toml"), dir)
	var tagged []scan.Finding
	for _, f := range decodeFindings(t, r.stdout) {
		if f.Inventory != nil {
			tagged = append(tagged, f)
		}
	}
	if len(tagged) != 1 || tagged[0].Commit == "" || tagged[0].Severity.String() != "critical" ||
		!strings.Contains(tagged[0].Message, `the production secret "training-bucket-key" owned by data-eng@example.com (store vault) is in git history (commit `) {
		t.Fatalf("exit %d, tagged %+v\n%s", r.code, tagged, r.stderr)
	}
	if tagged[0].InHead != nil && !*tagged[0].InHead && !strings.Contains(tagged[0].Message, "no longer in HEAD") {
		t.Errorf("message does not say the value left HEAD: %s", tagged[0].Message)
	}
}

func TestInventoryTableColor(t *testing.T) {
	t.Chdir(exampleDir)
	esc := "\x1b["
	for _, tt := range []struct {
		name      string
		o         cliOpts
		args      []string
		wantColor bool
	}{
		{"pipe", cliOpts{}, nil, false},
		{"terminal", cliOpts{terminal: true}, nil, true},
		{"NO_COLOR", cliOpts{terminal: true, env: map[string]string{"NO_COLOR": "1"}}, nil, false},
		{"--no-color", cliOpts{terminal: true}, []string{"--no-color"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"inventory", "check", "--now", "2026-11-01"}, tt.args...)
			r := runCLI(t, tt.o, args...)
			table, _, _ := strings.Cut(r.stdout, "\n\n")
			if got := strings.Contains(table, esc); got != tt.wantColor {
				t.Errorf("colour in the table = %v, want %v:\n%q", got, tt.wantColor, table)
			}
			if !strings.Contains(table, "overdue 94 days") {
				t.Errorf("no rotation table:\n%s", r.stdout)
			}
		})
	}
}

func TestInventoryFingerprint(t *testing.T) {
	value := "made-up-Value-4f9c2e"
	for _, tt := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"trailing newline dropped", value + "\n", nil, inventory.Fingerprint([]byte(value))},
		{"CRLF dropped", value + "\r\n", []string{"-"}, inventory.Fingerprint([]byte(value))},
		{"no newline", value, []string{"-"}, inventory.Fingerprint([]byte(value))},
		{"keep newline", value + "\n", []string{"--keep-newline", "-"}, inventory.Fingerprint([]byte(value + "\n"))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, cliOpts{stdin: strings.NewReader(tt.stdin)}, append([]string{"inventory", "fingerprint"}, tt.args...)...)
			if r.code != exitClean || r.stdout != tt.want+"\n" {
				t.Fatalf("exit %d, stdout %q, want %q\n%s", r.code, r.stdout, tt.want, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, value) {
				t.Errorf("the value is echoed")
			}
		})
	}
	f := filepath.Join(t.TempDir(), "key")
	os.WriteFile(f, []byte(value+"\n"), 0o600)
	if r := runCLI(t, cliOpts{}, "inventory", "fingerprint", f); r.stdout != inventory.Fingerprint([]byte(value))+"\n" {
		t.Errorf("from a file: %q %s", r.stdout, r.stderr)
	}
	if r := runCLI(t, cliOpts{stdin: strings.NewReader("\n")}, "inventory", "fingerprint", "-"); r.code != exitUsage || !strings.Contains(r.stderr, "is empty") {
		t.Errorf("empty value: exit %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, cliOpts{stdin: bytes.NewReader(make([]byte, 2<<20))}, "inventory", "fingerprint"); r.code != exitUsage {
		t.Errorf("2 MB value: exit %d", r.code)
	}
	// The fingerprint it prints is what secrets.toml accepts.
	r := runCLI(t, cliOpts{stdin: strings.NewReader(value)}, "inventory", "fingerprint")
	if _, err := inventory.Parse("x.toml", []byte("[[secret]]\nname = \"a\"\nfingerprint = \""+strings.TrimSpace(r.stdout)+"\"\n")); err != nil {
		t.Errorf("printed fingerprint does not load: %v", err)
	}
}

func TestInventoryInit(t *testing.T) {
	// The example project without its inventory.
	files := map[string]string{}
	err := filepath.WalkDir(exampleDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "secrets.toml" || d.Name() == "secretlint-policy.toml" {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(exampleDir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, files)
	r := runCLI(t, cliOpts{}, "inventory", "init", dir)
	if r.code != exitClean || !strings.Contains(r.stderr, "wrote 12 secrets to ") {
		t.Fatalf("init: exit %d\n%s", r.code, r.stderr)
	}
	draft := filepath.Join(dir, "secrets.toml")
	inv, err := inventory.Load(draft)
	if err != nil {
		t.Fatalf("the draft does not load: %v", err)
	}
	got := map[string]inventory.Entry{}
	for _, e := range inv.Entries {
		got[e.Name] = e
		if e.Owner != "TODO" || e.Fingerprint != "" || e.RotationDays != 90 {
			t.Errorf("entry %+v: want owner TODO, rotation 90, no fingerprint", e)
		}
	}
	for name, want := range map[string]struct{ store, env, delivery string }{
		"model-registry-read-token": {"k8s", "production", "env"},
		"database-password":         {"k8s", "production", "file"},
		"PYPI_TOKEN":                {"ci", "ci", "ci-masked"},
		"hf_access_token":           {"truss", "", ""},
		"REDIS_PASSWORD":            {"env-file", "", "env"},
	} {
		e, ok := got[name]
		if !ok {
			t.Errorf("no entry for %s in the draft", name)
			continue
		}
		env := strings.Join(e.Environments, ",")
		if e.Store != want.store || env != want.env || e.Delivery != want.delivery {
			t.Errorf("%s: store %q env %q delivery %q, want %+v", name, e.Store, env, e.Delivery, want)
		}
	}
	text, _ := os.ReadFile(draft)
	if strings.Contains(string(text), "AKIA") {
		t.Errorf("the draft holds a value")
	}
	// The draft covers every reference: only ownership and rotation gaps remain.
	r = runCLI(t, cliOpts{}, "inventory", "check", "--now", "2026-11-01", "--format", "json", dir)
	for _, f := range decodeFindings(t, r.stdout) {
		switch f.RuleID {
		case "inventory-missing-owner", "inventory-missing-rotation", "inventory-env-delivery-in-prod", "inventory-delivery-not-allowed":
		default:
			t.Errorf("unexpected finding on the draft: %s %s", f.RuleID, f.Message)
		}
	}
	if r := runCLI(t, cliOpts{}, "inventory", "init", dir); r.code != exitUsage || !strings.Contains(r.stderr, "exists; pass --force") {
		t.Errorf("second init: exit %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, cliOpts{}, "inventory", "init", "-o", "-", dir); r.code != exitClean || !strings.Contains(r.stdout, "[[secret]]") {
		t.Errorf("init -o -: exit %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, cliOpts{}, "inventory", "init", "--force", dir); r.code != exitClean {
		t.Errorf("init --force: exit %d %s", r.code, r.stderr)
	}
}

func TestInventoryBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pasted := "p4ssw0rd-pasted-by-mistake"
	bad := write("bad.toml", "[[secret]]\nname = \"db\"\n\n[[secret]]\nname = \"db\"\nfingerprint = \""+pasted+"\"\nrotaton_days = 3\n")
	for _, tt := range []struct {
		name string
		args []string
		want []string
	}{
		{"problems", []string{"inventory", "check", "--inventory", bad}, []string{
			bad + `:4: duplicate secret name "db": already used by secret "db" at line 1; fix: `,
			bad + `:6: secret "db": fingerprint is not sha256: followed by 64 hex digits (value not shown); fix: run ` + "`secretlint inventory fingerprint -`",
			bad + `:7: unknown key "secret.rotaton_days" in a [[secret]] table; fix: did you mean "rotation_days"?`,
		}},
		{"syntax", []string{"inventory", "check", "--inventory", write("syntax.toml", "[[secret]]\nname = \"a\nowner = 1\n")}, []string{"syntax.toml:2: invalid TOML"}},
		{"missing", []string{"inventory", "check", "--inventory", filepath.Join(dir, "none.toml")}, []string{"none.toml; pass --inventory FILE, or draft one with `secretlint inventory init`"}},
		{"bad policy", []string{"inventory", "check", "--inventory", write("ok.toml", "[[secret]]\nname = \"a\"\n"), "--policy", write("p.toml", "max_ttl = \"soon\"\n")}, []string{`p.toml: max_ttl "soon" is not a duration`}},
		{"bad --now", []string{"inventory", "check", "--now", "tomorrow"}, []string{`--now: "tomorrow" is not a date`}},
		{"unknown subcommand", []string{"inventory", "audit"}, []string{`unknown subcommand "audit"`}},
		{"no subcommand", []string{"inventory"}, []string{"usage: secretlint inventory"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, cliOpts{}, tt.args...)
			if r.code != exitUsage {
				t.Errorf("exit %d, want %d", r.code, exitUsage)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stdout+r.stderr, pasted) {
				t.Errorf("the pasted value is echoed")
			}
		})
	}
}

func TestInventoryChecksList(t *testing.T) {
	r := runCLI(t, cliOpts{}, "inventory", "checks")
	for _, c := range policy.InventoryChecks() {
		if !strings.Contains(r.stdout, c.ID) {
			t.Errorf("checks lacks %s", c.ID)
		}
	}
	for _, id := range []string{"inventory-rotation-overdue", "inventory-missing-owner", "inventory-wildcard-scope", "inventory-shared-across-envs",
		"inventory-env-delivery-in-prod", "inventory-ttl-too-long", "inventory-write-scope", "inventory-missing-entry", "inventory-unused", "inventory-scope-exceeded"} {
		if policy.InventoryChecks()[0].ID == "" || !strings.Contains(r.stdout, id+" ") {
			t.Errorf("public id %s missing", id)
		}
	}
	// A table like 'rules' and 'policy --list': a header, then one check a line.
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != len(policy.InventoryChecks())+1 || strings.Fields(lines[0])[0] != "ID" {
		t.Errorf("%d lines, want a header and %d checks:\n%s", len(lines), len(policy.InventoryChecks()), r.stdout)
	}
}

// Entries in a store that names secrets by key link by their location: a
// CI secret's name, a Truss secret's key, a Kubernetes namespace/name, a
// Vault path's last element, folded as names are. Stores that name no key
// (an ARN) and references their store's consumers do not make stay apart.
func TestInventoryLinksByLocation(t *testing.T) {
	tree := map[string]string{
		".github/workflows/release.yml": "on: push\njobs:\n  push:\n    runs-on: ubuntu-latest\n    steps:\n" +
			"      - run: docker login -u ci --password-stdin registry.example.com <<< \"$T\"\n        env:\n          T: ${{ secrets.REGISTRY_TOKEN }}\n" +
			"      - run: ./publish.sh\n        env:\n          P: ${{ secrets.PYPI_TOKEN }}\n",
		"model/config.yaml": "model_name: m\nsecrets:\n  hf_access_token: null\n",
		"deploy/serving.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: serving, namespace: ml}\nspec:\n  template:\n    spec:\n" +
			"      containers:\n      - name: s\n        volumeMounts: [{name: db, mountPath: /db}]\n      volumes:\n      - name: db\n        secret: {secretName: db-credentials, defaultMode: 0400}\n",
		".env.template": "MLFLOW_TRACKING_TOKEN=\n",
	}
	inv := `[[secret]]
name = "registry-push"
store = "ci"
location = "REGISTRY_TOKEN"

[[secret]]
name = "huggingface"
store = "truss"
location = "baseten:hf_access_token"

[[secret]]
name = "serving-db"
store = "k8s"
location = "ml/db-credentials"

[[secret]]
name = "tracking"
store = "vault"
location = "secret/data/mlflow/mlflow-tracking-token"

[[secret]]
name = "pypi-upload"
store = "aws-secrets-manager"
location = "PYPI_TOKEN"
`
	check := func(t *testing.T, dir string) []string {
		t.Helper()
		r := runCLI(t, cliOpts{}, "inventory", "check", "--now", "2026-11-01", "--format", "json", dir)
		if r.code != exitFindings && r.code != exitClean {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		var got []string
		for _, f := range decodeFindings(t, r.stdout) {
			if f.RuleID == "inventory-missing-entry" || f.RuleID == "inventory-unused" {
				rel, _ := filepath.Rel(dir, f.Path)
				got = append(got, f.RuleID+" "+filepath.ToSlash(rel)+":"+strconv.Itoa(f.Line))
			}
		}
		sort.Strings(got)
		return got
	}

	files := map[string]string{"secrets.toml": inv}
	for k, v := range tree {
		files[k] = v
	}
	dir := writeTree(t, files)
	// Only the ARN-store entry stays apart from the workflow's PYPI_TOKEN.
	want := []string{
		"inventory-missing-entry .github/workflows/release.yml:11",
		"inventory-unused secrets.toml:21",
	}
	if d := cmp.Diff(want, check(t, dir)); d != "" {
		t.Errorf("cross-check (-want +got):\n%s", d)
	}

	// Another namespace's Secret of the same name is another secret.
	files["secrets.toml"] = strings.Replace(inv, `"ml/db-credentials"`, `"staging/db-credentials"`, 1)
	dir = writeTree(t, files)
	want = []string{
		"inventory-missing-entry .github/workflows/release.yml:11",
		"inventory-missing-entry deploy/serving.yaml:12",
		"inventory-unused secrets.toml:11",
		"inventory-unused secrets.toml:21",
	}
	if d := cmp.Diff(want, check(t, dir)); d != "" {
		t.Errorf("cross-check, other namespace (-want +got):\n%s", d)
	}

	// init writes the location of keyed stores, and its draft links.
	dir = writeTree(t, tree)
	r := runCLI(t, cliOpts{}, "inventory", "init", "-o", "-", dir)
	if r.code != exitClean {
		t.Fatalf("init: exit %d\n%s", r.code, r.stderr)
	}
	for _, line := range []string{`location = "REGISTRY_TOKEN"`, `location = "PYPI_TOKEN"`, `location = "hf_access_token"`,
		`location = "ml/db-credentials"`, `location = "MLFLOW_TRACKING_TOKEN"`} {
		if !strings.Contains(r.stdout, line+"\n") {
			t.Errorf("draft lacks %s:\n%s", line, r.stdout)
		}
	}
	// Renamed entries still link through the locations init wrote.
	renamed := regexp.MustCompile(`(?m)^name = "([^"]+)"$`).ReplaceAllString(r.stdout, `name = "renamed-$1"`)
	if err := os.WriteFile(filepath.Join(dir, "secrets.toml"), []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := check(t, dir); len(got) != 0 {
		t.Errorf("the renamed draft does not link by location: %v", got)
	}
}
