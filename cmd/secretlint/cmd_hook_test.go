package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// install-hook writes a git pre-commit hook that blocks a commit adding a
// secret and lets a clean one through, in .git/hooks or core.hooksPath.
func TestInstallHook(t *testing.T) {
	bin := buildCLI(t)
	for _, hooksPath := range []string{"", "githooks"} {
		t.Run("hooksPath="+hooksPath, func(t *testing.T) {
			r := newGitRepo(t)
			r.write("README.md", "# p\n")
			r.commit("init")
			if hooksPath != "" {
				r.run("config", "core.hooksPath", hooksPath)
			}
			if res := runCLI(t, cliOpts{}, "install-hook", r.dir); res.code != exitClean {
				t.Fatalf("install-hook: exit %d\n%s", res.code, res.stderr)
			}
			want := filepath.Join(r.dir, ".git", "hooks", "pre-commit")
			if hooksPath != "" {
				want = filepath.Join(r.dir, hooksPath, "pre-commit")
			}
			if fi, err := os.Stat(want); err != nil || fi.Mode()&0o111 == 0 {
				t.Fatalf("hook %s: %v", want, err)
			}
			commit := func(msg string) (string, int) {
				cmd := exec.Command("git", "commit", "-q", "-m", msg)
				cmd.Dir = r.dir
				cmd.Env = append(gitEnv(5), "SECRETLINT="+bin)
				out, err := cmd.CombinedOutput()
				if ee, ok := err.(*exec.ExitError); ok {
					return string(out), ee.ExitCode()
				}
				return string(out), 0
			}
			key := awsKeyID(58)
			r.write("prod.env", "AWS_ACCESS_KEY_ID="+key+"\n")
			r.run("add", "prod.env")
			out, code := commit("add key")
			if code == 0 || !strings.Contains(out, "aws-access-key-id") || strings.Contains(out, key) {
				t.Errorf("commit with a key: exit %d, want a block naming the rule and never the key\n%s", code, out)
			}
			r.run("rm", "-q", "--cached", "prod.env")
			r.write("notes.md", "hello\n")
			r.run("add", "notes.md")
			if out, code := commit("notes"); code != 0 {
				t.Errorf("clean commit: exit %d\n%s", code, out)
			}
			// Installing again replaces our own hook; another tool's needs --force.
			if res := runCLI(t, cliOpts{}, "install-hook", r.dir); res.code != exitClean {
				t.Errorf("reinstall: exit %d\n%s", res.code, res.stderr)
			}
			os.WriteFile(want, []byte("#!/bin/sh\nexec other-tool\n"), 0o755)
			if res := runCLI(t, cliOpts{}, "install-hook", r.dir); res.code != exitUsage {
				t.Errorf("over another tool's hook: exit %d, want %d", res.code, exitUsage)
			}
			if res := runCLI(t, cliOpts{}, "install-hook", "--force", r.dir); res.code != exitClean {
				t.Errorf("--force: exit %d\n%s", res.code, res.stderr)
			}
		})
	}
	if res := runCLI(t, cliOpts{}, "install-hook", t.TempDir()); res.code != exitUsage {
		t.Errorf("not a repository: exit %d, want %d", res.code, exitUsage)
	}
}
