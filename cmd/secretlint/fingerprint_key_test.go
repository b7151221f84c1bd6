package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/fingerprint"
)

// keyedFinding is the part of a JSON finding these tests read.
type keyedFinding struct {
	Path        string `json:"path"`
	Secret      string `json:"secret"`
	Fingerprint string `json:"fingerprint"`
	SecretHash  string `json:"secret_hash"`
}

func keyedFindings(t *testing.T, out string) []keyedFinding {
	t.Helper()
	var rep struct {
		Findings []keyedFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	return rep.Findings
}

// TestBaselineMakesAKey runs 'secretlint baseline' on a project without a
// fingerprint key: it writes one (0600, next to the baseline, never
// printed), the baseline is keyed, and the next scan finds the key and
// matches.
func TestBaselineMakesAKey(t *testing.T) {
	a, b := githubPAT(61), awsKeyID(62)
	dir := writeTree(t, map[string]string{"app.py": "A = \"" + a + "\"\n", "k.env": "KEY=" + b + "\n"})
	// The layout 'secretlint baseline' makes when run at a project's root:
	// the baseline and the key at the root, found there by later scans.
	bl := filepath.Join(dir, baselineFileName)
	r := runCLI(t, cliOpts{}, "baseline", "--baseline-file", bl, dir)
	keyFile := filepath.Join(dir, fingerprint.FileName)
	if r.code != exitClean || !strings.Contains(r.stderr, keyFile) || !strings.Contains(r.stderr, "do not commit") {
		t.Fatalf("baseline: exit %d; want a note naming the new key file %s\n%s", r.code, keyFile, r.stderr)
	}
	fi, err := os.Stat(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, want 0600", fi.Mode().Perm())
	}
	keyText, _ := os.ReadFile(keyFile)
	key := strings.TrimSpace(string(keyText))
	data, _ := os.ReadFile(bl)
	k, err := fingerprint.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"key_id": "`+k.ID()+`"`) {
		t.Errorf("baseline does not record the key id %s:\n%s", k.ID(), data)
	}
	outputs := []string{r.stdout, r.stderr, string(data)}

	// The key file is scanned like any file and is no finding itself.
	r = runCLI(t, cliOpts{}, "scan", "--format", "json", dir)
	rep := decodeReport(t, r.stdout)
	if r.code != exitClean || rep.Stats.Suppressed != 2 || len(rep.Stale) != 0 || len(rep.Findings) != 0 {
		t.Errorf("scan with the baseline: exit %d, suppressed %d, stale %v, findings %+v\n%s", r.code, rep.Stats.Suppressed, rep.Stale, rep.Findings, r.stderr)
	}
	outputs = append(outputs, r.stdout, r.stderr)

	// The report's fingerprints are the keyed ones: not today's unkeyed
	// form, which anyone could compute from a guess.
	r = runCLI(t, cliOpts{}, "scan", "--format", "json", "--no-baseline", "--show-secrets", dir)
	fs := keyedFindings(t, r.stdout)
	if len(fs) != 2 {
		t.Fatalf("%d findings, want 2\n%s", len(fs), r.stderr)
	}
	for _, f := range fs {
		parts := strings.Split(f.Fingerprint, ":")
		rule := parts[len(parts)-2]
		if f.Fingerprint != k.Fingerprint(rule, f.Path, f.Secret) || f.SecretHash != k.SecretHash(f.Secret) {
			t.Errorf("%s: fingerprint %s, secret_hash %q; want them keyed with the generated key", f.Path, f.Fingerprint, f.SecretHash)
		}
	}
	outputs = append(outputs, r.stdout, r.stderr)

	// A second baseline run keeps the key (a new one would unmatch the
	// baselines already committed).
	r = runCLI(t, cliOpts{}, "baseline", "--baseline-file", bl, dir)
	if again, _ := os.ReadFile(keyFile); string(again) != string(keyText) || strings.Contains(r.stderr, "new fingerprint key") {
		t.Errorf("the second baseline replaced the key\n%s", r.stderr)
	}
	outputs = append(outputs, r.stdout, r.stderr)
	for _, o := range outputs {
		if strings.Contains(o, key) {
			t.Fatalf("the key is printed:\n%s", o)
		}
	}
}

// TestUnkeyedBaselineAfterTheChange scans, with a project key, the tree
// that baseline/testdata/v1-unkeyed.json was written for by a secretlint
// without keys: it still suppresses every finding and says the file
// should be rewritten; 'secretlint baseline' rewrites it keyed.
func TestUnkeyedBaselineAfterTheChange(t *testing.T) {
	a, b := "AKIA"+"QH746YNG"+"7BY3A4RO", "AKIA"+"ZQ2R5T7W"+"YX3B4C6D"
	dir := writeTree(t, map[string]string{
		"app/settings.py": "# settings\nAWS_ACCESS_KEY_ID = \"" + a + "\"\nBACKUP_KEY_ID = \"" + b + "\"\n",
		"deploy/prod.env": "AWS_ACCESS_KEY_ID=" + a + "\n",
	})
	old, err := os.ReadFile("../../baseline/testdata/v1-unkeyed.json")
	if err != nil {
		t.Fatal(err)
	}
	bl := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(bl, old, 0o600); err != nil {
		t.Fatal(err)
	}
	const key = "ci-held-project-key-0123456789"
	env := cliOpts{env: map[string]string{fingerprint.EnvVar: key}}
	r := runCLI(t, env, "scan", "--format", "json", "--baseline", bl, dir)
	rep := decodeReport(t, r.stdout)
	if r.code != exitClean || rep.Stats.Suppressed != 3 || len(rep.Findings) != 0 || len(rep.Stale) != 0 {
		t.Fatalf("old baseline, keyed scan: exit %d, suppressed %d, findings %d, stale %v\n%s", r.code, rep.Stats.Suppressed, len(rep.Findings), rep.Stale, r.stderr)
	}
	if !strings.Contains(r.stderr, "3 entries are unkeyed fingerprints") {
		t.Errorf("no note about the unkeyed entries:\n%s", r.stderr)
	}
	r = runCLI(t, env, "baseline", "--baseline-file", bl, dir)
	if r.code != exitClean || strings.Contains(r.stderr, "new fingerprint key") {
		t.Fatalf("rewrite: exit %d (the key comes from %s; none may be generated)\n%s", r.code, fingerprint.EnvVar, r.stderr)
	}
	now, _ := os.ReadFile(bl)
	if strings.Contains(string(now), "55b751c3b2412443") || !strings.Contains(string(now), "key_id") {
		t.Errorf("rewritten baseline is not keyed:\n%s", now)
	}
	r = runCLI(t, env, "scan", "--format", "json", "--baseline", bl, dir)
	if rep := decodeReport(t, r.stdout); r.code != exitClean || rep.Stats.Suppressed != 3 || strings.Contains(r.stderr, "unkeyed") {
		t.Errorf("rewritten baseline: exit %d, suppressed %d\n%s", r.code, rep.Stats.Suppressed, r.stderr)
	}
	// CI without the key is told why nothing matches.
	r = runCLI(t, cliOpts{}, "scan", "--baseline", bl, dir)
	if r.code != exitFindings || !strings.Contains(r.stderr, fingerprint.EnvVar) {
		t.Errorf("keyed baseline, scan without a key: exit %d, want 1 and a warning naming %s\n%s", r.code, fingerprint.EnvVar, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(bl), fingerprint.FileName)); err == nil {
		t.Error("a key file was written although the key came from the environment")
	}
}

// TestSecretHashAcrossTargets: the same secret in a directory and in a git
// history has one secret_hash under one key, with redaction on, in JSON
// and SARIF; no report field lets a guess be confirmed with plain SHA-256;
// without a key there is no secret_hash.
func TestSecretHashAcrossTargets(t *testing.T) {
	tok := githubPAT(71)
	dir := writeTree(t, map[string]string{"a/app.py": "TOKEN = \"" + tok + "\"\n", "b/other.env": "GH=" + tok + "\n"})
	repo := newGitRepo(t)
	repo.write("deploy.sh", "export GH_TOKEN="+tok+"\n")
	repo.commit("deploy script")

	const key = "shard-merge-project-key-0123456789"
	env := cliOpts{env: map[string]string{fingerprint.EnvVar: key}}
	files := runCLI(t, env, "scan", "--format", "json", "--no-policy", dir)
	hist := runCLI(t, env, "git", "--format", "json", repo.dir)
	sarif := runCLI(t, env, "scan", "--format", "sarif", "--no-policy", dir)
	var all []keyedFinding
	for _, r := range []cliRun{files, hist} {
		if r.code != exitFindings {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		all = append(all, keyedFindings(t, r.stdout)...)
	}
	if len(all) != 3 {
		t.Fatalf("%d findings, want 3 (two files, one commit): %+v", len(all), all)
	}
	for _, f := range all {
		if f.SecretHash == "" || f.SecretHash != all[0].SecretHash {
			t.Errorf("%s: secret_hash %q, want %q as in %s", f.Path, f.SecretHash, all[0].SecretHash, all[0].Path)
		}
		if f.Secret == tok {
			t.Errorf("%s: the secret is not redacted", f.Path)
		}
	}
	if !strings.Contains(sarif.stdout, `"secretlint/secret_hash/v1": "`+all[0].SecretHash+`"`) {
		t.Errorf("SARIF partialFingerprints lack the secret hash")
	}
	sum := sha256.Sum256([]byte(tok))
	plain := hex.EncodeToString(sum[:])
	ruled := sha256.Sum256([]byte("github-pat\x00" + tok))
	for _, r := range []cliRun{files, hist, sarif} {
		for _, leak := range []string{tok, key, plain, plain[:16], hex.EncodeToString(ruled[:8])} {
			if strings.Contains(r.stdout+r.stderr, leak) {
				t.Errorf("a report holds %q, which names the secret or the key without the key", leak)
			}
		}
	}

	r := runCLI(t, cliOpts{}, "scan", "--format", "json", "--no-policy", dir)
	if strings.Contains(r.stdout, "secret_hash") {
		t.Errorf("a scan without a key writes secret_hash:\n%s", r.stdout)
	}
	r = runCLI(t, cliOpts{env: map[string]string{fingerprint.EnvVar: "short-key"}}, "scan", dir)
	if r.code != exitUsage || strings.Contains(r.stderr, "short-key") || !strings.Contains(r.stderr, fingerprint.EnvVar) {
		t.Errorf("a too short key: exit %d, want 2 naming %s without echoing it\n%s", r.code, fingerprint.EnvVar, r.stderr)
	}
}
