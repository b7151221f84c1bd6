package baseline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/files"
)

// oldTree writes the tree that testdata/v1-unkeyed.json was recorded from
// (by 'secretlint baseline .' before fingerprints had keys): two files,
// one AWS key ID in both, another in one. The keys are fake, assembled
// here so this file holds none.
func oldTree(t *testing.T) string {
	t.Helper()
	a, b := "AKIA"+"QH746YNG"+"7BY3A4RO", "AKIA"+"ZQ2R5T7W"+"YX3B4C6D"
	dir := t.TempDir()
	for name, body := range map[string]string{
		"app/settings.py": "# settings\nAWS_ACCESS_KEY_ID = \"" + a + "\"\nBACKUP_KEY_ID = \"" + b + "\"\n",
		"deploy/prod.env": "AWS_ACCESS_KEY_ID=" + a + "\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func scanTree(t *testing.T, dir string, k *fingerprint.Key) []scan.Finding {
	t.Helper()
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	col := &scan.Collector{}
	eng := scan.NewEngine(set, scan.WithFingerprintKey(k))
	if err := files.New([]string{dir}).Scan(context.Background(), eng, col); err != nil {
		t.Fatal(err)
	}
	fs := col.Findings()
	if len(fs) != 3 {
		t.Fatalf("scan found %d findings, want the 3 the old baseline records: %v", len(fs), fs)
	}
	return fs
}

func testKey(t *testing.T, s string) *fingerprint.Key {
	t.Helper()
	k, err := fingerprint.NewKey([]byte(s), "test")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A baseline written before fingerprints had keys still suppresses the
// findings it recorded when the project gets a key, and says so; once
// rewritten it holds keyed hashes only, with the key's id.
func TestUnkeyedBaselineMatchesKeyedScan(t *testing.T) {
	dir := oldTree(t)
	old, err := Load("testdata/v1-unkeyed.json")
	if err != nil {
		t.Fatal(err)
	}
	k := testKey(t, "a-new-project-key-0123456789")
	fs := scanTree(t, dir, k)
	for _, f := range fs {
		if f.Fingerprint == fingerprint.Unkeyed(f.RuleID, f.Path, f.Secret) {
			t.Fatalf("scan with a key gave the unkeyed fingerprint %s", f.Fingerprint)
		}
	}
	kept, n, stale := old.FilterUnder(fs, []string{dir})
	if n != 3 || len(kept) != 0 || len(stale) != 0 {
		t.Fatalf("old baseline with a keyed scan: suppressed %d, kept %v, stale %v; want all 3 suppressed", n, kept, stale)
	}
	if old.Unkeyed() != 3 {
		t.Errorf("Unkeyed() = %d, want 3 entries in the old form", old.Unkeyed())
	}
	if msg := old.KeyMismatch(k); msg != "" {
		t.Errorf("a baseline without a key id warns: %s", msg)
	}

	// Without a key the old baseline matches as it always did.
	plain, _ := Load("testdata/v1-unkeyed.json")
	if _, n, _ := plain.FilterUnder(scanTree(t, dir, nil), []string{dir}); n != 3 || plain.Unkeyed() != 0 {
		t.Errorf("without a key: suppressed %d, unkeyed %d; want 3 and 0", n, plain.Unkeyed())
	}

	// Rewritten, as 'secretlint baseline' does: paths relative to the tree.
	rel := make([]scan.Finding, len(fs))
	for i, f := range fs {
		rel[i], _ = Relative(f, dir)
	}
	var buf bytes.Buffer
	if err := WriteKeyed(&buf, rel, k); err != nil {
		t.Fatal(err)
	}
	oldText, _ := os.ReadFile("testdata/v1-unkeyed.json")
	for _, h := range []string{"55b751c3b2412443", "fd00065b18aaa9f9"} {
		if !bytes.Contains(oldText, []byte(h)) {
			t.Fatalf("testdata lost hash %s", h)
		}
		if strings.Contains(buf.String(), h) {
			t.Errorf("rewritten baseline still holds the unkeyed hash %s:\n%s", h, buf.String())
		}
	}
	if !strings.Contains(buf.String(), `"key_id": "`+k.ID()+`"`) {
		t.Errorf("rewritten baseline does not name its key:\n%s", buf.String())
	}
	nb, err := Parse("new.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if _, n, stale := nb.FilterUnder(scanTree(t, dir, k), []string{dir}); n != 3 || len(stale) != 0 || nb.Unkeyed() != 0 {
		t.Errorf("rewritten baseline: suppressed %d, stale %v, unkeyed %d", n, stale, nb.Unkeyed())
	}
	// The keyed entries do not match a scan with another key, and the
	// baseline says why.
	other := testKey(t, "somebody-else's-key-0123456789")
	if _, n, _ := nb.FilterUnder(scanTree(t, dir, other), []string{dir}); n != 0 {
		t.Errorf("keyed baseline matched %d findings of a scan with another key", n)
	}
	for _, tc := range []struct {
		k    *fingerprint.Key
		want string
	}{{nil, fingerprint.EnvVar}, {other, other.ID()}, {k, ""}} {
		msg := nb.KeyMismatch(tc.k)
		switch {
		case tc.want == "" && msg != "":
			t.Errorf("KeyMismatch(the baseline's own key) = %q, want none", msg)
		case tc.want != "" && (!strings.Contains(msg, tc.want) || !strings.Contains(msg, k.ID())):
			t.Errorf("KeyMismatch(%v) = %q, want a message naming %q and the baseline's key id", tc.k, msg, tc.want)
		}
	}
}

// A secretlint fingerprint copied into .gitleaksignore from a report made
// without a key keeps working once the project has one.
func TestGitleaksIgnoreUnkeyedFingerprint(t *testing.T) {
	k := testKey(t, "ignore-test-key-0123456789")
	f := scan.Finding{RuleID: "demo", Location: scan.Location{Path: "c.py", Line: 9}, Secret: "s"}
	f.Fingerprint = k.Fingerprint(f.RuleID, f.Path, f.Secret)
	ig := ParseGitleaksIgnore([]byte(scan.Fingerprint("demo", "c.py", "s") + "\n"))
	if !ig.Matches(f) {
		t.Error("unkeyed fingerprint in .gitleaksignore does not match a keyed finding")
	}
	g := f
	g.Secret = "t"
	g.Fingerprint = k.Fingerprint(g.RuleID, g.Path, g.Secret)
	if ig.Matches(g) {
		t.Error("matched a finding with another secret")
	}
}
