package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigThroughCLI checks .secretlint.toml at the scan root and
// --config, in both formats, change what a scan reports.
func TestConfigThroughCLI(t *testing.T) {
	pat := githubPAT(71)
	team := "team_" + strings.ToLower(githubPAT(72)[4:])
	files := map[string]string{
		"app.py":         "A = \"" + pat + "\"\nT = \"" + team + "\"\n",
		"vendor/lib.py":  "A = \"" + githubPAT(73) + "\"\n",
		"docs/readme.md": "use " + team[:10] + "\n",
	}
	teamRule := `
[[rule]]
id = "team-token"
description = "Team token"
severity = "low"
keywords = ["team_"]
regex = '''\b(team_[a-z0-9]{36})\b'''
secret_group = 1
hint = "Rotate it in the team console."
`
	for _, tc := range []struct {
		name   string
		config string // .secretlint.toml at the root
		extra  []string
		want   []string // rule ids found, in order
		code   int
	}{
		{name: "defaults", want: []string{"github-pat", "github-pat"}, code: exitFindings},
		{name: "disable a built-in rule", config: `disable = ["github-pat"]`, want: nil, code: exitClean},
		{name: "add a rule", config: teamRule, want: []string{"github-pat", "team-token", "github-pat"}, code: exitFindings},
		{name: "global path allowlist", config: "[allowlist]\npaths = ['''^vendor/''', '''/vendor/''']\n", want: []string{"github-pat"}, code: exitFindings},
		{name: "severity override and --fail-on", config: teamRule + "\n[severity]\ngithub-pat = \"info\"\n",
			extra: []string{"--fail-on", "medium"}, want: []string{"github-pat", "team-token", "github-pat"}, code: exitClean},
		{name: "stopword", config: teamRule + "\n[allowlist]\nstopwords = [\"" + team[5:13] + "\"]\n", want: []string{"github-pat", "github-pat"}, code: exitFindings},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := map[string]string{}
			for k, v := range files {
				f[k] = v
			}
			if tc.config != "" {
				f[".secretlint.toml"] = tc.config
			}
			dir := writeTree(t, f)
			r := runCLI(t, cliOpts{}, append(append([]string{"scan", "--no-policy", "--format", "json"}, tc.extra...), dir)...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tc.code, r.stderr)
			}
			var got []string
			for _, fd := range decodeReport(t, r.stdout).Findings {
				got = append(got, fd.RuleID)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
		})
	}
}

func TestGitleaksConfigThroughCLI(t *testing.T) {
	team := "team_" + strings.ToLower(githubPAT(81)[4:])
	dir := writeTree(t, map[string]string{"app.py": "T = \"" + team + "\"\n"})
	cfg := filepath.Join(t.TempDir(), "gitleaks.toml")
	os.WriteFile(cfg, []byte(`title = "team"
[[rules]]
id = "team-token"
description = "Team token"
regex = '''\b(team_[a-z0-9]{36})\b'''
keywords = ["team_"]

[[rules]]
id = "odd"
path = '''\.pem$'''
`), 0o644)
	r := runCLI(t, cliOpts{}, "scan", "--no-policy", "--format", "json", "--config", cfg, dir)
	rep := decodeReport(t, r.stdout)
	if r.code != exitFindings || len(rep.Findings) != 1 || rep.Findings[0].RuleID != "team-token" || rep.Findings[0].Secret == team {
		t.Errorf("exit %d, findings %+v", r.code, rep.Findings)
	}
	if !strings.Contains(r.stderr, "warning: "+cfg+":8: rule \"odd\"") {
		t.Errorf("no warning about the path-only rule:\n%s", r.stderr)
	}
}

// TestConfigErrorsThroughCLI checks a bad config exits 2 naming file, line
// and rule, for scan and baseline.
func TestConfigErrorsThroughCLI(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.txt": "hi\n"})
	cfg := filepath.Join(t.TempDir(), "bad.toml")
	os.WriteFile(cfg, []byte("[[rule]]\nid = \"x\"\nregex = 'x'\nkeyword = ['x']\n"), 0o644)
	for _, cmd := range []string{"scan", "baseline"} {
		t.Run(cmd, func(t *testing.T) {
			args := []string{cmd, "--config", cfg}
			if cmd == "baseline" {
				args = append(args, "--baseline-file", filepath.Join(t.TempDir(), "b.json"))
			}
			r := runCLI(t, cliOpts{}, append(args, dir)...)
			want := cfg + `:4: rule "x": unknown key "rule.keyword"`
			if r.code != exitUsage || !strings.Contains(r.stderr, want) {
				t.Errorf("exit %d, stderr %q, want %q", r.code, r.stderr, want)
			}
		})
	}
	syntax := filepath.Join(t.TempDir(), "syntax.toml")
	os.WriteFile(syntax, []byte("disable = [\n\"a\"\n"), 0o644)
	if r := runCLI(t, cliOpts{}, "scan", "--config", syntax, dir); r.code != exitUsage || !strings.Contains(r.stderr, "syntax.toml:") {
		t.Errorf("syntax error: exit %d, stderr %q", r.code, r.stderr)
	}
}
