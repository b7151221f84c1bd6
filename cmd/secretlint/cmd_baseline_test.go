package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestBaselineFlow runs the CI story: record a baseline, then scans that
// pass on old findings, fail on a new one (even on the same line), survive
// edits above the line, and report entries that no longer match as stale.
func TestBaselineFlow(t *testing.T) {
	a, b, c := githubPAT(51), githubPAT(52), awsKeyID(53)
	dir := writeTree(t, map[string]string{
		"app.py": "A = \"" + a + "\"\nB = \"" + b + "\"\n",
		"k.env":  "KEY=" + c + "\n",
	})
	bl := filepath.Join(t.TempDir(), "baseline.json")
	r := runCLI(t, cliOpts{}, "baseline", "--baseline-file", bl, dir)
	if r.code != exitClean || !strings.Contains(r.stderr, "wrote 3 findings") {
		t.Fatalf("baseline: exit %d\n%s", r.code, r.stderr)
	}
	data, err := os.ReadFile(bl)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{a, b, c} {
		if strings.Contains(string(data), s) {
			t.Fatal("the baseline file holds a raw secret")
		}
	}

	scanJSON := func(t *testing.T) (int, jsonReport) {
		t.Helper()
		r := runCLI(t, cliOpts{}, "scan", "--format", "json", "--baseline", bl, dir)
		return r.code, decodeReport(t, r.stdout)
	}
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("unchanged", func(t *testing.T) {
		code, rep := scanJSON(t)
		if code != exitClean || len(rep.Findings) != 0 || rep.Stats.Suppressed != 3 || len(rep.Stale) != 0 {
			t.Errorf("exit %d, findings %d, suppressed %d, stale %v", code, len(rep.Findings), rep.Stats.Suppressed, rep.Stale)
		}
	})
	t.Run("edits above the line", func(t *testing.T) {
		write("app.py", "# a new header\nimport os\n\n\nA = \""+a+"\"\nB = \""+b+"\"\n")
		if code, rep := scanJSON(t); code != exitClean || len(rep.Findings) != 0 {
			t.Errorf("exit %d, findings %+v", code, rep.Findings)
		}
	})
	t.Run("new secret on the same line", func(t *testing.T) {
		n := githubPAT(54)
		write("app.py", "A = \""+a+"\"; N = \""+n+"\"\nB = \""+b+"\"\n")
		code, rep := scanJSON(t)
		if code != exitFindings || len(rep.Findings) != 1 || rep.Findings[0].Line != 1 {
			t.Errorf("exit %d, findings %+v; want only the new secret on line 1", code, rep.Findings)
		}
	})
	t.Run("stale entries", func(t *testing.T) {
		write("app.py", "A = \""+a+"\"\n")
		code, rep := scanJSON(t)
		if code != exitClean || len(rep.Stale) != 1 || !strings.Contains(rep.Stale[0], "github-pat") {
			t.Errorf("exit %d, stale %v; want the removed B", code, rep.Stale)
		}
		r := runCLI(t, cliOpts{}, "scan", "--baseline", bl, dir)
		if !strings.Contains(r.stdout, "1 stale baseline entry") || !strings.Contains(r.stdout, "stale baseline entry: ") {
			t.Errorf("text report does not name the stale entry:\n%s", r.stdout)
		}
	})
	t.Run("bad baseline file", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.json")
		os.WriteFile(bad, []byte("{not json"), 0o600)
		r := runCLI(t, cliOpts{}, "scan", "--baseline", bad, dir)
		if r.code != exitUsage || !strings.Contains(r.stderr, "bad.json") {
			t.Errorf("exit %d, stderr %q", r.code, r.stderr)
		}
	})
}

// TestBaselineEmptyInput checks the baseline command does not write an
// empty baseline when it read nothing.
func TestBaselineEmptyInput(t *testing.T) {
	bl := filepath.Join(t.TempDir(), "bl.json")
	r := runCLI(t, cliOpts{}, "baseline", "--baseline-file", bl, filepath.Join(t.TempDir(), "missing"))
	if r.code == exitClean {
		t.Errorf("exit 0 on a missing path\n%s", r.stderr)
	}
	if _, err := os.Stat(bl); err == nil {
		t.Error("baseline written for a scan that read nothing")
	}
}

// TestGitleaksIgnore checks a .gitleaksignore at the scan root suppresses
// findings named in gitleaks' form path:rule:line and by our fingerprint.
func TestGitleaksIgnore(t *testing.T) {
	a, b, c := githubPAT(61), githubPAT(62), githubPAT(63)
	dir := writeTree(t, map[string]string{"x.py": "A = \"" + a + "\"\nB = \"" + b + "\"\nC = \"" + c + "\"\n"})
	r := runCLI(t, cliOpts{}, "scan", "--format", "json", dir)
	rep := decodeReport(t, r.stdout)
	if len(rep.Findings) != 3 {
		t.Fatalf("%d findings, want 3", len(rep.Findings))
	}
	f0, f1 := rep.Findings[0], rep.Findings[1]
	ignore := "# known test tokens\n" + f0.Path + ":" + f0.RuleID + ":1\n" + f1.Fingerprint + "\n" +
		"gone.py:github-pat:9\n" // matches nothing: reported as stale
	if err := os.WriteFile(filepath.Join(dir, ".gitleaksignore"), []byte(ignore), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, cliOpts{}, "scan", "--format", "json", dir)
	rep = decodeReport(t, r.stdout)
	if r.code != exitFindings || len(rep.Findings) != 1 || rep.Findings[0].Line != 3 || rep.Stats.Suppressed != 2 {
		t.Errorf("exit %d, findings %+v, suppressed %d; want only line 3", r.code, rep.Findings, rep.Stats.Suppressed)
	}
	if len(rep.Stale) != 1 || !strings.HasSuffix(rep.Stale[0], ".gitleaksignore: gone.py:github-pat:9") {
		t.Errorf("stale = %q, want the entry that matched nothing", rep.Stale)
	}
}

// TestBaselineInTree checks a baseline committed inside the scanned tree
// does not itself read as a secret (its entries name rules such as
// "team-token" next to hashes).
func TestBaselineInTree(t *testing.T) {
	team := "team_" + strings.ToLower(githubPAT(91)[4:])
	dir := writeTree(t, map[string]string{
		"app.py": "T = \"" + team + "\"\n",
		".secretlint.toml": "[[rule]]\nid = \"team-token\"\ndescription = \"Team token\"\nkeywords = [\"team_\"]\n" +
			"regex = '''\\b(team_[a-z0-9]{36})\\b'''\nsecret_group = 1\n",
	})
	bl := filepath.Join(dir, ".secretlint-baseline.json")
	if r := runCLI(t, cliOpts{}, "baseline", "--baseline-file", bl, dir); r.code != exitClean {
		t.Fatalf("baseline: exit %d\n%s", r.code, r.stderr)
	}
	r := runCLI(t, cliOpts{}, "scan", "--format", "json", "--baseline", bl, dir)
	rep := decodeReport(t, r.stdout)
	if r.code != exitClean || len(rep.Findings) != 0 {
		t.Errorf("exit %d, findings %+v", r.code, rep.Findings)
	}
}

// TestGitleaksIgnoreRelative checks entries written relative to the
// scanned directory, as gitleaks writes them, match when the directory is
// scanned by another name; and that an unreadable ignore file is reported.
func TestGitleaksIgnoreRelative(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"sub/x.py":        "A = \"" + githubPAT(95) + "\"\nB = \"" + githubPAT(96) + "\"\n",
		".gitleaksignore": "sub/x.py:github-pat:2\n",
	})
	r := runCLI(t, cliOpts{}, "scan", "--format", "json", dir)
	rep := decodeReport(t, r.stdout)
	if len(rep.Findings) != 1 || rep.Findings[0].Line != 1 {
		t.Errorf("findings %+v; want only line 1", rep.Findings)
	}
	bad := writeTree(t, map[string]string{"x.py": "A = \"" + githubPAT(97) + "\"\n"})
	if err := os.Mkdir(filepath.Join(bad, ".gitleaksignore"), 0o755); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, cliOpts{}, "scan", bad)
	if r.code != exitFindings || !strings.Contains(r.stderr, ".gitleaksignore") {
		t.Errorf("exit %d, stderr %q; want the unreadable ignore file named", r.code, r.stderr)
	}
}

// A JSON report of an earlier run serves as a baseline, for the scan and for
// history scans alike, as gitleaks' own report does for gitleaks.
func TestReportAsBaseline(t *testing.T) {
	a, c := githubPAT(61), awsKeyID(62)
	dir := writeTree(t, map[string]string{"app.py": "A = \"" + a + "\"\n", "k.env": "KEY=" + c + "\n"})
	rep := filepath.Join(t.TempDir(), "report.json")
	if r := runCLI(t, cliOpts{}, "scan", "--format", "json", "--output", rep, dir); r.code != exitFindings {
		t.Fatalf("scan: exit %d, want %d\n%s", r.code, exitFindings, r.stderr)
	}
	r := runCLI(t, cliOpts{}, "scan", "--format", "json", "--baseline", rep, dir)
	if got := decodeReport(t, r.stdout); r.code != exitClean || len(got.Findings) != 0 || got.Stats.Suppressed != 2 {
		t.Errorf("scan --baseline REPORT: exit %d, %d findings, %d suppressed; stderr %s", r.code, len(got.Findings), got.Stats.Suppressed, r.stderr)
	}

	g := newGitRepo(t)
	g.write("app.py", "A = \""+a+"\"\n")
	g.commit("add app")
	grep := filepath.Join(t.TempDir(), "git.json")
	if r := runCLI(t, cliOpts{}, "git", "--format", "json", "--output", grep, g.dir); r.code != exitFindings {
		t.Fatalf("git: exit %d, want %d\n%s", r.code, exitFindings, r.stderr)
	}
	if r := runCLI(t, cliOpts{}, "git", "--baseline", grep, g.dir); r.code != exitClean {
		t.Errorf("git --baseline REPORT: exit %d, want %d\n%s", r.code, exitClean, r.stderr)
	}
	other := filepath.Join(t.TempDir(), "other.json")
	os.WriteFile(other, []byte(`{"tool":"trufflehog","findings":[]}`), 0o600)
	if r := runCLI(t, cliOpts{}, "scan", "--baseline", other, dir); r.code != exitUsage || !strings.Contains(r.stderr, "trufflehog") {
		t.Errorf("another tool's report as baseline: exit %d, stderr %s", r.code, r.stderr)
	}
}

// baseline --output FILE writes the baseline there, not to the default.
func TestBaselineOutputFlag(t *testing.T) {
	dir := writeTree(t, map[string]string{"app.py": "A = \"" + githubPAT(91) + "\"\n"})
	t.Chdir(t.TempDir())
	if r := runCLI(t, cliOpts{}, "baseline", dir, "--output", "b.json"); r.code != exitClean {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat("b.json"); err != nil {
		t.Errorf("baseline --output b.json: %v", err)
	}
	if _, err := os.Stat(".secretlint-baseline.json"); err == nil {
		t.Error("baseline --output b.json also wrote .secretlint-baseline.json")
	}
	if r := runCLI(t, cliOpts{}, "scan", dir, "--baseline", "b.json"); r.code != exitClean {
		t.Errorf("scan with the written baseline: exit %d\n%s", r.code, r.stderr)
	}
}

// A .secretlint-baseline.json at the scan root is used without --baseline,
// by scan and by git (so by the hooks too); --no-baseline turns it off.
func TestCommittedBaselineUsed(t *testing.T) {
	g := newGitRepo(t)
	g.write("app.py", "A = \""+githubPAT(95)+"\"\n")
	g.commit("add app")
	if r := runCLI(t, cliOpts{}, "baseline", g.dir, "--baseline-file", filepath.Join(g.dir, ".secretlint-baseline.json")); r.code != exitClean {
		t.Fatalf("baseline: exit %d\n%s", r.code, r.stderr)
	}
	g.commit("add baseline")
	for _, cmd := range []string{"scan", "git"} {
		r := runCLI(t, cliOpts{}, cmd, g.dir)
		if r.code != exitClean || !strings.Contains(r.stderr, "using baseline") {
			t.Errorf("%s REPO with a committed baseline: exit %d, want %d; stderr %s", cmd, r.code, exitClean, r.stderr)
		}
		if r := runCLI(t, cliOpts{}, cmd, g.dir, "--no-baseline"); r.code != exitFindings {
			t.Errorf("%s REPO --no-baseline: exit %d, want %d", cmd, r.code, exitFindings)
		}
	}
}

// baseline --git records what the history scan reports, deleted secrets
// included, so `secretlint git` on that repository passes until a new one
// is added.
func TestBaselineGit(t *testing.T) {
	g := newGitRepo(t)
	g.write("old.py", "A = \""+githubPAT(96)+"\"\n")
	g.commit("add old")
	g.run("rm", "-q", "old.py")
	g.commit("remove old") // gone from the tree, still in history
	bl := filepath.Join(t.TempDir(), "bl.json")
	if r := runCLI(t, cliOpts{}, "baseline", "--git", g.dir, "--baseline-file", bl); r.code != exitClean || !strings.Contains(r.stderr, "wrote 1 finding") {
		t.Fatalf("baseline --git: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, cliOpts{}, "git", g.dir, "--baseline", bl); r.code != exitClean {
		t.Errorf("git --baseline: exit %d, want %d\n%s", r.code, exitClean, r.stderr)
	}
	g.write("new.py", "B = \""+githubPAT(97)+"\"\n")
	g.commit("add new")
	if r := runCLI(t, cliOpts{}, "git", g.dir, "--baseline", bl); r.code != exitFindings {
		t.Errorf("git --baseline after a new secret: exit %d, want %d", r.code, exitFindings)
	}
}

// baselineEntries reads a baseline file's entries as path:rule.
func baselineEntries(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Findings []struct {
			RuleID      string `json:"rule_id"`
			Path        string `json:"path"`
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	for _, e := range f.Findings {
		if e.Fingerprint != "" {
			t.Errorf("entry %q in the joined form, want rule and path", e.Fingerprint)
		}
		out = append(out, e.Path+":"+e.RuleID)
	}
	sort.Strings(out)
	return out
}

// reportEntries lists a JSON report's findings as path:rule, paths relative
// to dir.
func reportEntries(t *testing.T, rep jsonReport, dir string) []string {
	t.Helper()
	var out []string
	for _, f := range rep.Findings {
		p := f.Path
		if rel, err := filepath.Rel(dir, p); err == nil && filepath.IsAbs(p) {
			p = filepath.ToSlash(rel)
		}
		out = append(out, p+":"+f.RuleID)
	}
	sort.Strings(out)
	return out
}

// TestBaselineRecordsWhatScanReports checks `baseline` and `scan` (and
// `baseline --git` and `git`) produce the same findings for the same tree:
// secrets, hygiene findings, minus what .gitleaksignore and an inline allow
// comment suppress, so the scan with that baseline passes with every
// finding suppressed and no entry stale.
func TestBaselineRecordsWhatScanReports(t *testing.T) {
	g := newGitRepo(t)
	g.write("app.py", "A = \""+githubPAT(71)+"\"\nB = \""+githubPAT(72)+"\"  # secretlint:allow fixture\n")
	g.write("k.env", "KEY="+awsKeyID(73)+"\nT="+githubPAT(74)+"\n")
	g.write("Dockerfile", "FROM alpine\nCOPY .aws/credentials /root/.aws/credentials\n")
	g.write(".gitleaksignore", "k.env:github-pat:2\n")
	g.commit("add app")

	for _, tc := range []struct{ name, scan, baseline, want string }{
		{"files", "scan", "baseline", "Dockerfile:dockerfile-copy-credentials"},
		{"history", "git", "baseline --git", "app.py:github-pat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bl := filepath.Join(t.TempDir(), "bl.json")
			args := append(strings.Fields(tc.baseline), "--baseline-file", bl, g.dir)
			if r := runCLI(t, cliOpts{}, args...); r.code != exitClean {
				t.Fatalf("%s: exit %d\n%s", tc.baseline, r.code, r.stderr)
			}
			r := runCLI(t, cliOpts{}, tc.scan, "--format", "json", "--no-baseline", g.dir)
			if r.code != exitFindings {
				t.Fatalf("%s: exit %d\n%s", tc.scan, r.code, r.stderr)
			}
			scanned := reportEntries(t, decodeReport(t, r.stdout), g.dir)
			if len(scanned) < 2 || !slices.Contains(scanned, tc.want) {
				t.Fatalf("%s found %v, want the fixture's findings, %s among them", tc.scan, scanned, tc.want)
			}
			for _, e := range scanned {
				if strings.HasPrefix(e, "k.env:github-pat") {
					t.Errorf("%s reports %s, which .gitleaksignore names", tc.scan, e)
				}
			}
			if d := cmp.Diff(scanned, baselineEntries(t, bl)); d != "" {
				t.Errorf("%s reports (-) what %s records (+):\n%s", tc.scan, tc.baseline, d)
			}
			r = runCLI(t, cliOpts{}, tc.scan, "--format", "json", "--baseline", bl, g.dir)
			rep := decodeReport(t, r.stdout)
			// The baseline's entries, and the finding .gitleaksignore names.
			if r.code != exitClean || len(rep.Findings) != 0 || rep.Stats.Suppressed != len(scanned)+1 || len(rep.Stale) != 0 {
				t.Errorf("%s --baseline: exit %d, %d findings, %d suppressed (want %d), stale %v",
					tc.scan, r.code, len(rep.Findings), rep.Stats.Suppressed, len(scanned)+1, rep.Stale)
			}
		})
	}
}
