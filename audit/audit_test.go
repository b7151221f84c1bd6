package audit

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
)

func parse(t *testing.T, text string) []Target {
	t.Helper()
	ts, err := ParseTargets("targets", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestParseTargetsNormalises(t *testing.T) {
	ts := parse(t, "# repos\n\n  git   https://example.test/a.git   weight=7 --branch dev\nimage reg.test/app:1\ndir ./src\nlogs /var/log/app weight=1\n")
	var got []string
	for _, tg := range ts {
		got = append(got, tg.String())
	}
	want := []string{"git https://example.test/a.git --branch dev weight=7", "image reg.test/app:1", "dir ./src", "logs /var/log/app"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("normalised lines (-want +got):\n%s", d)
	}
	if ts[0].Line != 3 || ts[3].Position != 3 {
		t.Errorf("line %d position %d, want line 3 and position 3", ts[0].Line, ts[3].Position)
	}
	// Spacing and comments do not change the list's hash; a target does.
	same := parse(t, "git https://example.test/a.git --branch dev weight=7\nimage reg.test/app:1\ndir ./src\nlogs /var/log/app\n")
	if Hash(ts) != Hash(same) {
		t.Error("the same targets spelt differently hash differently")
	}
	if Hash(ts) == Hash(same[:3]) {
		t.Error("a shorter list hashes the same")
	}
}

func TestRedactHidesURLPasswords(t *testing.T) {
	ts := parse(t, "git https://bot:hunter2token@example.test/a.git\n")
	if s := ts[0].String(); strings.Contains(s, "hunter2token") {
		t.Fatalf("target name %q holds the password", s)
	}
}

// TestAssignBalancesByWeight: longest-first puts the heavy targets on
// different shards, every target on exactly one, the same plan each time.
func TestAssignBalancesByWeight(t *testing.T) {
	ts := parse(t, "dir a weight=8\ndir b weight=7\ndir c weight=6\ndir d weight=5\ndir e weight=4\ndir f\ndir g\n")
	plan := Assign(ts, 3)
	var loads []int64
	seen := map[string]int{}
	for _, shard := range plan {
		var l int64
		for _, tg := range shard {
			l += tg.Weight
			seen[tg.Arg]++
		}
		loads = append(loads, l)
	}
	// a(8) b(7) c(6) → d(5) on c, e(4) on b, f(1) on a, g(1) on a.
	if d := cmp.Diff([]int64{10, 11, 11}, loads); d != "" {
		t.Errorf("shard loads (-want +got):\n%s", d)
	}
	if len(seen) != len(ts) {
		t.Errorf("targets assigned: %v", seen)
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s on %d shards", k, n)
		}
	}
	if d := cmp.Diff(plan, Assign(ts, 3)); d != "" {
		t.Errorf("two plans of the same list differ:\n%s", d)
	}
	// More shards than targets: the extra shards own nothing.
	if p := Assign(ts[:2], 4); len(p[2]) != 0 || len(p[3]) != 0 {
		t.Errorf("4 shards of 2 targets: %v", p)
	}
}

func TestSpecFromEnv(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		count int
		want  string // INDEX/COUNT, or an error's text
	}{
		{"kubernetes with flag", map[string]string{"JOB_COMPLETION_INDEX": "3"}, 5, "3/5"},
		{"kubernetes with env", map[string]string{"JOB_COMPLETION_INDEX": "0", "SECRETLINT_SHARD_COUNT": "4"}, 0, "0/4"},
		{"kubernetes without count", map[string]string{"JOB_COMPLETION_INDEX": "0"}, 0, "not the shard count"},
		{"kubernetes out of range", map[string]string{"JOB_COMPLETION_INDEX": "5"}, 5, "bad shard index"},
		{"gitlab is 1-based", map[string]string{"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "3"}, 0, "0/3"},
		{"gitlab last", map[string]string{"CI_NODE_INDEX": "3", "CI_NODE_TOTAL": "3"}, 0, "2/3"},
		{"gitlab zero", map[string]string{"CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "3"}, 0, "bad shard index"},
		{"nothing", nil, 0, "0/1"},
		{"count without index", nil, 3, "without a shard index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := SpecFromEnv(func(k string) string { return tt.env[k] }, tt.count)
			got := s.String()
			if err != nil {
				got = err.Error()
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := ParseSpec("2/2"); err == nil {
		t.Error("--shard 2/2 accepted (indexes are 0-based)")
	}
}

// TestMergeMarksStoppedShards: a shard stopped before its last target
// (SIGTERM on eviction) makes the merged report incomplete, with an error
// saying so and the unscanned target listed as such.
func TestMergeMarksStoppedShards(t *testing.T) {
	ts := parse(t, "dir a\ndir b\ndir c\n")
	plan := Assign(ts, 2)
	hash := Hash(ts)
	var shards []*report.Report
	for i, mine := range plan {
		var runs []Run
		for j, tg := range mine {
			r := Run{Target: tg, Report: &report.Report{Stats: report.Stats{Inputs: 1}}}
			if i == 1 && j == len(mine)-1 {
				r.Report = nil // not reached before the stop
			}
			runs = append(runs, r)
		}
		shards = append(shards, ShardReport(Spec{Index: i, Count: 2}, hash, runs, i == 1, 0))
	}
	got, err := Merge(shards, []string{"s0", "s1"})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Audit.Incomplete || len(got.Errors) != 1 || !strings.Contains(got.Errors[0].Error(), "incomplete") {
		t.Fatalf("merged: incomplete %v, errors %v; want incomplete with one error saying so", got.Audit.Incomplete, got.Errors)
	}
	skipped := 0
	for _, r := range got.Audit.Targets {
		if r.Skipped {
			skipped++
		}
	}
	if skipped != 1 || got.Stats.Inputs != 2 {
		t.Errorf("skipped targets %d, inputs %d; want 1 and 2", skipped, got.Stats.Inputs)
	}
	// Without the stopped shard's flag the same shards merge complete.
	shards[1].Shard.Incomplete = false
	if again, _ := Merge(shards, []string{"s0", "s1"}); again.Audit.Incomplete || len(again.Errors) != 0 {
		t.Errorf("complete shards merged as incomplete: %+v", again.Errors)
	}
}

// TestOwnerName: owner=NAME wins; a git URL's owner is its host and
// organisation (or user); local paths and other kinds have none.
func TestOwnerName(t *testing.T) {
	tests := []struct{ line, want string }{
		{"git https://github.com/acme/api.git", "github.com/acme"},
		{"git https://bot:tok@git.example.test/platform/infra/deploy.git", "git.example.test/platform"},
		{"git git@github.com:octo-user/dotfiles.git", "github.com/octo-user"},
		{"git ssh://git@gitlab.example.test:2222/team/svc", "gitlab.example.test/team"},
		{"git https://git.example.test/solo.git", "git.example.test"},
		{"git https://github.com/acme/api.git owner=payments", "payments"},
		{"git file:///srv/mirrors/api.git", ""},
		{"git /srv/mirrors/api.git", ""},
		{"image reg.test/acme/app:1", ""},
		{"dir ./src owner=web-team", "web-team"},
	}
	for _, tt := range tests {
		if got := parse(t, tt.line)[0].OwnerName(); got != tt.want {
			t.Errorf("%s: owner %q, want %q", tt.line, got, tt.want)
		}
	}
	if _, err := ParseTargets("t", strings.NewReader("dir a owner=x owner=y\n")); err == nil || !strings.Contains(err.Error(), "t:1: bad \"owner=y\"") {
		t.Errorf("a second owner= gave %v", err)
	}
	if s := parse(t, "dir a owner=web weight=2")[0].String(); s != "dir a weight=2 owner=web" {
		t.Errorf("normalised %q", s)
	}
}

// TestMergeSumsByOwner: the merged report's per-owner summary adds the
// owner's targets, findings, distinct secrets and errors across shards,
// a secret met twice in one owner's targets counting once; the targets
// without an owner come last.
func TestMergeSumsByOwner(t *testing.T) {
	ts := parse(t, "dir a owner=web\ndir b owner=web\ndir c owner=api\ndir d\n")
	finding := func(hash, path string) scan.Finding {
		return scan.Finding{RuleID: "aws-access-key-id", Fingerprint: path + ":" + hash, SecretHash: hash, Location: scan.Location{Path: path, Line: 1}}
	}
	found := map[string][]scan.Finding{
		"a": {finding("s1", "a/x"), finding("s2", "a/y")},
		"b": {finding("s1", "b/x")},
		"c": {finding("s3", "c/x")},
	}
	hash := Hash(ts)
	var shards []*report.Report
	for i, mine := range Assign(ts, 2) {
		var runs []Run
		for _, tg := range mine {
			r := &report.Report{Findings: found[tg.Arg], Stats: report.Stats{Inputs: 1}}
			if tg.Arg == "d" {
				r.Errors = []*scan.InputError{{Input: "d", Err: errors.New("gone")}}
			}
			runs = append(runs, Run{Target: tg, Report: r, Seconds: 1})
		}
		shards = append(shards, ShardReport(Spec{Index: i, Count: 2}, hash, runs, false, 0))
	}
	got, err := Merge(shards, []string{"s0", "s1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []report.OwnerSummary{
		{Owner: "api", Targets: 1, Findings: 1, Secrets: 1, Seconds: 1},
		{Owner: "web", Targets: 2, Findings: 3, Secrets: 2, Seconds: 2},
		{Owner: "", Targets: 1, Errors: 1, Seconds: 1},
	}
	if d := cmp.Diff(want, got.Audit.Owners); d != "" {
		t.Errorf("owners (-want +got):\n%s", d)
	}
	var text strings.Builder
	report.WriteAuditSummary(&text, got.Audit)
	for _, line := range []string{"  dir a owner=web: 2 findings, 0 errors, 1.00s", "  web: 2 targets, 3 findings, 2 secrets, 0 errors, 2.00s", "  (no owner): 1 targets, 0 findings, 0 secrets, 1 errors, 1.00s"} {
		if !strings.Contains(text.String(), line+"\n") {
			t.Errorf("text summary lacks %q:\n%s", line, text.String())
		}
	}
	if o, d := strings.Index(text.String(), "Owners: 3\n"), strings.Index(text.String(), "  dir d:"); o < d {
		t.Errorf("the owners block is not after the targets:\n%s", text.String())
	}
}
