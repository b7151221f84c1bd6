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
	// ignore file keeps the entries of the first two places only (all of a
	// place's entries: gitleaks may report one line under two rules, and
	// its report's order varies from run to run); both tools must leave
	// the same places unsuppressed.
	r.write(".gitleaks.toml", "[extend]\nuseDefault = true\n\n[[allowlists]]\ndescription = \"documentation samples\"\npaths = ['''^docs/''']\n")
	var places []string
	byPlace := map[string][]string{}
	for _, f := range gl {
		p := place{f.Commit, f.File, f.StartLine}.String()
		if byPlace[p] == nil {
			places = append(places, p)
		}
		byPlace[p] = append(byPlace[p], f.Fingerprint+"\n")
	}
	sort.Strings(places)
	var kept strings.Builder
	for _, p := range places[:2] {
		for _, fp := range byPlace[p] {
			kept.WriteString(fp)
		}
	}
	r.write(".gitleaksignore", kept.String())
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

// compareUnsuppressed runs both tools over repo and returns the places only
// one of them reports, and how many each reports.
func compareUnsuppressed(t *testing.T, bin, repo string) (onlyGL, onlySL []string, nGL, nSL int) {
	t.Helper()
	glLeft := map[place]string{}
	for _, f := range runGitleaks(t, bin, repo) {
		glLeft[place{f.Commit, f.File, f.StartLine}] = f.RuleID
	}
	slLeft := secretlintPlaces(t, repo)
	for p, rule := range glLeft {
		if _, ok := slLeft[p]; !ok {
			onlyGL = append(onlyGL, p.String()+" "+rule)
		}
	}
	for p, rule := range slLeft {
		if _, ok := glLeft[p]; !ok {
			onlySL = append(onlySL, p.String()+" "+rule)
		}
	}
	sort.Strings(onlyGL)
	sort.Strings(onlySL)
	return onlyGL, onlySL, len(glLeft), len(slLeft)
}

// TestGitleaksMigrationConfig moves a gitleaks configuration that uses what
// gitleaks configurations use: disabledRules, a [[rules]] override by id
// with its own allowlist, targetRules, regexTarget = "line" and "match",
// and a .gitleaksignore from a gitleaks run. Each part is checked to
// suppress something in gitleaks, and both tools must leave the same
// credentials unsuppressed, but for the one difference named below.
func TestGitleaksMigrationConfig(t *testing.T) {
	bin := findGitleaks(t)
	r := newGitRepo(t)
	r.write("README.md", "# service\n")
	r.commit("start")
	r.write("config/settings.py", "AWS_ACCESS_KEY_ID = \""+awsKeyID(121)+"\"\n")
	r.commit("settings")
	r.write("keys/server.pem", pemKey(122)+"\n")
	r.commit("server key")
	r.write("docs/setup.md", "export GITHUB_TOKEN="+githubPAT(123)+"  # docs-example\n")
	r.commit("setup docs")
	sample := githubPAT(124)
	r.write("tests/fixtures.txt", "token: "+sample+"\n")
	r.commit("fixtures")
	r.write("deploy/release.sh", "#!/bin/sh\nexport GITHUB_TOKEN="+githubPAT(125)+"\nexport AWS_ACCESS_KEY_ID="+awsKeyID(126)+"\n")
	r.commit("release script")
	r.write("deploy/rotate.sh", "#!/bin/sh\nexport GITHUB_TOKEN="+githubPAT(127)+"\n")
	r.commit("rotate script")

	all := runGitleaks(t, bin, r.dir)
	if len(all) < 7 {
		t.Fatalf("gitleaks found %d findings without a config, want at least 7: %+v", len(all), all)
	}
	config := "[extend]\nuseDefault = true\ndisabledRules = [\"private-key\"]\n\n" +
		"[[rules]]\nid = \"aws-access-token\"\n[[rules.allowlists]]\npaths = ['''^config/''']\n\n" +
		"[[allowlists]]\ntargetRules = [\"github-pat\"]\nregexTarget = \"line\"\nregexes = ['''# docs-example''']\n\n" +
		"[[allowlists]]\ntargetRules = [\"github-pat\"]\nregexTarget = \"match\"\nregexes = ['''" + sample[:16] + "''']\n"
	r.write(".gitleaks.toml", config)
	configured := runGitleaks(t, bin, r.dir)
	// Each part of the config drops a finding gitleaks made without it.
	gone := map[string]bool{}
	before := map[place]string{}
	for _, f := range all {
		gone[f.File+" "+f.RuleID] = true
		before[place{f.Commit, f.File, f.StartLine}] = f.RuleID
	}
	for _, f := range configured {
		gone[f.File+" "+f.RuleID] = false
	}
	for _, f := range []string{"keys/server.pem private-key", "config/settings.py aws-access-token", "docs/setup.md github-pat", "tests/fixtures.txt github-pat"} {
		if !gone[f] {
			t.Errorf("gitleaks still reports %s with the config: the test's config does not do what it means to", f)
		}
	}
	onlyGL, onlySL, nGL, nSL := compareUnsuppressed(t, bin, r.dir)
	t.Logf("with the config: gitleaks %d unsuppressed, secretlint %d; only gitleaks %v; only secretlint %v", nGL, nSL, onlyGL, onlySL)
	if len(onlySL) > 0 {
		t.Errorf("with the config secretlint reports what gitleaks suppresses: %v", onlySL)
	}
	for _, p := range onlyGL {
		// The one known difference: where an allowlist that targets a
		// specific rule drops gitleaks' finding, gitleaks' generic-api-key
		// reports the same secret in its place (the allowlist does not
		// target it); secretlint's generic rule yields to the specific
		// rule whether or not that is then allowlisted.
		at, rule, _ := strings.Cut(p, " ")
		was := ""
		for q, id := range before {
			if q.String() == at {
				was = id
			}
		}
		if rule != "generic-api-key" || was == "" || was == "generic-api-key" {
			t.Errorf("with the config gitleaks reports what secretlint suppresses: %s (without the config gitleaks reported %q there)", p, was)
		}
	}

	// The ignore file from a gitleaks run with the config: the entry for
	// the release script's token.
	var ignore []string
	for _, f := range configured {
		if f.File == "deploy/release.sh" && f.RuleID == "github-pat" {
			ignore = append(ignore, f.Fingerprint)
		}
	}
	if len(ignore) != 1 {
		t.Fatalf("gitleaks' github-pat findings in deploy/release.sh: %d, want 1: %+v", len(ignore), configured)
	}
	r.write(".gitleaksignore", strings.Join(ignore, "\n")+"\n")
	onlyGL2, onlySL2, nGL2, nSL2 := compareUnsuppressed(t, bin, r.dir)
	t.Logf("with the config and .gitleaksignore: gitleaks %d unsuppressed, secretlint %d; only gitleaks %v; only secretlint %v", nGL2, nSL2, onlyGL2, onlySL2)
	if len(onlySL2) > 0 || len(onlyGL2) != len(onlyGL) || nGL2 != nGL-1 || nSL2 != nSL-1 {
		t.Errorf("the ignore entry did not suppress one finding in each tool: gitleaks %d→%d, secretlint %d→%d; only secretlint %v", nGL, nGL2, nSL, nSL2, onlySL2)
	}
	res := runCLI(t, cliOpts{}, "git", "--format", "json", "--no-policy", r.dir)
	if stale := readReport(t, res.stdout).Stale; len(stale) != 0 {
		t.Errorf("the ignore file's entry is reported stale: %v", stale)
	}
}
