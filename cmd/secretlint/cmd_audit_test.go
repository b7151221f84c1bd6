package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// auditReport is the part of an audit or merge JSON report the tests read.
type auditReport struct {
	Findings []json.RawMessage `json:"findings"`
	Errors   []struct {
		Input string `json:"input"`
		Error string `json:"error"`
	} `json:"errors"`
	Stats struct {
		Inputs   int64 `json:"inputs"`
		Findings int   `json:"findings"`
		Errors   int   `json:"errors"`
	} `json:"stats"`
	Shard *struct {
		Index, Count int
		Targets      []struct {
			Target   string `json:"target"`
			Findings int    `json:"findings"`
		} `json:"targets"`
	} `json:"shard"`
	Audit *struct {
		Secrets []struct {
			Targets   int `json:"targets"`
			Locations int `json:"locations"`
		} `json:"shared_secrets"`
	} `json:"audit"`
}

func readAuditReport(t *testing.T, path string) auditReport {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r auditReport
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// auditFixture builds repositories and a targets file: a secret shared by
// two repositories (one reached by a file:// URL, cloned into the cache),
// a repository listed twice, a directory, and a path that does not exist.
func auditFixture(t *testing.T) (targets string, env map[string]string) {
	t.Helper()
	shared := awsKeyID(41)
	var lines []string
	for i := 0; i < 4; i++ {
		r := newGitRepo(t)
		r.write("README.md", "# repo\n")
		r.commit("init")
		r.write("config/app.env", fmt.Sprintf("AWS_ACCESS_KEY_ID=%s\nTOKEN=%s\n", shared, githubPAT(uint64(50+i))))
		r.commit("add config")
		arg := r.dir
		if i == 1 {
			arg = "file://" + r.dir
		}
		lines = append(lines, fmt.Sprintf("git %s weight=%d", arg, 10*(i+1)))
		if i == 2 {
			lines = append(lines, "git "+r.dir+" weight=3") // listed twice
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "deploy.env"), []byte("GITHUB_TOKEN="+githubPAT(60)+"\n"), 0o644)
	logFile := filepath.Join(t.TempDir(), "app.log")
	os.WriteFile(logFile, []byte("level=info msg=start\nlevel=debug token="+githubPAT(61)+"\n"), 0o644)
	lines = append(lines, "# a directory and a target that is gone", "dir "+dir+" owner=platform", "", "git "+filepath.Join(dir, "missing"),
		"image "+imageLayout(t)+" weight=20", "logs "+logFile)
	targets = filepath.Join(t.TempDir(), "targets.txt")
	if err := os.WriteFile(targets, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return targets, map[string]string{"SECRETLINT_FINGERPRINT_KEY": strings.Repeat("k3y", 8)}
}

// TestAuditShardsMergeToTheUnshardedReport: merging the shards of 1, 2
// and 3 gives the findings, errors and counts of one unsharded run, with
// the secret two repositories share grouped and the target listed twice
// counted once.
func TestAuditShardsMergeToTheUnshardedReport(t *testing.T) {
	targets, env := auditFixture(t)
	cache := t.TempDir()
	one := filepath.Join(t.TempDir(), "one.json")
	res := runCLI(t, cliOpts{env: env}, "audit", "--targets", targets, "--cache", cache, "--no-policy", "-f", "json", "-o", one)
	if res.code != exitFindings {
		t.Fatalf("audit: exit %d, want %d\n%s", res.code, exitFindings, res.stderr)
	}
	want := readAuditReport(t, one)
	// 4 repositories × 2 secrets, the repeated one once, the directory's,
	// the image's two and the log's.
	if len(want.Findings) != 12 || want.Stats.Findings != 12 {
		t.Fatalf("unsharded audit: %d findings (stats %d), want 12", len(want.Findings), want.Stats.Findings)
	}
	// Each target is scanned as its own command scans it.
	lines, _ := os.ReadFile(targets)
	at, compared := 0, 0
	for i, line := range strings.Split(strings.TrimSpace(string(lines)), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "#" {
			continue
		}
		n := want.Shard.Targets[at].Findings
		mine := want.Findings[:n]
		want.Findings = want.Findings[n:]
		at++
		cmdName := map[string]string{"git": "git", "image": "image", "dir": "scan", "logs": "logs"}[f[0]]
		if strings.HasPrefix(f[1], "file://") || strings.Contains(line, "missing") || strings.HasSuffix(line, " weight=3") {
			continue // cloned, gone, or repeated (its findings count once)
		}
		out := filepath.Join(t.TempDir(), "single.json")
		runCLI(t, cliOpts{env: env}, cmdName, "--no-policy", "--format", "json", "-o", out, f[1]) // logs -f is --follow
		single := readAuditReport(t, out)
		compared++
		if d := cmp.Diff(single.Findings, mine, cmp.Comparer(func(a, b json.RawMessage) bool { return string(a) == string(b) })); d != "" {
			t.Errorf("line %d (%s): audit's findings differ from `secretlint %s` (-command +audit):\n%s", i+1, line, cmdName, d)
		}
	}
	if compared != 6 { // git ×3, dir, image, logs
		t.Fatalf("compared %d targets with their commands, want 6", compared)
	}
	want = readAuditReport(t, one)
	if len(want.Errors) != 1 || !strings.Contains(want.Errors[0].Input, "missing") {
		t.Fatalf("unsharded audit errors: %+v, want one naming the missing target", want.Errors)
	}
	if want.Audit == nil || len(want.Audit.Secrets) != 1 || want.Audit.Secrets[0].Targets != 4 || want.Audit.Secrets[0].Locations != 4 {
		t.Fatalf("shared secrets: %+v, want one secret in 4 targets", want.Audit)
	}
	for _, n := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("%d shards", n), func(t *testing.T) {
			dir := t.TempDir()
			for i := 0; i < n; i++ {
				res := runCLI(t, cliOpts{env: env}, "audit", "--targets", targets, "--cache", cache, "--no-policy", "--shard", fmt.Sprintf("%d/%d", i, n), "-o", dir)
				if res.code == exitUsage || !strings.Contains(res.stderr, fmt.Sprintf("audit shard %d/%d", i, n)) {
					t.Fatalf("shard %d/%d: exit %d\n%s", i, n, res.code, res.stderr)
				}
				if s := readAuditReport(t, filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d.json", i, n))).Shard; s == nil || s.Index != i || s.Count != n {
					t.Fatalf("shard %d/%d report has shard %+v", i, n, s)
				}
			}
			merged := filepath.Join(t.TempDir(), "merged.json")
			res := runCLI(t, cliOpts{}, "merge", dir, "-f", "json", "-o", merged)
			if res.code != exitFindings {
				t.Fatalf("merge: exit %d\n%s", res.code, res.stderr)
			}
			got := readAuditReport(t, merged)
			if d := cmp.Diff(want.Findings, got.Findings, cmp.Comparer(func(a, b json.RawMessage) bool { return string(a) == string(b) })); d != "" {
				t.Errorf("merged findings differ from the unsharded run (-want +got):\n%s", d)
			}
			if got.Stats != want.Stats || len(got.Errors) != len(want.Errors) {
				t.Errorf("merged stats %+v, errors %d; unsharded %+v, %d", got.Stats, len(got.Errors), want.Stats, len(want.Errors))
			}
			if got.Shard != nil {
				t.Errorf("the merged report claims to be shard %+v", got.Shard)
			}
		})
	}
}

// TestMergeRefusesIncompleteShardSets: a missing, repeated or foreign
// shard exits 3 and says which.
func TestMergeRefusesIncompleteShardSets(t *testing.T) {
	targets, env := auditFixture(t)
	other := filepath.Join(t.TempDir(), "other.txt")
	os.WriteFile(other, []byte("dir "+t.TempDir()+"\n"), 0o644)
	dir := t.TempDir()
	shard := func(list, spec, out string) string {
		res := runCLI(t, cliOpts{env: env}, "audit", "--targets", list, "--cache", t.TempDir(), "--no-policy", "--shard", spec, "-o", out)
		if res.code == exitUsage {
			t.Fatalf("shard %s: exit %d\n%s", spec, res.code, res.stderr)
		}
		return out
	}
	s0 := shard(targets, "0/3", filepath.Join(dir, "a.json"))
	s1 := shard(targets, "1/3", filepath.Join(dir, "b.json"))
	s2 := shard(targets, "2/3", filepath.Join(dir, "c.json"))
	foreign := shard(other, "1/3", filepath.Join(t.TempDir(), "x.json"))
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"absent", []string{s0, s2}, "missing shard 1 of 3"},
		{"duplicated", []string{s0, s1, s1, s2}, "shard 1/3 again"},
		{"other list", []string{s0, s2, foreign}, "made from a different target list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runCLI(t, cliOpts{}, append([]string{"merge", "-f", "json"}, tt.files...)...)
			if res.code != exitInput || !strings.Contains(res.stderr, tt.want) {
				t.Fatalf("exit %d, want %d with %q:\n%s", res.code, exitInput, tt.want, res.stderr)
			}
			if res.stdout != "" {
				t.Errorf("a failed merge wrote a report:\n%s", res.stdout)
			}
		})
	}
	res := runCLI(t, cliOpts{}, "merge", "-f", "text", s0, s1, s2)
	if res.code != exitFindings || !strings.Contains(res.stdout, "one secret (aws-access-key-id") || !strings.Contains(res.stdout, "4 targets") ||
		!strings.Contains(res.stdout, "  platform: 1 targets, 1 findings, 1 secrets, 0 errors") || !strings.Contains(res.stdout, "  (no owner): 8 targets, 11 findings") {
		t.Fatalf("text merge: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}

// TestAuditBadTargetsLine: a bad line exits 2 naming the file and line.
func TestAuditBadTargetsLine(t *testing.T) {
	tests := []struct{ file, want string }{
		{"dir .\n\nsvn http://example.test/repo\n", "targets.txt:3: unknown target kind \"svn\""},
		{"# c\nimage\n", "targets.txt:2: image target without a path or reference"},
		{"dir . weight=0\n", "targets.txt:1: bad \"weight=0\""},
		{"dir . --branch main\n", "targets.txt:1: --branch applies to git targets only"},
	}
	for _, tt := range tests {
		p := filepath.Join(t.TempDir(), "targets.txt")
		os.WriteFile(p, []byte(tt.file), 0o644)
		res := runCLI(t, cliOpts{}, "audit", "--targets", p)
		if res.code != exitUsage || !strings.Contains(res.stderr, tt.want) {
			t.Errorf("%q: exit %d, want 2 with %q:\n%s", tt.file, res.code, tt.want, res.stderr)
		}
	}
	res := runCLI(t, cliOpts{stdin: strings.NewReader("logs\n")}, "audit", "--targets", "-")
	if res.code != exitUsage || !strings.Contains(res.stderr, "<stdin>:1:") {
		t.Errorf("stdin: exit %d:\n%s", res.code, res.stderr)
	}
}

// TestAuditGitCacheFetches: a git URL is cloned into the cache once and
// fetched on the next run, which then sees the new commit.
func TestAuditGitCacheFetches(t *testing.T) {
	r := newGitRepo(t)
	r.write("a.txt", "hello\n")
	r.commit("init")
	targets := filepath.Join(t.TempDir(), "targets.txt")
	os.WriteFile(targets, []byte("git file://"+r.dir+" --branch main\n"), 0o644)
	cache := t.TempDir()
	res := runCLI(t, cliOpts{}, "audit", "--targets", targets, "--cache", cache, "-f", "json")
	if res.code != exitClean {
		t.Fatalf("first run: exit %d\n%s", res.code, res.stderr)
	}
	clones, _ := filepath.Glob(filepath.Join(cache, "*.git"))
	if len(clones) != 1 {
		t.Fatalf("cache holds %v, want one bare clone", clones)
	}
	r.write("b.env", "AWS_ACCESS_KEY_ID="+awsKeyID(77)+"\n")
	r.commit("leak")
	res = runCLI(t, cliOpts{}, "audit", "--targets", targets, "--cache", cache, "-f", "json")
	if res.code != exitFindings || !strings.Contains(res.stdout, `"path": "b.env"`) {
		t.Fatalf("second run: exit %d, want the fetched commit's finding\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if again, _ := filepath.Glob(filepath.Join(cache, "*.git")); len(again) != 1 {
		t.Fatalf("second run cloned again: %v", again)
	}
}

// TestAuditStoppedShardIsIncomplete: a shard whose run is cancelled (the
// signal handler cancels it on SIGTERM) still writes its report, marked
// incomplete with its targets not scanned, and merge says the audit is
// incomplete.
func TestAuditStoppedShardIsIncomplete(t *testing.T) {
	targets, vars := auditFixture(t)
	out := t.TempDir()
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errors.New("SIGTERM"))
	var stdout, stderr syncBuffer
	e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr,
		getenv: func(k string) string { return vars[k] }, isTerminal: func(any) bool { return false }}
	run(ctx, e, []string{"audit", "--targets", targets, "--cache", t.TempDir(), "--shard", "0/1", "-o", out})
	shard := filepath.Join(out, "shard-0-of-1.json")
	data, err := os.ReadFile(shard)
	if err != nil {
		t.Fatalf("no shard report after the stop: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(string(data), `"incomplete": true`) || !strings.Contains(string(data), `"skipped": true`) {
		t.Fatalf("stopped shard's report is not marked incomplete:\n%s", data)
	}
	res := runCLI(t, cliOpts{}, "merge", "-f", "json", shard)
	if res.code != exitInput || !strings.Contains(res.stdout, "this report is incomplete") {
		t.Fatalf("merge of a stopped shard: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}

// TestAuditPassesImageFlags: the image command's flags apply to an
// audit's image targets: with a layer cap too small for the layer that
// holds a key, the audit reports what `secretlint image` reports with the
// same cap (the config's key, not the layer's), and a bad --platform is a
// usage error.
func TestAuditPassesImageFlags(t *testing.T) {
	lay := imageLayout(t)
	targets := filepath.Join(t.TempDir(), "targets.txt")
	os.WriteFile(targets, []byte("image "+lay+"\n"), 0o644)
	findings := func(r auditReport) []string {
		var out []string
		for _, f := range r.Findings {
			var v struct{ Path, Layer string }
			json.Unmarshal(f, &v)
			out = append(out, v.Path+"@"+v.Layer)
		}
		return out
	}
	run := func(args ...string) auditReport {
		out := filepath.Join(t.TempDir(), "r.json")
		res := runCLI(t, cliOpts{}, append(args, "--no-policy", "-f", "json", "-o", out)...)
		if res.code == exitUsage {
			t.Fatalf("%v: exit 2\n%s", args, res.stderr)
		}
		return readAuditReport(t, out)
	}
	full := run("audit", "--targets", targets)
	capped := run("audit", "--targets", targets, "--max-layer-size", "100B")
	image := run("image", "--max-layer-size", "100B", lay)
	if len(full.Findings) != 2 || len(capped.Findings) != 1 {
		t.Fatalf("findings %v uncapped, %v capped; want 2 and 1", findings(full), findings(capped))
	}
	if d := cmp.Diff(findings(image), findings(capped)); d != "" {
		t.Errorf("capped audit differs from the capped image command (-image +audit):\n%s", d)
	}
	res := runCLI(t, cliOpts{}, "audit", "--targets", targets, "--platform", "linux/")
	if res.code != exitUsage || !strings.Contains(res.stderr, "--platform") {
		t.Errorf("bad --platform: exit %d\n%s", res.code, res.stderr)
	}
}

// TestAuditFailingTargetsAndRerun: a corrupt repository, a corrupt image
// archive and a URL that cannot be cloned are each an error in the shard
// report naming its target, while the good repository after them is
// scanned; a rerun of the shard replaces its report, so the merge sees
// the repository's new commit once and no finding twice.
func TestAuditFailingTargetsAndRerun(t *testing.T) {
	good := newGitRepo(t)
	good.write("a.env", "AWS_ACCESS_KEY_ID="+awsKeyID(81)+"\n")
	good.commit("one")
	bad := newGitRepo(t)
	bad.write("b.txt", "hello\n")
	bad.commit("init")
	objects, _ := filepath.Glob(filepath.Join(bad.dir, ".git", "objects", "??", "*"))
	for _, o := range objects {
		os.Chmod(o, 0o644)
		os.WriteFile(o, []byte("not a zlib stream"), 0o644)
	}
	broken := filepath.Join(t.TempDir(), "broken.tar")
	os.WriteFile(broken, []byte("neither tar nor gzip"), 0o644)
	gone := "file://" + filepath.Join(t.TempDir(), "gone.git")
	targets := filepath.Join(t.TempDir(), "targets.txt")
	os.WriteFile(targets, []byte(strings.Join([]string{"git " + bad.dir, "image " + broken, "git " + gone, "git " + good.dir}, "\n")+"\n"), 0o644)
	out := t.TempDir()
	shard := func() auditReport {
		res := runCLI(t, cliOpts{}, "audit", "--targets", targets, "--cache", t.TempDir(), "--no-policy", "--shard", "0/1", "-o", out)
		if res.code != exitClean {
			t.Fatalf("shard: exit %d, want 0 (its report written)\n%s", res.code, res.stderr)
		}
		return readAuditReport(t, filepath.Join(out, "shard-0-of-1.json"))
	}
	first := shard()
	for _, name := range []string{"git " + bad.dir, broken, "git " + gone} {
		named := false
		for _, e := range first.Errors {
			named = named || strings.HasPrefix(e.Input, name)
		}
		if !named {
			t.Errorf("no error names %q: %+v", name, first.Errors)
		}
	}
	if n := first.Shard.Targets[3].Findings; n != 1 || len(first.Findings) != 1 {
		t.Fatalf("the good repository after the failing targets: %d findings (report %d), want 1", n, len(first.Findings))
	}

	good.write("c.env", "AWS_ACCESS_KEY_ID="+awsKeyID(82)+"\n")
	good.commit("two")
	again := shard()
	if files, _ := filepath.Glob(filepath.Join(out, "*")); len(files) != 1 {
		t.Fatalf("after the rerun the output directory holds %v, want the one shard report", files)
	}
	if len(again.Findings) != 2 || len(again.Errors) != len(first.Errors) {
		t.Fatalf("rerun: %d findings, %d errors; want 2 and %d (replaced, not added to)", len(again.Findings), len(again.Errors), len(first.Errors))
	}
	merged := filepath.Join(t.TempDir(), "merged.json")
	if res := runCLI(t, cliOpts{}, "merge", out, "-f", "json", "-o", merged); res.code != exitFindings {
		t.Fatalf("merge: exit %d\n%s", res.code, res.stderr)
	}
	if m := readAuditReport(t, merged); m.Stats.Findings != 2 || m.Stats.Errors != len(first.Errors) {
		t.Errorf("merged stats %+v, want 2 findings and %d errors", m.Stats, len(first.Errors))
	}
}
