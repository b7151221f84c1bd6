package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"gopkg.in/yaml.v3"
)

// copyInto copies the repository files rel (relative to the module root)
// into dir at dest.
func copyInto(t *testing.T, root, dir string, files map[string]string) {
	t.Helper()
	for rel, dest := range files {
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, dest)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// lintWorkflows runs actionlint over the project at dir, with shellcheck
// on the run: scripts when it is installed.
func lintWorkflows(t *testing.T, dir string) []*actionlint.Error {
	t.Helper()
	opts := &actionlint.LinterOptions{WorkingDir: dir}
	if p, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = p
	}
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, opts)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintRepository(dir)
	if err != nil {
		t.Fatalf("actionlint: %v", err)
	}
	return errs
}

// TestGitHubActionLints checks action.yml and the example workflow with
// actionlint, the way a workflow in a user's repository sees them: the
// workflow's `with:` keys must be inputs the action declares.
func TestGitHubActionLints(t *testing.T) {
	root := moduleRoot(t)
	dir := t.TempDir()
	// actionlint finds the project by its .git directory.
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	copyInto(t, root, dir, map[string]string{
		"action.yml":                   "action.yml",
		"ci/github/install.sh":         "ci/github/install.sh",
		"ci/github/scan.sh":            "ci/github/scan.sh",
		"examples/github-workflow.yml": ".github/workflows/secretlint.yml",
	})
	for _, e := range lintWorkflows(t, dir) {
		t.Errorf("actionlint: %s:%d:%d: %s [%s]", e.Filepath, e.Line, e.Column, e.Message, e.Kind)
	}

	// The check is real: an input the action does not declare is caught.
	wf := filepath.Join(dir, ".github/workflows/secretlint.yml")
	data, _ := os.ReadFile(wf)
	os.WriteFile(wf, bytes.Replace(data, []byte("fail-on: medium"), []byte("fail_on: medium"), 1), 0o644)
	found := false
	for _, e := range lintWorkflows(t, dir) {
		found = found || strings.Contains(e.Message, "fail_on")
	}
	if !found {
		t.Errorf("actionlint did not report the undeclared input fail_on")
	}
}

// TestAuditWorkflowLints checks the sharded-audit example workflow with
// actionlint; an undefined matrix key is caught.
func TestAuditWorkflowLints(t *testing.T) {
	root := moduleRoot(t)
	dir := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	copyInto(t, root, dir, map[string]string{"examples/github-audit-workflow.yml": ".github/workflows/audit.yml"})
	for _, e := range lintWorkflows(t, dir) {
		t.Errorf("actionlint: %s:%d:%d: %s [%s]", e.Filepath, e.Line, e.Column, e.Message, e.Kind)
	}
	wf := filepath.Join(dir, ".github/workflows/audit.yml")
	data, _ := os.ReadFile(wf)
	os.WriteFile(wf, bytes.Replace(data, []byte("matrix.index }}/4"), []byte("matrix.shard }}/4"), 1), 0o644)
	found := false
	for _, e := range lintWorkflows(t, dir) {
		found = found || strings.Contains(e.Message, "shard")
	}
	if !found {
		t.Error("actionlint did not report the undefined matrix.shard")
	}
}

// TestShellScriptsPassShellcheck runs shellcheck on the CI scripts users
// run (the Action's steps, the GitLab template's helper).
func TestShellScriptsPassShellcheck(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		requireRealPart(t, "shellcheck not found")
	}
	root := moduleRoot(t)
	scripts, _ := filepath.Glob(filepath.Join(root, "ci", "*", "*.sh"))
	if len(scripts) == 0 {
		t.Fatal("no scripts under ci/")
	}
	out, err := exec.Command(sc, append([]string{"-s", "bash"}, scripts...)...).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}

// actionScan runs the Action's scan step (ci/github/scan.sh) as the runner
// would, with the given inputs, and returns its outputs.
func actionScan(t *testing.T, bin string, env ...string) (map[string]string, string, int) {
	t.Helper()
	root := moduleRoot(t)
	tmp := t.TempDir()
	outputs := filepath.Join(tmp, "github_output")
	cmd := exec.Command("bash", filepath.Join(root, "ci/github/scan.sh"))
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"RUNNER_TEMP="+tmp, "GITHUB_OUTPUT="+outputs)
	cmd.Env = append(cmd.Env, env...)
	log, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	data, _ := os.ReadFile(outputs)
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			got[k] = v
		}
	}
	return got, string(log), code
}

func TestGitHubActionScanStep(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		requireRealPart(t, "jq not found (GitHub's runners have it)")
	}
	bin := buildCLI(t)
	r := newGitRepo(t)
	r.write("README.md", "# app\n")
	base := r.commit("start")
	tok := githubPAT(61)
	r.write("deploy.sh", "export GITHUB_TOKEN="+tok+"\n")
	head := r.commit("deploy script")

	out, log, code := actionScan(t, bin, "SECRETLINT_COMMAND=git", "SECRETLINT_ARGS=--range "+base+".."+head+" "+r.dir)
	if code != 0 {
		t.Fatalf("scan step exit %d, want 0 so the SARIF upload still runs\n%s", code, log)
	}
	if out["findings"] != "1" || out["exit-code"] != "1" || out["report"] == "" {
		t.Fatalf("outputs %v, want findings=1 exit-code=1 and a report\n%s", out, log)
	}
	sarif, err := os.ReadFile(out["report"])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(sarif, []byte(`"github-pat"`)) || bytes.Contains(sarif, []byte(tok)) {
		t.Errorf("the SARIF report should name github-pat and never hold the token")
	}
	if fi, _ := os.Stat(out["report"]); fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", fi.Mode().Perm())
	}

	// fail-on above the finding's severity: the job passes, the finding is
	// still reported.
	out, log, _ = actionScan(t, bin, "SECRETLINT_COMMAND=git", "SECRETLINT_ARGS="+r.dir, "SECRETLINT_FAIL_ON=critical")
	if out["exit-code"] != "0" || out["findings"] != "1" {
		t.Errorf("fail-on critical: outputs %v, want exit-code=0 findings=1\n%s", out, log)
	}
	// A baseline that holds the finding.
	bl := filepath.Join(t.TempDir(), "baseline.json")
	if res := runCLI(t, cliOpts{}, "baseline", "--git", r.dir, "--output", bl); res.code != exitClean {
		t.Fatalf("baseline: exit %d\n%s", res.code, res.stderr)
	}
	out, log, _ = actionScan(t, bin, "SECRETLINT_COMMAND=git", "SECRETLINT_ARGS="+r.dir, "SECRETLINT_BASELINE="+bl)
	if out["exit-code"] != "0" || out["findings"] != "0" {
		t.Errorf("with the baseline: outputs %v, want exit-code=0 findings=0\n%s", out, log)
	}
	// A command the action does not offer.
	if _, log, code := actionScan(t, bin, "SECRETLINT_COMMAND=rm"); code != 2 || !strings.Contains(log, "command must be") {
		t.Errorf("unknown command: exit %d, want 2 with the reason\n%s", code, log)
	}
}

// gitlabTemplate is the part of ci/gitlab/secretlint.gitlab-ci.yml the test
// runs and checks.
type gitlabTemplate struct {
	Variables map[string]string
	Job       struct {
		Script    []string `yaml:"script"`
		Artifacts struct {
			When    string            `yaml:"when"`
			Reports map[string]string `yaml:"reports"`
		} `yaml:"artifacts"`
	} `yaml:"secretlint"`
}

// runGitLabJob runs the template's script the way a GitLab runner does
// (each line in one shell, stopping at the first failure) in dir.
func runGitLabJob(t *testing.T, tpl gitlabTemplate, bin, dir string, env ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("bash", "-e", "-c", strings.Join(tpl.Job.Script, "\n"))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	for k, v := range tpl.Variables {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}

func TestGitLabTemplate(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(moduleRoot(t), "ci/gitlab/secretlint.gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl gitlabTemplate
	if err := yaml.Unmarshal(data, &tpl); err != nil {
		t.Fatalf("the template is not YAML: %v", err)
	}
	report := tpl.Job.Artifacts.Reports["codequality"]
	if report == "" || tpl.Job.Artifacts.When != "always" || len(tpl.Job.Script) == 0 {
		t.Fatalf("the job must keep a codequality report whatever the outcome: %+v", tpl.Job)
	}
	bin := buildCLI(t)
	r := newGitRepo(t)
	r.write("README.md", "# app\n")
	base := r.commit("start")
	key := awsKeyID(62)
	r.write("deploy.sh", "export AWS_ACCESS_KEY_ID="+key+"\n")
	head := r.commit("deploy script")

	// A merge request pipeline: only the merge request's commits.
	out, code := runGitLabJob(t, tpl, bin, r.dir, "CI_MERGE_REQUEST_DIFF_BASE_SHA="+base, "CI_COMMIT_SHA="+head)
	if code != 1 {
		t.Fatalf("merge request job: exit %d, want 1\n%s", code, out)
	}
	raw, err := os.ReadFile(filepath.Join(r.dir, report))
	if err != nil {
		t.Fatalf("the job wrote no %s: %v\n%s", report, err, out)
	}
	var issues []struct {
		CheckName string `json:"check_name"`
		Location  struct {
			Path string `json:"path"`
		} `json:"location"`
	}
	if err := json.Unmarshal(raw, &issues); err != nil || len(issues) != 1 ||
		issues[0].CheckName != "aws-access-key-id" || issues[0].Location.Path != "deploy.sh" {
		t.Errorf("code quality report: %v %s", err, raw)
	}
	if bytes.Contains(raw, []byte(key)) || strings.Contains(out, key) {
		t.Errorf("the job's report or log holds the key")
	}

	// The merge request's range holds nothing new: the job passes.
	r.write("NOTES.md", "notes\n")
	next := r.commit("notes")
	if out, code := runGitLabJob(t, tpl, bin, r.dir, "CI_MERGE_REQUEST_DIFF_BASE_SHA="+head, "CI_COMMIT_SHA="+next); code != 0 {
		t.Errorf("merge request with no new secret: exit %d, want 0\n%s", code, out)
	}
	// A branch pipeline scans the whole history; SECRETLINT_ARGS passes a
	// baseline through.
	if out, code := runGitLabJob(t, tpl, bin, r.dir, "CI_COMMIT_SHA="+next); code != 1 {
		t.Errorf("branch pipeline: exit %d, want 1 (the key is in the history)\n%s", code, out)
	}
	bl := filepath.Join(t.TempDir(), "baseline.json")
	if res := runCLI(t, cliOpts{}, "baseline", "--git", r.dir, "--output", bl); res.code != exitClean {
		t.Fatalf("baseline: exit %d\n%s", res.code, res.stderr)
	}
	if out, code := runGitLabJob(t, tpl, bin, r.dir, "CI_COMMIT_SHA="+next, "SECRETLINT_ARGS=--baseline "+bl); code != 0 {
		t.Errorf("branch pipeline with a baseline: exit %d, want 0\n%s", code, out)
	}
}
