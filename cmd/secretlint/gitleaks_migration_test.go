package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// findGitleaks returns the gitleaks binary: $GITLEAKS, on PATH, or where
// `go install` and the benchmarks put it.
func findGitleaks(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("GITLEAKS"); p != "" {
		return p
	}
	if p, err := exec.LookPath("gitleaks"); err == nil {
		return p
	}
	home, _ := os.UserHomeDir()
	for _, p := range []string{filepath.Join(home, "go", "bin", "gitleaks"), "/tmp/bench/bin/gitleaks"} {
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	requireRealPart(t, "gitleaks not found (go install github.com/zricethezav/gitleaks/v8@v8.30.1)")
	return ""
}

// gitleaksFinding is the part of a gitleaks JSON report finding the
// migration uses.
type gitleaksFinding struct {
	RuleID      string
	File        string
	StartLine   int
	Commit      string
	Fingerprint string
}

// runGitleaks runs `gitleaks git` over repo and returns its findings.
func runGitleaks(t *testing.T, bin, repo string) []gitleaksFinding {
	t.Helper()
	out := filepath.Join(t.TempDir(), "gitleaks.json")
	cmd := exec.Command(bin, "git", "--no-banner", "--exit-code", "0", "--report-format", "json", "--report-path", out, repo)
	cmd.Dir = repo
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gitleaks: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fs []gitleaksFinding
	if err := json.Unmarshal(data, &fs); err != nil {
		t.Fatalf("gitleaks report: %v", err)
	}
	return fs
}

// place is where a credential was found in history.
type place struct {
	commit, path string
	line         int
}

func (p place) String() string { return fmt.Sprintf("%.8s:%s:%d", p.commit, p.path, p.line) }

// secretlintPlaces runs `secretlint git` over repo and returns the
// places of its findings.
func secretlintPlaces(t *testing.T, repo string, args ...string) map[place]string {
	t.Helper()
	r := runCLI(t, cliOpts{}, append([]string{"git", "--format", "json", "--no-policy", repo}, args...)...)
	if r.code != exitClean && r.code != exitFindings {
		t.Fatalf("secretlint git: exit %d\n%s", r.code, r.stderr)
	}
	got := map[place]string{}
	for _, f := range readReport(t, r.stdout).Findings {
		got[place{f.Commit, filepath.ToSlash(f.Path), f.Line}] = f.RuleID
	}
	return got
}

// TestGitleaksMigration moves a repository's gate from gitleaks: the
// .gitleaksignore that a gitleaks report gives suppresses every finding it
// lists in secretlint too, and with the repository's .gitleaks.toml and
// that ignore file both tools leave the same credentials unsuppressed.
func TestGitleaksMigration(t *testing.T) {
	bin := findGitleaks(t)
	r := newGitRepo(t)
	r.write("config/settings.py", "AWS_ACCESS_KEY_ID = \""+awsKeyID(81)+"\"\n")
	r.commit("settings")
	r.write("deploy.sh", "#!/bin/sh\nexport GITHUB_TOKEN="+githubPAT(82)+"\n")
	r.commit("deploy script")
	r.write("keys/server.pem", pemKey(83)+"\n")
	r.commit("server key")
	r.write("docs/example.md", "Set `GITHUB_TOKEN="+githubPAT(84)+"` in your shell.\n")
	r.commit("docs")
	r.write("ci/release.sh", "#!/bin/sh\ncurl -H \"Authorization: token "+githubPAT(85)+"\" https://api.github.com/user\n")
	r.commit("release script")

	// Step 1: gitleaks' report becomes the .gitleaksignore; secretlint
	// then reports nothing gitleaks listed.
	before := secretlintPlaces(t, r.dir)
	gl := runGitleaks(t, bin, r.dir)
	if len(gl) < 4 {
		t.Fatalf("gitleaks found %d findings, want at least 4: %+v", len(gl), gl)
	}
	var ignore strings.Builder
	for _, f := range gl {
		p := place{f.Commit, f.File, f.StartLine}
		if _, ok := before[p]; !ok {
			t.Errorf("gitleaks' %s at %s: secretlint reports nothing there (it found %v)", f.RuleID, p, before)
		}
		ignore.WriteString(f.Fingerprint + "\n")
	}
	r.write(".gitleaksignore", ignore.String())
	after := secretlintPlaces(t, r.dir)
	for _, f := range gl {
		if rule, ok := after[place{f.Commit, f.File, f.StartLine}]; ok {
			t.Errorf("%s (%s) is in .gitleaksignore but secretlint still reports %s there", f.Fingerprint, f.RuleID, rule)
		}
	}
	res := runCLI(t, cliOpts{}, "git", "--format", "json", "--no-policy", r.dir)
	if stale := readReport(t, res.stdout).Stale; len(stale) != 0 {
		t.Errorf("entries of gitleaks' own ignore file reported stale: %v", stale)
	}

	// Step 2: the repository's gitleaks config allowlists docs/, and the
	// ignore file keeps only the first two entries; both tools must leave
	// the same places unsuppressed.
	r.write(".gitleaks.toml", "[extend]\nuseDefault = true\n\n[[allowlists]]\ndescription = \"documentation samples\"\npaths = ['''^docs/''']\n")
	lines := strings.SplitAfter(strings.TrimSpace(ignore.String()), "\n")
	r.write(".gitleaksignore", strings.Join(lines[:2], "")+"\n")
	glLeft := map[place]bool{}
	for _, f := range runGitleaks(t, bin, r.dir) {
		glLeft[place{f.Commit, f.File, f.StartLine}] = true
	}
	slLeft := secretlintPlaces(t, r.dir)
	var onlyGL, onlySL []string
	for p := range glLeft {
		if _, ok := slLeft[p]; !ok {
			onlyGL = append(onlyGL, p.String())
		}
	}
	for p, rule := range slLeft {
		if !glLeft[p] {
			onlySL = append(onlySL, p.String()+" "+rule)
		}
	}
	sort.Strings(onlyGL)
	sort.Strings(onlySL)
	if len(onlyGL) > 0 || len(onlySL) > 0 || len(glLeft) == 0 {
		t.Errorf("unsuppressed credentials differ (gitleaks %d, secretlint %d):\n  only gitleaks: %v\n  only secretlint: %v",
			len(glLeft), len(slLeft), onlyGL, onlySL)
	}
	t.Logf("gitleaks found %d; with the config and a two-entry ignore file both leave %d unsuppressed", len(gl), len(glLeft))
}
