package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// gitRepo is a repository built with the git CLI for a CLI test.
type gitRepo struct {
	t    *testing.T
	dir  string
	tick int
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		requireRealPart(t, "git binary not found")
	}
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.run("init", "-q", "-b", "main")
	return r
}

func gitEnv(tick int) []string {
	date := fmt.Sprintf("%d +0000", 1700000000+tick*1000)
	return append(os.Environ(),
		"GIT_AUTHOR_NAME=Bo Builder", "GIT_AUTHOR_EMAIL=bo@example.test", "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME=Bo Builder", "GIT_COMMITTER_EMAIL=bo@example.test", "GIT_COMMITTER_DATE="+date,
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
}

func (r *gitRepo) run(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = gitEnv(r.tick)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *gitRepo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) commit(msg string) string {
	r.t.Helper()
	r.tick++
	r.run("add", "-A")
	r.run("commit", "-q", "-m", msg)
	return r.run("rev-parse", "HEAD")
}

// gitFinding is the part of a git finding the tests read.
type gitFinding struct {
	RuleID      string `json:"rule_id"`
	Source      string `json:"source"`
	Path        string `json:"path"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	Secret      string `json:"secret"`
	Fingerprint string `json:"fingerprint"`
	Commit      string `json:"commit"`
	Author      string `json:"author"`
	Email       string `json:"email"`
	Date        string `json:"date"`
	Title       string `json:"commit_message"`
	Commits     int    `json:"commits"`
	Paths       int    `json:"paths"`
	InHead      *bool  `json:"in_head"`
}

func gitFindings(t *testing.T, out string) []gitFinding {
	t.Helper()
	var r struct {
		Findings []gitFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	return r.Findings
}

func TestGitCommand(t *testing.T) {
	key := awsKeyID(31)
	r := newGitRepo(t)
	r.write("README.md", "# app\n")
	first := r.commit("init")
	r.write("app/settings.py", "DEBUG = True\nAWS_KEY = \""+key+"\"\n")
	intro := r.commit("add settings")
	for i := 0; i < 3; i++ {
		r.write("app/settings.py", fmt.Sprintf("DEBUG = %d\nAWS_KEY = \"%s\"\n", i, key))
		r.commit(fmt.Sprintf("tune %d", i))
	}
	r.write("app/settings.py", "DEBUG = False\n")
	r.commit("drop the key")

	res := runCLI(t, cliOpts{}, "git", "--format", "json", "--show-secrets", r.dir)
	if res.code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr %s", res.code, exitFindings, res.stderr)
	}
	fs := gitFindings(t, res.stdout)
	if len(fs) != 1 {
		t.Fatalf("%d findings, want one for a secret carried by 4 commits: %+v", len(fs), fs)
	}
	f := fs[0]
	if f.Source != "git" || f.Commit != intro || f.Path != "app/settings.py" || f.Line != 2 || f.Column != 12 ||
		f.Author != "Bo Builder" || f.Email != "bo@example.test" || f.Title != "add settings" ||
		f.Date != "2023-11-14T22:46:40Z" || f.Secret != key {
		t.Errorf("finding %+v", f)
	}
	if f.Commits != 4 || f.Paths != 1 || f.InHead == nil || *f.InHead {
		t.Errorf("commits=%d paths=%d in_head=%v, want 4, 1, false", f.Commits, f.Paths, f.InHead)
	}

	// Redacted by default, in every format.
	for _, format := range []string{"text", "json"} {
		res := runCLI(t, cliOpts{}, "git", "--format", format, r.dir)
		if strings.Contains(res.stdout+res.stderr, key) {
			t.Errorf("%s report shows the secret", format)
		}
	}

	// CI mode: a range after the key was introduced finds nothing new.
	res = runCLI(t, cliOpts{}, "git", "--range", intro+"..HEAD", "--format", "json", r.dir)
	if res.code != exitClean || len(gitFindings(t, res.stdout)) != 0 {
		t.Errorf("range after the key: exit %d, %s", res.code, res.stdout)
	}
	res = runCLI(t, cliOpts{}, "git", "--since-commit", first, "--format", "json", r.dir)
	if res.code != exitFindings {
		t.Errorf("since the parent of the introducing commit: exit %d; %s", res.code, res.stderr)
	}
	res = runCLI(t, cliOpts{}, "git", "--since", "2030-01-01", r.dir)
	if res.code != exitClean {
		t.Errorf("--since in the future: exit %d; %s", res.code, res.stderr)
	}
}

func TestGitCommandUsageAndBadInput(t *testing.T) {
	r := newGitRepo(t)
	r.write("a.txt", "hello\n")
	r.commit("one")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"bad since", []string{"git", "--since", "yesterday-ish", r.dir}, exitUsage},
		{"staged with range", []string{"git", "--staged", "--range", "a..b", r.dir}, exitUsage},
		{"staged with cache", []string{"git", "--staged", "--cache", t.TempDir(), r.dir}, exitUsage},
		{"range single commit", []string{"git", "--range", "main", r.dir}, exitClean},
		{"range root commit", []string{"git", "--range", "main^..main", r.dir}, exitClean},
		{"range new branch", []string{"git", "--range", "0000000000000000000000000000000000000000..main", r.dir}, exitClean},
		{"range unknown ref", []string{"git", "--range", "nope..main", r.dir}, exitInput},
		{"two repositories", []string{"git", r.dir, r.dir}, exitUsage},
		{"unknown ref", []string{"git", "--branch", "no-such-branch", r.dir}, exitInput},
		{"not a repository", []string{"git", t.TempDir()}, exitInput},
		{"clean", []string{"git", r.dir}, exitClean},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, cliOpts{}, tc.args...)
			if res.code != tc.code {
				t.Errorf("exit %d, want %d; stderr %s", res.code, tc.code, res.stderr)
			}
		})
	}
}

func TestGitCommandDamagedHistory(t *testing.T) {
	r := newGitRepo(t)
	r.write("a.txt", "hello\n")
	r.commit("one")
	id := r.run("rev-parse", "HEAD:a.txt")
	os.Remove(filepath.Join(r.dir, "a.txt"))
	if err := os.Remove(filepath.Join(r.dir, ".git", "objects", id[:2], id[2:])); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, cliOpts{}, "git", r.dir)
	if res.code != exitInput || !strings.Contains(res.stderr, id) {
		t.Errorf("missing blob: exit %d (want %d), stderr %s", res.code, exitInput, res.stderr)
	}
}

func TestGitStaged(t *testing.T) {
	key, key2 := awsKeyID(41), awsKeyID(42)
	r := newGitRepo(t)

	// The first commit: there is no HEAD yet.
	r.write("deploy.sh", "#!/bin/sh\nexport AWS_ACCESS_KEY_ID="+key+"\n")
	r.run("add", "deploy.sh")
	res := runCLI(t, cliOpts{}, "git", "--staged", r.dir)
	if res.code != exitFindings {
		t.Fatalf("staged key before the first commit: exit %d; %s %s", res.code, res.stdout, res.stderr)
	}
	if strings.Contains(res.stdout+res.stderr, key) {
		t.Errorf("staged report shows the secret")
	}
	if !strings.Contains(res.stdout, "deploy.sh") || !strings.Contains(res.stderr, "commit blocked") {
		t.Errorf("message does not say where and what to do:\n%s\n%s", res.stdout, res.stderr)
	}

	// Once committed, only added lines count: an unrelated edit passes.
	r.commit("deploy script")
	r.write("deploy.sh", "#!/bin/sh\nset -e\nexport AWS_ACCESS_KEY_ID="+key+"\n")
	r.run("add", "deploy.sh")
	res = runCLI(t, cliOpts{}, "git", "--staged", "--format", "json", r.dir)
	if res.code != exitClean {
		t.Errorf("edit next to an old key: exit %d; %s", res.code, res.stdout)
	}
	r.write("deploy.sh", "#!/bin/sh\nset -e\nexport AWS_ACCESS_KEY_ID="+key+"\nexport BACKUP_KEY="+key2+"\n")
	r.run("add", "deploy.sh")
	res = runCLI(t, cliOpts{}, "git", "--staged", "--format", "json", "--show-secrets", r.dir)
	fs := gitFindings(t, res.stdout)
	if res.code != exitFindings || len(fs) != 1 || fs[0].Secret != key2 || fs[0].Line != 4 {
		t.Errorf("added key: exit %d, findings %+v", res.code, fs)
	}
	// Unstaged changes are not part of the commit.
	r.run("reset", "-q")
	res = runCLI(t, cliOpts{}, "git", "--staged", r.dir)
	if res.code != exitClean {
		t.Errorf("nothing staged: exit %d; %s", res.code, res.stdout)
	}
}

// moduleRoot returns the repository this test file belongs to.
func moduleRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// TestPreCommitHook installs this repository's hook with the real pre-commit
// framework (from a clone of the committed state, built by pre-commit's own
// golang support) and shows it blocks a commit that adds a key.
func TestPreCommitHook(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the hook with pre-commit")
	}
	for _, bin := range []string{"pre-commit", "git", "go"} {
		if _, err := exec.LookPath(bin); err != nil {
			requireRealPart(t, bin+" not found")
		}
	}
	root := moduleRoot(t)
	hookRepo := filepath.Join(t.TempDir(), "secretlint")
	if out, err := exec.Command("git", "clone", "-q", "--no-local", root, hookRepo).CombinedOutput(); err != nil {
		t.Fatalf("clone %s: %v\n%s", root, err, out)
	}
	if _, err := os.Stat(filepath.Join(hookRepo, ".pre-commit-hooks.yaml")); err != nil {
		t.Fatalf("the committed tree has no .pre-commit-hooks.yaml: %v", err)
	}
	rev, err := exec.Command("git", "-C", hookRepo, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}

	r := newGitRepo(t)
	r.write(".pre-commit-config.yaml", fmt.Sprintf("repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: secretlint\n      - id: secretlint-files\n      - id: secretlint-policy\n", hookRepo, strings.TrimSpace(string(rev))))
	r.commit("pre-commit config")

	modCache, _ := exec.Command("go", "env", "GOMODCACHE").Output()
	goCache, _ := exec.Command("go", "env", "GOCACHE").Output()
	env := append(gitEnv(9),
		"PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "pre-commit-home"),
		// Reuse this machine's module and build caches: pre-commit's golang
		// environment would otherwise download and compile everything.
		"GOMODCACHE="+strings.TrimSpace(string(modCache)),
		"GOCACHE="+strings.TrimSpace(string(goCache)),
		"GOFLAGS=-mod=mod")
	run := func(name string, args ...string) (string, int) {
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = r.dir, env
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return string(out), code
	}
	if out, code := run("pre-commit", "install"); code != 0 {
		t.Fatalf("pre-commit install: exit %d\n%s", code, out)
	}

	key := awsKeyID(51)
	r.write("config/prod.env", "AWS_ACCESS_KEY_ID="+key+"\n")
	r.run("add", "config/prod.env")
	start := time.Now()
	out, code := run("git", "commit", "-m", "add prod config")
	t.Logf("blocked commit (including building the hook) took %v; output:\n%s", time.Since(start), out)
	if code != 1 {
		t.Fatalf("commit with a staged AWS key: exit %d, want 1\n%s", code, out)
	}
	if !strings.Contains(out, "config/prod.env") || !strings.Contains(out, "aws-access-key-id") {
		t.Errorf("hook output does not say what and where:\n%s", out)
	}
	if strings.Contains(out, key) {
		t.Errorf("hook output shows the secret:\n%s", out)
	}
	if log := r.run("log", "--format=%s"); strings.Contains(log, "add prod config") {
		t.Errorf("the commit went through")
	}

	r.run("rm", "-q", "--cached", "config/prod.env")
	r.write("README.md", "# project\n")
	r.run("add", "README.md")
	if out, code := run("git", "commit", "-m", "readme"); code != 0 {
		t.Fatalf("clean commit: exit %d\n%s", code, out)
	}

	// The policy hook: a Dockerfile that copies the .env file into the
	// image holds no secret itself, but ships one.
	r.write("Dockerfile", "FROM scratch\nCOPY .env /app/.env\n")
	r.run("add", "Dockerfile")
	out, code = run("git", "commit", "-m", "dockerfile")
	if code != 1 || !strings.Contains(out, "dockerfile-copy-credentials") || !strings.Contains(out, "Dockerfile") {
		t.Fatalf("commit of a Dockerfile that copies .env: exit %d, want 1 from secretlint-policy naming the check\n%s", code, out)
	}
	r.write("Dockerfile", "FROM scratch\nCOPY app /app\n")
	r.run("add", "Dockerfile")
	if out, code := run("git", "commit", "-m", "dockerfile"); code != 0 {
		t.Fatalf("commit of a clean Dockerfile: exit %d\n%s", code, out)
	}

	// A secret committed past the hook: the staged-lines hook cannot see it,
	// the files hook does under --all-files, and a committed baseline
	// quiets it.
	tok := githubPAT(57)
	r.write("app.py", "TOKEN = \""+tok+"\"\n")
	r.run("add", "app.py")
	r.run("commit", "-q", "--no-verify", "-m", "past the hook")
	out, code = run("pre-commit", "run", "--all-files")
	if code != 1 || !strings.Contains(out, "app.py") || strings.Contains(out, tok) {
		t.Fatalf("pre-commit run --all-files with a committed token: exit %d, want 1, naming app.py, never the token\n%s", code, out)
	}
	if res := runCLI(t, cliOpts{}, "baseline", r.dir, "--baseline-file", filepath.Join(r.dir, ".secretlint-baseline.json")); res.code != exitClean {
		t.Fatalf("baseline: exit %d\n%s", res.code, res.stderr)
	}
	r.run("add", ".secretlint-baseline.json")
	if out, code := run("git", "commit", "-m", "baseline the old token"); code != 0 {
		t.Fatalf("committing the baseline: exit %d\n%s", code, out)
	}
	if out, code := run("pre-commit", "run", "--all-files"); code != 0 {
		t.Errorf("pre-commit run --all-files with the token baselined: exit %d, want 0\n%s", code, out)
	}
}
