package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const zeroSHA = "0000000000000000000000000000000000000000"

// ciRange runs ci/range/range.sh with a CI system's variables and returns
// the flags it prints.
func ciRange(t *testing.T, env ...string) []string {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(moduleRoot(t), "ci/range/range.sh"))
	// Only the variables given: the test's own CI must not leak in.
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("range.sh %v: %v\n%s", env, err, out)
	}
	return strings.Fields(string(out))
}

// githubEvent writes an event payload as the runner does at GITHUB_EVENT_PATH.
func githubEvent(t *testing.T, name string, payload map[string]any) []string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "event.json")
	data, _ := json.Marshal(payload)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return []string{"GITHUB_ACTIONS=true", "GITHUB_EVENT_NAME=" + name, "GITHUB_EVENT_PATH=" + p}
}

// cloneAs clones origin the way a CI checkout does (every branch as a
// remote-tracking ref, the whole history) and checks out rev.
func cloneAs(t *testing.T, origin, rev string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "checkout")
	for _, args := range [][]string{
		{"clone", "-q", "--no-local", origin, dir},
		{"-C", dir, "checkout", "-q", "--detach", rev},
	} {
		cmd := exec.Command("git", args...)
		cmd.Env = gitEnv(0)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// The range recipes of docs/ci.md (ci/range/range.sh) against a real
// repository, cloned as each CI system checks it out: each event scans the
// commits it brings and only those. The repository's secrets are one per
// file, so a run is summed up by the files it reports.
//
//	main:    c0 README, c1 old.sh (S1), c2 new.sh (S2), c4 main-only.sh (S4)
//	feature: from c2, c3 feature.sh (S3)
func TestCIRangeRecipes(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		requireRealPart(t, "jq not found (GitHub's runners have it)")
	}
	o := newGitRepo(t)
	o.write("README.md", "# app\n")
	c0 := o.commit("start")
	o.write("old.sh", "export GITHUB_TOKEN="+githubPAT(101)+"\n")
	c1 := o.commit("old script")
	o.write("new.sh", "export GITHUB_TOKEN="+githubPAT(102)+"\n")
	c2 := o.commit("new script")
	o.run("checkout", "-q", "-b", "feature")
	o.write("feature.sh", "export GITHUB_TOKEN="+githubPAT(103)+"\n")
	c3 := o.commit("feature script")
	o.run("checkout", "-q", "main")
	o.write("main-only.sh", "export GITHUB_TOKEN="+githubPAT(104)+"\n")
	c4 := o.commit("main moves on")
	_ = c0

	for _, tc := range []struct {
		name string
		rev  string // what the CI checks out
		env  []string
		want []string
	}{
		{"github push", c4, append(githubEvent(t, "push", map[string]any{"before": c2, "after": c4}), "GITHUB_SHA="+c4), []string{"main-only.sh"}},
		{"github push of two commits", c2, append(githubEvent(t, "push", map[string]any{"before": c0, "after": c2}), "GITHUB_SHA="+c2), []string{"new.sh", "old.sh"}},
		{"github push of a new branch", c3, append(githubEvent(t, "push", map[string]any{"before": zeroSHA, "after": c3}), "GITHUB_SHA="+c3), []string{"feature.sh"}},
		{"github pull_request", c3, githubEvent(t, "pull_request", map[string]any{"pull_request": map[string]any{"base": map[string]any{"sha": c4}, "head": map[string]any{"sha": c3}}}), []string{"feature.sh"}},
		{"gitlab merge request", c3, []string{"GITLAB_CI=true", "CI_MERGE_REQUEST_DIFF_BASE_SHA=" + c2, "CI_COMMIT_SHA=" + c3, "CI_COMMIT_BEFORE_SHA=" + zeroSHA}, []string{"feature.sh"}},
		{"gitlab push", c4, []string{"GITLAB_CI=true", "CI_COMMIT_BEFORE_SHA=" + c2, "CI_COMMIT_SHA=" + c4}, []string{"main-only.sh"}},
		{"gitlab push of a new branch", c3, []string{"GITLAB_CI=true", "CI_COMMIT_BEFORE_SHA=" + zeroSHA, "CI_COMMIT_SHA=" + c3}, []string{"feature.sh"}},
		{"jenkins", c4, []string{"JENKINS_URL=http://jenkins.example.test/", "GIT_PREVIOUS_SUCCESSFUL_COMMIT=" + c1, "GIT_COMMIT=" + c4}, []string{"main-only.sh", "new.sh"}},
		{"jenkins first build", c4, []string{"JENKINS_URL=http://jenkins.example.test/", "GIT_COMMIT=" + c4}, []string{"main-only.sh", "new.sh", "old.sh"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkout := cloneAs(t, o.dir, tc.rev)
			flags := ciRange(t, tc.env...)
			if len(flags) == 0 {
				t.Fatalf("range.sh printed nothing for %v", tc.env)
			}
			r := runCLI(t, cliOpts{}, append(append([]string{"git", "--format", "json", "--no-policy"}, flags...), checkout)...)
			if r.code != exitFindings && r.code != exitClean {
				t.Fatalf("secretlint git %v: exit %d\n%s", flags, r.code, r.stderr)
			}
			var got []string
			for _, f := range readReport(t, r.stdout).Findings {
				if !slices.Contains(got, f.Path) {
					got = append(got, f.Path)
				}
			}
			sort.Strings(got)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("secretlint git %s: files reported (-want +got):\n%s", strings.Join(flags, " "), diff)
			}
		})
	}
	if got := ciRange(t); len(got) != 0 {
		t.Errorf("outside CI range.sh printed %v, want nothing (the whole history)", got)
	}
}
