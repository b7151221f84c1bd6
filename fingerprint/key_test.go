package fingerprint

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func mustKey(t *testing.T, s string) *Key {
	t.Helper()
	k, err := NewKey([]byte(s), "test")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var fpRE = regexp.MustCompile(`^(.+):([^:]+):([0-9a-f]{16})$`)

func TestKeyedFingerprintKeepsTheFormatAndDependsOnTheKey(t *testing.T) {
	a := mustKey(t, "project-a-key-0123456789")
	b := mustKey(t, "project-b-key-0123456789")
	const secret = "hunter2-but-longer"
	fa, fb := a.Fingerprint("demo-token", "app/x.py", secret), b.Fingerprint("demo-token", "app/x.py", secret)
	for _, fp := range []string{fa, fb} {
		m := fpRE.FindStringSubmatch(fp)
		if m == nil || m[1] != "app/x.py" || m[2] != "demo-token" {
			t.Errorf("fingerprint %q is not path:rule:16 hex digits", fp)
		}
	}
	if fa == fb {
		t.Errorf("two keys give the same fingerprint %q", fa)
	}
	if fa == Unkeyed("demo-token", "app/x.py", secret) {
		t.Errorf("keyed fingerprint equals the unkeyed one")
	}
	if again := mustKey(t, "project-a-key-0123456789").Fingerprint("demo-token", "app/x.py", secret); again != fa {
		t.Errorf("same key, different fingerprint: %q vs %q", again, fa)
	}
	if a.Fingerprint("other-rule", "app/x.py", secret) == fa {
		t.Error("the rule does not enter the fingerprint")
	}
	var none *Key
	if got := none.Fingerprint("demo-token", "app/x.py", secret); got != Unkeyed("demo-token", "app/x.py", secret) {
		t.Errorf("nil key: %q, want the unkeyed form", got)
	}
	if none.SecretHash(secret) != "" {
		t.Error("nil key gives a secret hash")
	}
}

// A report holds fingerprints and secret hashes; whoever has it and a list
// of candidate passwords must not be able to tell which one leaked.
func TestReportHashesDoNotConfirmAGuess(t *testing.T) {
	k := mustKey(t, "a-project-key-nobody-outside-has")
	const secret = "Summer2026!"
	fp := k.Fingerprint("generic-password", "db.env", secret)
	sh := k.SecretHash(secret)
	if len(sh) != 64 {
		t.Fatalf("secret hash %q: want 64 hex digits", sh)
	}
	for _, guess := range []string{"Summer2026!", "Winter2025!", "password"} {
		sum := sha256.Sum256([]byte(guess))
		plain := hex.EncodeToString(sum[:])
		ruled := sha256.Sum256([]byte("generic-password\x00" + guess))
		for _, cand := range []string{plain, plain[:16], hex.EncodeToString(ruled[:8]), Unkeyed("generic-password", "db.env", guess)} {
			if strings.Contains(fp, cand) || strings.Contains(sh, cand) {
				t.Errorf("guess %q: %s is found in the report's hashes (fingerprint %s, secret_hash %s)", guess, cand, fp, sh)
			}
		}
	}
}

// secret_hash is documented as HMAC-SHA256(key, value), so a team can
// find a known secret in reports with openssl; the fingerprint's hash as
// HMAC-SHA256(key, rule NUL value) truncated.
func TestHashesAreTheDocumentedHMACs(t *testing.T) {
	key := "0123456789abcdef0123456789abcdef"
	k := mustKey(t, key)
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("s3cr3t-value"))
	if got, want := k.SecretHash("s3cr3t-value"), hex.EncodeToString(m.Sum(nil)); got != want {
		t.Errorf("secret hash %s, want %s", got, want)
	}
	m = hmac.New(sha256.New, []byte(key))
	m.Write([]byte("demo\x00s3cr3t-value"))
	if got, want := k.Fingerprint("demo", "p", "s3cr3t-value"), "p:demo:"+hex.EncodeToString(m.Sum(nil)[:8]); got != want {
		t.Errorf("fingerprint %s, want %s", got, want)
	}
}

func TestKeyIsNeverPrinted(t *testing.T) {
	const secret = "a-very-private-fingerprint-key-value"
	k := mustKey(t, secret)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"} {
		for _, arg := range []any{k, []any{k}, struct{ K *Key }{k}} {
			out := fmt.Sprintf(verb, arg)
			if strings.Contains(out, secret) || strings.Contains(strings.ToLower(out), hex.EncodeToString([]byte(secret))) {
				t.Errorf("%s of %T prints the key: %s", verb, arg, out)
			}
		}
	}
	if !strings.Contains(k.String(), k.ID()) || len(k.ID()) != 16 {
		t.Errorf("String %q should name the key by its 16-digit id %q", k.String(), k.ID())
	}
	if _, err := NewKey([]byte("short"), "env"); err == nil || strings.Contains(err.Error(), "short") {
		t.Errorf("short key: err = %v (must fail without quoting the key)", err)
	}
}

func TestWriteFileReadFileAndResolve(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, FileName)
	k, err := WriteFile(p)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, want 0600", fi.Mode().Perm())
	}
	if _, err := WriteFile(p); err == nil {
		t.Error("WriteFile replaced an existing key")
	}
	r, err := ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID() != k.ID() || r.Fingerprint("x", "y", "z") != k.Fingerprint("x", "y", "z") {
		t.Error("the key read back differs from the key written")
	}
	text, _ := os.ReadFile(p)
	env, err := Resolve(Lookup{Env: string(text), Dirs: []string{dir}})
	if err != nil || env.Source != EnvVar || env.ID() != k.ID() {
		t.Errorf("the file's text in %s: %v, %v; want the same key", EnvVar, env, err)
	}

	other := filepath.Join(t.TempDir(), "team.key")
	if err := os.WriteFile(other, []byte("  team-key-from-the-config-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		l    Lookup
		want string // Source of the key, "" for none
	}{
		{"env wins", Lookup{Env: "an-environment-key-0123", ConfigFile: other, Dirs: []string{dir}}, EnvVar},
		{"config file next", Lookup{ConfigFile: other, Dirs: []string{dir}}, other},
		{"file in a directory", Lookup{Dirs: []string{t.TempDir(), dir}}, p},
		{"none", Lookup{Dirs: []string{t.TempDir()}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Resolve(tc.l)
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (tc.want == "") || (got != nil && got.Source != tc.want) {
				t.Errorf("Resolve = %v, want the key from %q", got, tc.want)
			}
		})
	}
	if _, err := Resolve(Lookup{ConfigFile: filepath.Join(dir, "missing")}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing key_file: err = %v", err)
	}
}

// BenchmarkHashes prices what a key adds per finding: one HMAC for the
// fingerprint and one for secret_hash, against the unkeyed SHA-256.
func BenchmarkHashes(b *testing.B) {
	k, _ := NewKey([]byte("benchmark-key-0123456789"), "bench")
	const secret = "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
	b.Run("unkeyed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Unkeyed("github-pat", "app/config.py", secret)
		}
	})
	b.Run("keyed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			k.Fingerprint("github-pat", "app/config.py", secret)
			k.SecretHash(secret)
		}
	})
}
