package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// hookDef is a hook of .pre-commit-hooks.yaml, as the framework reads it.
type hookDef struct {
	ID            string   `yaml:"id" json:"id"`
	Name          string   `yaml:"name" json:"name"`
	Entry         string   `yaml:"entry" json:"entry"`
	Language      string   `yaml:"language" json:"language"`
	PassFilenames *bool    `yaml:"pass_filenames" json:"pass_filenames,omitempty"`
	AlwaysRun     bool     `yaml:"always_run" json:"always_run,omitempty"`
	Types         []string `yaml:"types" json:"types,omitempty"`
}

// localHooks reads this repository's .pre-commit-hooks.yaml and returns a
// .pre-commit-config.yaml running the hooks named by ids with the test's
// binary: the framework calls them as it calls the published hooks (same
// entry arguments, file passing and filters), only the language is system
// so it does not build the module again.
func localHooks(t *testing.T, bin string, ids ...string) string {
	t.Helper()
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var all []hookDef
	if err := yaml.Unmarshal(data, &all); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	var hooks []hookDef
	for _, id := range ids {
		found := false
		for _, h := range all {
			if h.ID != id {
				continue
			}
			found = true
			if !strings.HasPrefix(h.Entry, "secretlint ") || h.Language != "golang" {
				t.Fatalf("hook %s: entry %q, language %q; want the secretlint binary built as a golang hook", id, h.Entry, h.Language)
			}
			h.Entry = bin + strings.TrimPrefix(h.Entry, "secretlint")
			h.Language = "system"
			hooks = append(hooks, h)
		}
		if !found {
			t.Fatalf(".pre-commit-hooks.yaml has no hook %q", id)
		}
	}
	cfg, err := json.Marshal(map[string]any{"repos": []any{map[string]any{"repo": "local", "hooks": hooks}}})
	if err != nil {
		t.Fatal(err)
	}
	return string(cfg) // JSON is YAML
}

// preCommitRepo is a repository whose commits go through the real
// pre-commit framework.
type preCommitRepo struct {
	*gitRepo
	env []string
}

func newPreCommitRepo(t *testing.T, config string) *preCommitRepo {
	t.Helper()
	if _, err := exec.LookPath("pre-commit"); err != nil {
		requireRealPart(t, "pre-commit not found (pip install pre-commit)")
	}
	r := &preCommitRepo{gitRepo: newGitRepo(t)}
	r.env = append(gitEnv(1), "PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "pre-commit-home"), "NO_COLOR=1")
	r.write(".pre-commit-config.yaml", config)
	r.write("README.md", "# project\n")
	r.write(".gitignore", ".secretlint-key\n")
	r.commit("init")
	if out, code := r.exec("pre-commit", "install"); code != 0 {
		t.Fatalf("pre-commit install: exit %d\n%s", code, out)
	}
	return r
}

// exec runs a command in the repository and returns its output and exit code.
func (r *preCommitRepo) exec(name string, args ...string) (string, int) {
	r.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	}
	if err != nil {
		r.t.Fatalf("%s: %v", name, err)
	}
	return string(out), 0
}

// The secretlint hook under the real pre-commit framework: a commit that
// adds a token is blocked and one that does not passes even with a token
// already committed (the commit's lines only); `pre-commit run --all-files`
// and `--files` scan the named files whole and so find that token; a
// commit whose secret is recorded in the root's .secretlint-baseline.json
// passes. The token is never printed.
func TestPreCommitFramework(t *testing.T) {
	bin := buildCLI(t)
	r := newPreCommitRepo(t, localHooks(t, bin, "secretlint"))
	token := githubPAT(71)
	noLeak := func(what, out string) {
		t.Helper()
		if strings.Contains(out, token) {
			t.Errorf("%s: the output holds the token", what)
		}
	}

	r.write("deploy.sh", "#!/bin/sh\nexport GITHUB_TOKEN="+token+"\n")
	r.run("add", "deploy.sh")
	out, code := r.exec("git", "commit", "-m", "deploy script")
	noLeak("blocked commit", out)
	if code == 0 || !strings.Contains(out, "github-pat") || !strings.Contains(out, "the staged changes add a secret") {
		t.Fatalf("commit adding a token: exit %d; want it blocked by the secretlint hook\n%s", code, out)
	}

	// The token lands anyway (--no-verify); a later commit that does not
	// touch it is not blocked by it.
	r.run("commit", "-q", "--no-verify", "-m", "deploy script")
	r.write("README.md", "# project\n\nUsage.\n")
	r.run("add", "README.md")
	if out, code := r.exec("git", "commit", "-m", "docs"); code != 0 {
		t.Errorf("commit adding no secret, with one committed before: exit %d\n%s", code, out)
	}

	out, code = r.exec("pre-commit", "run", "--all-files")
	noLeak("run --all-files", out)
	if code == 0 || !strings.Contains(out, "deploy.sh") || !strings.Contains(out, "the files named hold a secret") {
		t.Errorf("pre-commit run --all-files: exit %d; want the committed token in deploy.sh found\n%s", code, out)
	}
	if out, code := r.exec("pre-commit", "run", "--files", "deploy.sh"); code == 0 || !strings.Contains(out, "deploy.sh") {
		t.Errorf("pre-commit run --files deploy.sh: exit %d; want the token found\n%s", code, out)
	}
	if out, code := r.exec("pre-commit", "run", "--files", "README.md"); code != 0 {
		t.Errorf("pre-commit run --files README.md: exit %d; want a pass\n%s", code, out)
	}

	// A recorded secret: the baseline at the root lets the commit through
	// (and --all-files too), while a second, unrecorded token is still blocked.
	r.write("ci/release.sh", "#!/bin/sh\ncurl -H \"Authorization: token "+githubPAT(72)+"\" https://api.github.com/\n")
	if res := runCLI(t, cliOpts{}, "baseline", "--no-policy", "-o", filepath.Join(r.dir, ".secretlint-baseline.json"), r.dir); res.code != exitClean {
		t.Fatalf("baseline: exit %d\n%s", res.code, res.stderr)
	}
	r.run("add", "ci/release.sh", ".secretlint-baseline.json")
	if out, code := r.exec("git", "commit", "-m", "release script"); code != 0 {
		t.Errorf("commit of a secret recorded in .secretlint-baseline.json: exit %d\n%s", code, out)
	}
	if out, code := r.exec("pre-commit", "run", "--all-files"); code != 0 {
		t.Errorf("pre-commit run --all-files with every secret in the baseline: exit %d\n%s", code, out)
	}
	r.write("ci/release.sh", "#!/bin/sh\ncurl -H \"Authorization: token "+githubPAT(72)+"\" https://api.github.com/\nexport NEXT="+githubPAT(73)+"\n")
	r.run("add", "ci/release.sh")
	if out, code := r.exec("git", "commit", "-m", "next token"); code == 0 || !strings.Contains(out, "ci/release.sh") {
		t.Errorf("commit adding a token the baseline does not hold: exit %d; want it blocked\n%s", code, out)
	}
}

// In a commit, the hook scans only the files pre-commit names: a file the
// user's config excludes from the hook is not scanned, and a commit made
// with `git commit PATH` (git's temporary index) is checked on what it
// commits.
func TestPreCommitNamedFiles(t *testing.T) {
	bin := buildCLI(t)
	hooks := localHooks(t, bin, "secretlint")
	var cfg map[string][]map[string]any
	if err := json.Unmarshal([]byte(hooks), &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["repos"][0]["hooks"].([]any)[0].(map[string]any)["exclude"] = "^fixtures/"
	data, _ := json.Marshal(cfg)
	r := newPreCommitRepo(t, string(data))

	r.write("fixtures/sample.env", "GITHUB_TOKEN="+githubPAT(74)+"\n")
	r.run("add", "fixtures/sample.env")
	if out, code := r.exec("git", "commit", "-m", "fixture"); code != 0 {
		t.Errorf("commit of a file the hook excludes: exit %d\n%s", code, out)
	}
	r.write("app.env", "GITHUB_TOKEN="+githubPAT(75)+"\n")
	r.run("add", "app.env")
	r.run("commit", "-q", "--no-verify", "-m", "app env")
	r.write("app.env", "GITHUB_TOKEN="+githubPAT(75)+"\nOTHER="+githubPAT(76)+"\n")
	if out, code := r.exec("git", "commit", "-m", "more", "app.env"); code == 0 || !strings.Contains(out, "app.env") {
		t.Errorf("git commit app.env adding a token: exit %d; want it blocked\n%s", code, out)
	}
}
