package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tripwire is a stdin that records whether the command began reading,
// i.e. began scanning.
type tripwire struct{ read bool }

func (r *tripwire) Read([]byte) (int, error) {
	r.read = true
	return 0, errors.New("read after the output was refused")
}

// runCLIBounded is runCLI that fails instead of hanging (opening a FIFO
// for writing blocks until someone reads it).
func runCLIBounded(t *testing.T, o cliOpts, args ...string) cliRun {
	t.Helper()
	done := make(chan cliRun, 1)
	go func() { done <- runCLI(t, o, args...) }()
	select {
	case r := <-done:
		return r
	case <-time.After(10 * time.Second):
		t.Fatalf("secretlint %s did not return", strings.Join(args, " "))
		return cliRun{}
	}
}

func TestOutputRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, tc := range []struct {
		name, path, want string
	}{
		{"fifo", fifo, "a FIFO"},
		{"directory", dir, "a directory"},
	} {
		for _, cmd := range [][]string{{"scan"}, {"redact"}} {
			t.Run(tc.name+"/"+cmd[0], func(t *testing.T) {
				before, _ := os.Lstat(tc.path)
				in := &tripwire{}
				args := append(append([]string{}, cmd...), "-o", tc.path, "-")
				r := runCLIBounded(t, cliOpts{stdin: in}, args...)
				if r.code != exitUsage {
					t.Errorf("exit %d, want %d; stderr %s", r.code, exitUsage, r.stderr)
				}
				if !strings.Contains(r.stderr, tc.path) || !strings.Contains(r.stderr, tc.want) {
					t.Errorf("stderr %q does not name %s as %s", r.stderr, tc.path, tc.want)
				}
				if in.read {
					t.Error("the input was read before the output was refused")
				}
				after, _ := os.Lstat(tc.path)
				if before.Mode() != after.Mode() {
					t.Errorf("mode changed from %v to %v", before.Mode(), after.Mode())
				}
			})
		}
	}
}

func TestOutputSymlinkNotFollowed(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	os.WriteFile(target, []byte("keep me\n"), 0o644)
	link := filepath.Join(dir, "report.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "src.txt")
	os.WriteFile(src, []byte("token="+githubPAT(7)+"\n"), 0o644)

	for _, cmd := range []string{"scan", "redact"} {
		r := runCLI(t, cliOpts{}, cmd, "-o", link, src)
		if r.code != exitUsage || !strings.Contains(r.stderr, "symlink") {
			t.Errorf("%s: exit %d, stderr %q; want %d naming the symlink", cmd, r.code, r.stderr, exitUsage)
		}
		got, _ := os.ReadFile(target)
		fi, _ := os.Stat(target)
		if string(got) != "keep me\n" || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: link target now %q mode %v", cmd, got, fi.Mode().Perm())
		}
	}

	// --force replaces the link, never the file it points to.
	r := runCLI(t, cliOpts{}, "scan", "--force", "--format", "json", "-o", link, src)
	if r.code != exitFindings {
		t.Fatalf("--force: exit %d; stderr %s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(target); string(got) != "keep me\n" {
		t.Errorf("--force wrote through the link: target %q", got)
	}
	fi, err := os.Lstat(link)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Errorf("--force: output %v (%v), want a regular 0600 file", fi.Mode(), err)
	}
}

func TestOutputExistingMode(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.txt")
	os.WriteFile(src, []byte("nothing here\n"), 0o644)
	out := filepath.Join(dir, "report.txt")
	os.WriteFile(out, []byte("old\n"), 0o640)
	os.Chmod(out, 0o640)

	r := runCLI(t, cliOpts{}, "scan", "-o", out, src)
	if r.code != exitClean {
		t.Fatalf("exit %d; stderr %s", r.code, r.stderr)
	}
	fi, _ := os.Stat(out)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if !strings.Contains(r.stderr, "warning") || !strings.Contains(r.stderr, out) {
		t.Errorf("no warning about narrowing a group-readable report: %q", r.stderr)
	}

	// A private mode other than 0600 is the user's choice and stays.
	os.Chmod(out, 0o700)
	if r = runCLI(t, cliOpts{}, "scan", "-o", out, src); r.code != exitClean || strings.Contains(r.stderr, "warning") {
		t.Fatalf("exit %d; stderr %s", r.code, r.stderr)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o700 {
		t.Errorf("mode %v, want 0700 kept", fi.Mode().Perm())
	}
	if got, _ := os.ReadFile(out); strings.Contains(string(got), "old") {
		t.Errorf("report not truncated: %q", got)
	}
}

func TestRedactRefusesItsInputAsOutput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "app.log")
	text := "line one\ntoken=" + githubPAT(9) + "\n"
	os.WriteFile(in, []byte(text), 0o600)
	hard := filepath.Join(dir, "hard.log")
	if err := os.Link(in, hard); err != nil {
		t.Fatal(err)
	}

	cases := map[string]func() cliRun{
		"stdin redirected from it": func() cliRun {
			f, err := os.Open(in)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			return runCLI(t, cliOpts{stdin: f}, "redact", "-o", in, "-")
		},
		"stdin, output by another name": func() cliRun {
			f, _ := os.Open(in)
			defer f.Close()
			return runCLI(t, cliOpts{stdin: f}, "redact", "-o", hard)
		},
		"hard link": func() cliRun { return runCLI(t, cliOpts{}, "redact", "-o", hard, in) },
		"same name": func() cliRun { return runCLI(t, cliOpts{}, "redact", "-o", in, in) },
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			r := run()
			if r.code != exitUsage || !strings.Contains(r.stderr, "is the input") {
				t.Errorf("exit %d, stderr %q; want %d", r.code, r.stderr, exitUsage)
			}
			if got, _ := os.ReadFile(in); string(got) != text {
				t.Errorf("input changed to %q", got)
			}
		})
	}
}

// The baseline file and inventory init's draft are outputs too: a symlink
// at the path is never followed (--force replaces the link), a device,
// FIFO or directory is refused with exit 2, and a new file is 0600.
func TestBaselineAndInventoryDraftUseTheSafeWriter(t *testing.T) {
	tree := writeTree(t, map[string]string{"app.env": "TOKEN=" + githubPAT(11) + "\n"})
	commands := map[string]func(path string, force bool) []string{
		"baseline": func(path string, force bool) []string {
			args := []string{"baseline", "--baseline-file", path, tree}
			if force {
				args = append(args, "--force")
			}
			return args
		},
		"inventory init": func(path string, force bool) []string {
			args := []string{"inventory", "init", "-o", path, tree}
			if force {
				args = append(args, "--force")
			}
			return args
		},
	}
	for name, argsFor := range commands {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "precious")
			os.WriteFile(target, []byte("keep me\n"), 0o644)
			link := filepath.Join(dir, "out")
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			for _, force := range []bool{false, true} {
				r := runCLIBounded(t, cliOpts{}, argsFor(link, force)...)
				if got, _ := os.ReadFile(target); string(got) != "keep me\n" {
					t.Fatalf("force=%v: wrote through the symlink: target now %q (exit %d, %s)", force, got, r.code, r.stderr)
				}
				if !force && (r.code != exitUsage || !strings.Contains(r.stderr, "symlink")) {
					t.Errorf("symlink without --force: exit %d, stderr %q; want %d naming the symlink", r.code, r.stderr, exitUsage)
				}
			}
			// --force replaced the link by a private regular file.
			if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
				t.Errorf("--force: %s is %v (%v), want a regular 0600 file", link, fi.Mode(), err)
			}
			fresh := filepath.Join(dir, "fresh")
			if r := runCLI(t, cliOpts{}, argsFor(fresh, false)...); r.code != exitClean {
				t.Fatalf("new file: exit %d, stderr %s", r.code, r.stderr)
			}
			if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("new file mode %v (%v), want 0600", fi.Mode().Perm(), err)
			}

			fifo := filepath.Join(dir, "fifo")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
			for _, tc := range []struct{ path, kind string }{{fifo, "a FIFO"}, {dir, "a directory"}, {"/dev/null", "a character device"}} {
				for _, force := range []bool{false, true} {
					before, _ := os.Lstat(tc.path)
					r := runCLIBounded(t, cliOpts{}, argsFor(tc.path, force)...)
					lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
					if r.code != exitUsage || !strings.Contains(r.stderr, tc.kind) || len(lines) != 1 {
						t.Errorf("%s (force=%v): exit %d, stderr %q; want %d and one line naming %s", tc.path, force, r.code, r.stderr, exitUsage, tc.kind)
					}
					if after, _ := os.Lstat(tc.path); before.Mode() != after.Mode() {
						t.Errorf("%s: mode changed from %v to %v", tc.path, before.Mode(), after.Mode())
					}
				}
			}
		})
	}
}
