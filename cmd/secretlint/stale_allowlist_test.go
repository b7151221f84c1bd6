package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// staleNaming returns the stale entries that mention s.
func staleNaming(stale []string, s string) []string {
	var out []string
	for _, e := range stale {
		if strings.Contains(e, s) {
			out = append(out, e)
		}
	}
	return out
}

// An allowlist entry in .secretlint.toml that suppresses a finding is not
// stale; one that matches nothing is, named with its file, line and text,
// in the JSON report and on the text report's stderr-free summary.
func TestStaleAllowlistSecretlintConfig(t *testing.T) {
	pat := githubPAT(1301)
	dir := writeTree(t, map[string]string{
		"app.env":     "GITHUB_TOKEN=" + pat + "\n",
		"sub/main.go": "package main\n",
		".secretlint.toml": "[allowlist]\n" +
			"regexes = [\n  '''^ghp_''',\n  '''^never-matches-[0-9]+$''',\n]\n" +
			"stopwords = [\"nowhere-stopword\"]\n",
	})
	res := runCLI(t, cliOpts{}, "scan", "--format", "json", "--no-policy", dir)
	if res.code != 0 {
		t.Fatalf("exit %d, want 0 (the token is allowlisted); stderr: %s", res.code, res.stderr)
	}
	r := decodeReport(t, res.stdout)
	if r.Stats.Suppressed != 0 && len(r.Findings) != 0 {
		t.Fatalf("findings: %+v", r.Findings)
	}
	if got := staleNaming(r.StaleAllowlist, "^ghp_"); len(got) != 0 {
		t.Errorf("the regex that allowlisted the token is reported stale: %v", got)
	}
	got := staleNaming(r.StaleAllowlist, "never-matches")
	if len(got) != 1 || !strings.Contains(got[0], ".secretlint.toml:4: allowlist.regexes") {
		t.Errorf("stale entries naming the unused regex: %q, want one at .secretlint.toml:4; all: %q", got, r.StaleAllowlist)
	}
	if got := staleNaming(r.StaleAllowlist, "nowhere-stopword"); len(got) != 1 || !strings.Contains(got[0], "allowlist.stopwords") {
		t.Errorf("stale entries naming the unused stopword: %q; all: %q", got, r.StaleAllowlist)
	}
	for _, e := range r.StaleAllowlist {
		if strings.Contains(e, pat) {
			t.Errorf("a stale entry quotes the scanned secret: %q", e)
		}
	}

	if len(r.Stale) != 0 {
		t.Errorf("allowlist entries listed as stale baseline entries: %q", r.Stale)
	}

	text := runCLI(t, cliOpts{}, "scan", "--no-policy", dir)
	if !strings.Contains(text.stdout, `stale allowlist entry:`) || !strings.Contains(text.stdout, "never-matches") ||
		!strings.Contains(text.stdout, "2 stale allowlist entries") {
		t.Errorf("the text report does not list the stale regex:\n%s", text.stdout)
	}

	// A partial run does not report it: --enable-rule scans for one rule,
	// a file or a subdirectory is not the whole tree the file is for.
	for _, args := range [][]string{
		{"--enable-rule", "github-pat", dir},
		{filepath.Join(dir, "app.env")},
		{filepath.Join(dir, "sub")},
	} {
		part := runCLI(t, cliOpts{}, append([]string{"scan", "--format", "json", "--no-policy"}, args...)...)
		if got := staleNaming(decodeReport(t, part.stdout).StaleAllowlist, "never-matches"); len(got) != 0 {
			t.Errorf("scan %q reports allowlist entries stale: %v", args, got)
		}
	}
}

// The same for a gitleaks configuration's [[allowlists]] and a rule's own
// allowlist: a path entry that allowlists a file is used, the others are
// stale.
func TestStaleAllowlistGitleaksConfig(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"fixtures/keys.env": "AWS_ACCESS_KEY_ID=" + awsKeyID(1302) + "\n",
		".gitleaks.toml": "[extend]\nuseDefault = true\n\n" +
			"[[allowlists]]\ndescription = \"fixtures\"\npaths = ['''fixtures/keys''']\n\n" +
			"[[allowlists]]\ndescription = \"old vendor dir\"\npaths = ['''^vendor-gone/''']\n",
	})
	res := runCLI(t, cliOpts{}, "scan", "--format", "json", "--no-policy", dir)
	if res.code != 0 {
		t.Fatalf("exit %d, want 0 (the key's file is allowlisted); stdout: %s stderr: %s", res.code, res.stdout, res.stderr)
	}
	r := decodeReport(t, res.stdout)
	if got := staleNaming(r.StaleAllowlist, "fixtures/keys"); len(got) != 0 {
		t.Errorf("the path that allowlisted the file is reported stale: %v", got)
	}
	got := staleNaming(r.StaleAllowlist, "vendor-gone")
	if len(got) != 1 || !strings.Contains(got[0], ".gitleaks.toml:10: allowlists[1].paths") {
		t.Errorf("stale entries naming the unused path: %q, want one at .gitleaks.toml:10; all: %q", got, r.StaleAllowlist)
	}
}

// In a history scan a commits entry that allowlisted a commit is used and
// one for a commit the history does not have is stale; a --range run, which
// sees only part of the history, lists neither.
func TestStaleAllowlistGitCommits(t *testing.T) {
	r := newGitRepo(t)
	r.write("app.env", "GITHUB_TOKEN="+githubPAT(1303)+"\n")
	leak := r.commit("add a token")
	r.write("app.env", "GITHUB_TOKEN=${GITHUB_TOKEN}\n")
	r.commit("read the token from the environment")
	gone := strings.Repeat("ab", 20)
	r.write(".gitleaks.toml", "[extend]\nuseDefault = true\n\n[allowlist]\ncommits = [\n  \""+leak+"\",\n  \""+gone+"\",\n]\n")
	head := r.commit("allowlist the old commit")

	res := runCLI(t, cliOpts{}, "git", "--format", "json", r.dir, "--no-policy")
	if res.code != 0 {
		t.Fatalf("exit %d, want 0 (the leaking commit is allowlisted); stdout: %s stderr: %s", res.code, res.stdout, res.stderr)
	}
	stale := decodeReport(t, res.stdout).StaleAllowlist
	if got := staleNaming(stale, leak); len(got) != 0 {
		t.Errorf("the commit that allowlisted the leak is reported stale: %v", got)
	}
	if got := staleNaming(stale, gone); len(got) != 1 || !strings.Contains(got[0], ".gitleaks.toml:7: allowlist.commits") {
		t.Errorf("stale entries naming the unknown commit: %q, want one at .gitleaks.toml:7; all: %q", got, stale)
	}

	part := runCLI(t, cliOpts{}, "git", "--format", "json", "--range", head+"^.."+head, r.dir)
	if got := staleNaming(decodeReport(t, part.stdout).StaleAllowlist, gone); len(got) != 0 {
		t.Errorf("a --range run reports allowlist entries stale: %v", got)
	}
}

// A stale allowlist entry that writes a credential out (a stopword holding
// a token, in a configuration that allowlists its own path, so no finding
// carries the token) is redacted in every report unless --show-secrets.
func TestStaleAllowlistEntryRedacted(t *testing.T) {
	pat := githubPAT(1304)
	dir := writeTree(t, map[string]string{
		"main.go": "package main\n",
		".secretlint.toml": "[allowlist]\npaths = ['''(?:^|/)\\.secretlint\\.toml$''']\n" +
			"stopwords = [\n  \"" + pat + "\",\n]\n",
	})
	for _, format := range []string{"json", "text", "html"} {
		res := runCLI(t, cliOpts{}, "scan", "--format", format, "--no-policy", dir)
		if strings.Contains(res.stdout, pat) || strings.Contains(res.stderr, pat) {
			t.Errorf("--format %s prints the token of a stale stopword", format)
		}
	}
	r := decodeReport(t, runCLI(t, cliOpts{}, "scan", "--format", "json", "--no-policy", dir).stdout)
	if got := staleNaming(r.StaleAllowlist, ".secretlint.toml:4: allowlist.stopwords"); len(got) != 1 {
		t.Errorf("stale stopword entries: %q, want one at line 4 (redacted)", r.StaleAllowlist)
	}
	shown := runCLI(t, cliOpts{}, "scan", "--format", "json", "--no-policy", "--show-secrets", dir)
	if !strings.Contains(shown.stdout, pat) {
		t.Errorf("--show-secrets hides the stale stopword's text, as written: %s", shown.stdout)
	}
}
