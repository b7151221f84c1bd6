package main

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// --enable-rule runs only the named rules, as gitleaks' flag does: gitleaks
// ids through the alias table, secretlint ids, hygiene check ids; the other
// rules and checks report nothing, and an id that names nothing exits 2.
func TestEnableRule(t *testing.T) {
	dir := policyWriteTree(t, map[string]string{
		"app/settings.py":   "AWS_ACCESS_KEY_ID = \"" + awsKeyID(91) + "\"\nGITHUB_TOKEN = \"" + githubPAT(92) + "\"\n",
		"model/config.yaml": "model_name: m\nsecrets:\n  hf_token: " + trussValue + "\n",
	})
	rulesOf := func(args ...string) []string {
		t.Helper()
		r := runCLI(t, cliOpts{}, append([]string{"scan", "--format", "json", dir}, args...)...)
		if r.code != exitFindings && r.code != exitClean {
			t.Fatalf("scan %v: exit %d\n%s", args, r.code, r.stderr)
		}
		var ids []string
		for _, f := range readReport(t, r.stdout).Findings {
			ids = append(ids, f.RuleID)
		}
		sort.Strings(ids)
		return ids
	}
	all := rulesOf()
	for _, want := range []string{"aws-access-key-id", "github-pat", "truss-secret-value"} {
		if !slices.Contains(all, want) {
			t.Fatalf("without --enable-rule the scan lacks %s: %v", want, all)
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--enable-rule", "aws-access-token"}, []string{"aws-access-key-id"}},
		{[]string{"--enable-rule", "github-pat"}, []string{"github-pat"}},
		{[]string{"--enable-rule", "aws-access-key-id,truss-secret-value"}, []string{"aws-access-key-id", "truss-secret-value"}},
		{[]string{"--enable-rule", "aws-access-token", "--enable-rule", "github-pat"}, []string{"aws-access-key-id", "github-pat"}},
	} {
		if diff := cmp.Diff(tc.want, rulesOf(tc.args...)); diff != "" {
			t.Errorf("%v: rules reported (-want +got):\n%s", tc.args, diff)
		}
	}
	r := runCLI(t, cliOpts{}, "scan", "--enable-rule", "no-such-rule", dir)
	if r.code != exitUsage || !strings.Contains(r.stderr, `no rule "no-such-rule"`) {
		t.Errorf("unknown id: exit %d, stderr %q; want %d naming the id", r.code, r.stderr, exitUsage)
	}
	g := newGitRepo(t)
	g.write("deploy.sh", "export AWS_ACCESS_KEY_ID="+awsKeyID(93)+"\nexport GITHUB_TOKEN="+githubPAT(94)+"\n")
	g.commit("deploy")
	r = runCLI(t, cliOpts{}, "git", "--format", "json", "--no-policy", "--enable-rule", "github-pat", g.dir)
	var got []string
	for _, f := range readReport(t, r.stdout).Findings {
		got = append(got, f.RuleID)
	}
	if diff := cmp.Diff([]string{"github-pat"}, got); diff != "" {
		t.Errorf("git --enable-rule github-pat (-want +got):\n%s", diff)
	}
}
