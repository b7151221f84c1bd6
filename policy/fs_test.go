package policy

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
)

// needGit returns the git binary, skipping (or failing under
// SECRETLINT_REQUIRE_REAL_PARTS=1) when it is missing.
func needGit(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("SECRETLINT_REQUIRE_REAL_PARTS") == "1" {
			t.Fatal("git is not installed (SECRETLINT_REQUIRE_REAL_PARTS=1)")
		}
		t.Skip("git is not installed")
	}
	return p
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(needGit(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func write(t *testing.T, path, data string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

type hit struct {
	Path string
	Rule string
}

func hits(t *testing.T, root string, col *scan.Collector, only string) []hit {
	t.Helper()
	var out []hit
	for _, f := range col.Findings() {
		if f.RuleID != only {
			continue
		}
		rel, err := filepath.Rel(root, filepath.FromSlash(f.Path))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, hit{filepath.ToSlash(rel), f.RuleID})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func TestDotenvNotIgnored(t *testing.T) {
	t.Run("git repository", func(t *testing.T) {
		dir := t.TempDir()
		gitRun(t, dir, "init", "-q")
		write(t, filepath.Join(dir, ".gitignore"), ".env\n.env.local\nsecrets/\n", 0o644)
		write(t, filepath.Join(dir, ".env"), "API_TOKEN=from-env\n", 0o600)             // ignored, but tracked below
		write(t, filepath.Join(dir, ".env.local"), "API_TOKEN=local\n", 0o600)          // ignored, untracked: fine
		write(t, filepath.Join(dir, ".env.production"), "API_TOKEN=prod\n", 0o600)      // not ignored
		write(t, filepath.Join(dir, "secrets", ".env"), "API_TOKEN=nested\n", 0o600)    // ignored by directory
		write(t, filepath.Join(dir, "svc", ".env.staging"), "API_TOKEN=stage\n", 0o600) // not ignored
		write(t, filepath.Join(dir, ".env.template"), "API_TOKEN=\n", 0o644)            // templates are meant to be committed
		gitRun(t, dir, "add", ".gitignore", ".env.template")
		gitRun(t, dir, "add", "-f", ".env")
		gitRun(t, dir, "commit", "-q", "-m", "init")

		// Scan a subdirectory too: the repository is found above the root.
		col := &scan.Collector{}
		Run(context.Background(), []string{dir}, col)
		want := []hit{{".env", "dotenv-not-ignored"}, {".env.production", "dotenv-not-ignored"}, {"svc/.env.staging", "dotenv-not-ignored"}}
		if d := cmp.Diff(want, hits(t, dir, col, "dotenv-not-ignored")); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
		col = &scan.Collector{}
		Run(context.Background(), []string{filepath.Join(dir, "svc")}, col)
		if d := cmp.Diff([]hit{{"svc/.env.staging", "dotenv-not-ignored"}}, hits(t, dir, col, "dotenv-not-ignored")); d != "" {
			t.Errorf("subdirectory root (-want +got):\n%s", d)
		}
		for _, f := range col.Findings() {
			if f.RuleID == "dotenv-not-ignored" && f.Message == "" {
				t.Errorf("no message: %+v", f)
			}
		}
	})
	t.Run("no repository", func(t *testing.T) {
		dir := t.TempDir()
		write(t, filepath.Join(dir, ".gitignore"), ".env\n", 0o644)
		write(t, filepath.Join(dir, ".env"), "A=1\n", 0o600)
		write(t, filepath.Join(dir, ".env.local"), "A=1\n", 0o600)
		col := &scan.Collector{}
		Run(context.Background(), []string{dir}, col)
		if d := cmp.Diff([]hit{{".env.local", "dotenv-not-ignored"}}, hits(t, dir, col, "dotenv-not-ignored")); d != "" {
			t.Errorf("(-want +got):\n%s", d)
		}
	})
}

func TestSecretFilePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX file modes")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
	certPEM := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

	dir := t.TempDir()
	write(t, filepath.Join(dir, "tls", "server.pem"), keyPEM, 0o644)  // others can read
	write(t, filepath.Join(dir, "tls", "server.key"), keyPEM, 0o640)  // group can read
	write(t, filepath.Join(dir, "tls", "private.pem"), keyPEM, 0o600) // fine
	write(t, filepath.Join(dir, "tls", "ca.pem"), certPEM, 0o644)     // a certificate is public
	write(t, filepath.Join(dir, "ssh", "id_rsa"), "fixture\n", 0o644) // by name
	write(t, filepath.Join(dir, "ssh", "id_ed25519"), "fixture\n", 0o400)
	write(t, filepath.Join(dir, ".aws", "credentials"), "[default]\n", 0o604)
	write(t, filepath.Join(dir, "client.p12"), "\x30\x82", 0o644)
	write(t, filepath.Join(dir, "README.md"), "text\n", 0o644)

	col := &scan.Collector{}
	Run(context.Background(), []string{dir}, col)
	want := []hit{
		{".aws/credentials", "secret-file-permissions"},
		{"client.p12", "secret-file-permissions"},
		{"ssh/id_rsa", "secret-file-permissions"},
		{"tls/server.key", "secret-file-permissions"},
		{"tls/server.pem", "secret-file-permissions"},
	}
	if d := cmp.Diff(want, hits(t, dir, col, "secret-file-permissions")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// Named as a single file, too.
	col = &scan.Collector{}
	Run(context.Background(), []string{filepath.Join(dir, "ssh", "id_rsa")}, col)
	if n := len(hits(t, dir, col, "secret-file-permissions")); n != 1 {
		t.Errorf("single file root: %d findings, want 1", n)
	}
}

// TestSecretFilePermissionsTracked checks that a key file git tracks is
// not reported: git keeps only the executable bit, so its 0644 mode is the
// umask's, not a choice anyone can fix in the repository.
func TestSecretFilePermissionsTracked(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX file modes")
	}
	needGit(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))

	top := t.TempDir()
	repo := filepath.Join(top, "repo")
	write(t, filepath.Join(repo, "testdata", "tracked.key"), keyPEM, 0o644)
	gitRun(t, repo, "init", "-q")
	gitRun(t, repo, "add", "testdata/tracked.key")
	gitRun(t, repo, "commit", "-q", "-m", "fixture")
	write(t, filepath.Join(repo, "testdata", "untracked.key"), keyPEM, 0o644)
	write(t, filepath.Join(top, "plain", "server.key"), keyPEM, 0o644) // no work tree

	want := []hit{
		{"plain/server.key", "secret-file-permissions"},
		{"repo/testdata/untracked.key", "secret-file-permissions"},
	}
	// From above the repository (a directory of clones) and from inside it.
	col := &scan.Collector{}
	Run(context.Background(), []string{top}, col)
	if d := cmp.Diff(want, hits(t, top, col, "secret-file-permissions")); d != "" {
		t.Errorf("scan of parent directory (-want +got):\n%s", d)
	}
	col = &scan.Collector{}
	Run(context.Background(), []string{filepath.Join(repo, "testdata")}, col)
	if d := cmp.Diff(want[1:], hits(t, top, col, "secret-file-permissions")); d != "" {
		t.Errorf("scan inside the work tree (-want +got):\n%s", d)
	}
}

// TestRunLeavesOutVendoredDirs: the checks walk the tree with the shared
// skip list, so a dependency's .env is not the project's (the inventory
// reference search skipped these directories, the checks only
// node_modules).
func TestRunLeavesOutVendoredDirs(t *testing.T) {
	dir := t.TempDir()
	for _, d := range append([]string{"app"}, scan.VendoredDirs...) {
		write(t, filepath.Join(dir, d, ".env.local"), "A=1\n", 0o600)
	}
	col := &scan.Collector{}
	Run(context.Background(), []string{dir}, col)
	if d := cmp.Diff([]hit{{"app/.env.local", "dotenv-not-ignored"}}, hits(t, dir, col, "dotenv-not-ignored")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
