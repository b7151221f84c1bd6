package deploy

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// gitlabJob is the part of a GitLab CI job the audit example relies on.
type gitlabJob struct {
	Stage     string   `json:"stage"`
	Parallel  int      `json:"parallel"`
	Needs     []string `json:"needs"`
	Script    []string `json:"script"`
	Artifacts struct {
		When    string            `json:"when"`
		Paths   []string          `json:"paths"`
		Reports map[string]string `json:"reports"`
	} `json:"artifacts"`
}

// TestGitLabAuditExample checks the GitLab example fits together, as no
// GitLab is at hand to lint it: a parallel audit job whose shards come
// from GitLab's own CI_NODE_INDEX and CI_NODE_TOTAL (no --shard), each
// keeping its shard report as an artifact even when the job fails, and a
// merge job in a later stage that needs the audit job and merges the
// directory those artifacts fill.
func TestGitLabAuditExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "examples", "gitlab-audit.gitlab-ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Stages []string  `json:"stages"`
		Audit  gitlabJob `json:"secretlint-audit"`
		Merge  gitlabJob `json:"secretlint-merge"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	a, m := doc.Audit, doc.Merge
	if a.Parallel < 2 || a.Parallel > 200 {
		t.Errorf("audit job parallel: %d, want 2 to 200 (GitLab's range)", a.Parallel)
	}
	run := func(j gitlabJob, cmd string) string {
		for _, s := range j.Script {
			if strings.HasPrefix(s, "secretlint "+cmd+" ") {
				return s
			}
		}
		t.Fatalf("no `secretlint %s` in %v", cmd, j.Script)
		return ""
	}
	audit, merge := run(a, "audit"), run(m, "merge")
	if strings.Contains(audit, "--shard") || !strings.Contains(audit, "--targets ") {
		t.Errorf("audit step %q: want --targets and the shard from CI_NODE_INDEX/CI_NODE_TOTAL, not --shard", audit)
	}
	out := strings.Fields(audit[strings.Index(audit, "--output ")+len("--output "):])[0]
	dir := strings.TrimSuffix(out, "/")
	if !strings.HasSuffix(out, "/") || a.Artifacts.When != "always" || len(a.Artifacts.Paths) != 1 || strings.TrimSuffix(a.Artifacts.Paths[0], "/") != dir {
		t.Errorf("audit writes %q but keeps artifacts %v (when %q); want the directory, always", out, a.Artifacts.Paths, a.Artifacts.When)
	}
	if f := strings.Fields(merge); len(f) < 3 || strings.TrimSuffix(f[2], "/") != dir {
		t.Errorf("merge step %q does not merge %s", merge, dir)
	}
	if len(m.Needs) != 1 || m.Needs[0] != "secretlint-audit" || slices.Index(doc.Stages, m.Stage) <= slices.Index(doc.Stages, a.Stage) || slices.Index(doc.Stages, a.Stage) < 0 {
		t.Errorf("merge job (stage %q, needs %v) does not run after the audit job (stage %q) in %v", m.Stage, m.Needs, a.Stage, doc.Stages)
	}
	if r := m.Artifacts.Reports["codequality"]; r == "" || !strings.Contains(merge, "--format codequality --output "+r) {
		t.Errorf("merge step %q does not write the Code Quality report %q it declares", merge, r)
	}
}
