package audit

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=T", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestCacheClonesThenFetches runs the cache with the git CLI and, with
// PATH emptied, with go-git (the release image has no git): the first
// call clones, the second brings the commit made since.
func TestCacheClonesThenFetches(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git binary not found")
	}
	for _, name := range []string{"git CLI", "go-git"} {
		t.Run(name, func(t *testing.T) {
			// A bare origin, as servers keep them, fed from a work tree.
			work, src := t.TempDir(), filepath.Join(t.TempDir(), "origin.git")
			gitIn(t, work, "init", "-q", "-b", "main")
			os.WriteFile(filepath.Join(work, "a"), []byte("1\n"), 0o644)
			gitIn(t, work, "add", "a")
			gitIn(t, work, "commit", "-qm", "one")
			gitIn(t, work, "clone", "-q", "--bare", work, src)
			gitPath, _ := exec.LookPath("git")
			if name == "go-git" {
				t.Setenv("PATH", "")
			}
			c := Cache{Dir: t.TempDir()}
			dir, err := c.Repo(context.Background(), "file://"+src)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(work, "a"), []byte("2\n"), 0o644)
			for _, args := range [][]string{{"commit", "-qam", "two"}, {"push", "-q", src, "main"}} {
				cmd := exec.Command(gitPath, append([]string{"-C", work, "-c", "user.name=T", "-c", "user.email=t@example.test", "-c", "commit.gpgsign=false"}, args...)...)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
			}
			head, _ := exec.Command(gitPath, "-C", work, "rev-parse", "HEAD").Output()
			again, err := c.Repo(context.Background(), "file://"+src)
			if err != nil || again != dir {
				t.Fatalf("second call: %q, %v; want %q", again, err, dir)
			}
			got, _ := exec.Command(gitPath, "-C", dir, "rev-parse", "refs/heads/main").Output()
			if strings.TrimSpace(string(got)) != strings.TrimSpace(string(head)) {
				t.Errorf("cached main at %q, origin at %q: not fetched", got, head)
			}
		})
	}
}

// A clone that fails on a URL holding a token names the URL without it,
// whatever git quotes in its message.
func TestCloneErrorHidesURLCredentials(t *testing.T) {
	const tok = "ghp_CloneErrorTokenValue0123456789abcdef"
	for _, raw := range []string{
		"https://x-access-token:" + tok + "@127.0.0.1:1/org/repo.git",
		"https://" + tok + "@127.0.0.1:1",
	} {
		_, err := Cache{Dir: t.TempDir()}.Repo(context.Background(), raw)
		if err == nil {
			t.Fatalf("clone of %s succeeded", Redact(raw))
		}
		if strings.Contains(err.Error(), tok) {
			t.Errorf("clone error holds the token: %v", err)
		}
	}
	if got := scrub(errors.New("fatal: unable to access 'https://u:"+tok+"@h/r/': refused"), "https://u:"+tok+"@h/r"); strings.Contains(got.Error(), tok) {
		t.Errorf("scrub left the token: %v", got)
	}
}
