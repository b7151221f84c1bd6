package git

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// requireGit skips when the git binary is missing, or fails when the real
// parts are required (CI).
func requireGit(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("SECRETLINT_REQUIRE_REAL_PARTS") == "1" {
			t.Fatalf("git binary not found and SECRETLINT_REQUIRE_REAL_PARTS=1")
		}
		t.Skip("git binary not found")
	}
	return p
}

// repo is a git repository built with the git CLI for a test.
type repo struct {
	t    testing.TB
	dir  string
	tick int
}

func newRepo(t testing.TB, args ...string) *repo {
	t.Helper()
	requireGit(t)
	r := &repo{t: t, dir: t.TempDir()}
	r.git(append([]string{"init", "-q", "-b", "main"}, args...)...)
	return r
}

func (r *repo) env() []string {
	date := fmt.Sprintf("%d +0000", 1700000000+r.tick*1000)
	return append(os.Environ(),
		"GIT_AUTHOR_NAME=Ada Author", "GIT_AUTHOR_EMAIL=ada@example.test", "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME=Ada Author", "GIT_COMMITTER_EMAIL=ada@example.test", "GIT_COMMITTER_DATE="+date,
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
}

// git runs git in the repository and returns its trimmed output.
func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Env = r.env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (r *repo) write(path, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// commit stages everything and commits; it returns the commit id.
func (r *repo) commit(msg string) string {
	r.t.Helper()
	r.tick++
	r.git("add", "-A")
	r.git("commit", "-q", "--allow-empty", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

// fakeAWSKey returns a format-valid, made-up AWS access key id. Built at run
// time so the repository holds no key-shaped literal.
func fakeAWSKey(seed int64) string {
	const alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	rng := rand.New(rand.NewSource(seed))
	b := []byte("AKIA")
	for len(b) < 20 {
		c := alpha[rng.Intn(len(alpha))]
		if c == b[len(b)-1] {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// engine returns an engine with the built-in rules.
func engine(t testing.TB) *scan.Engine {
	t.Helper()
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	return scan.NewEngine(set)
}

// scanSource runs a source, then, for a history, its attribution as the
// pipeline runs it, and returns what it collected.
func scanSource(t testing.TB, src scan.Source) *scan.Collector {
	t.Helper()
	return scanSourceWith(t, src, engine(t))
}

// scanSourceWith is scanSource with the engine e.
func scanSourceWith(t testing.TB, src scan.Source, e *scan.Engine) *scan.Collector {
	t.Helper()
	col := &scan.Collector{}
	if err := src.Scan(context.Background(), e, col); err != nil {
		t.Fatalf("scan: %v", err)
	}
	h, ok := src.(*History)
	if !ok {
		return col
	}
	out := &scan.Collector{}
	for range col.Inputs() {
		out.Input()
	}
	for _, e := range col.Errors() {
		out.Error(e.Input, e.Err)
	}
	for _, sk := range col.Skips() {
		out.Skip(sk.Input, sk.Reason)
	}
	fs := col.Snapshot()
	if err := h.Enrich(context.Background(), fs, out); err != nil {
		t.Fatalf("attribute: %v", err)
	}
	out.Add(fs...)
	return out
}

// bySecret indexes findings by secret value.
func bySecret(fs []scan.Finding) map[string][]scan.Finding {
	m := map[string][]scan.Finding{}
	for _, f := range fs {
		m[f.Secret] = append(m[f.Secret], f)
	}
	return m
}
