package scan

import (
	"testing"

	"github.com/secretlint/secretlint/fingerprint"
)

func TestEngineKeyedFingerprintAndSecretHash(t *testing.T) {
	key := func(s string) *fingerprint.Key {
		k, err := fingerprint.NewKey([]byte(s), "test")
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	scanWith := func(e *Engine, path, data string) Finding {
		t.Helper()
		fs := e.Scan(Fragment{Origin: &Origin{Source: SourceFile, Path: path}, Data: []byte(data)})
		if len(fs) != 1 {
			t.Fatalf("%s: want 1 finding, got %d", path, len(fs))
		}
		return fs[0]
	}
	ka := testEngine(t, WithFingerprintKey(key("key-of-project-a-0123")))
	kb := testEngine(t, WithFingerprintKey(key("key-of-project-b-0123")))
	plain := testEngine(t)

	a1 := scanWith(ka, "app/settings.py", "KEY='"+testKey+"'\n")
	a2 := scanWith(ka, "app/settings.py", "# moved down\n\n\nKEY='"+testKey+"'\n")
	other := scanWith(ka, "deploy/prod.env", "AWS_ACCESS_KEY_ID="+testKey+"\n")
	b1 := scanWith(kb, "app/settings.py", "KEY='"+testKey+"'\n")
	p1 := scanWith(plain, "app/settings.py", "KEY='"+testKey+"'\n")

	if a1.Fingerprint != a2.Fingerprint {
		t.Errorf("keyed fingerprint changed with the line: %s vs %s", a1.Fingerprint, a2.Fingerprint)
	}
	if a1.Fingerprint == b1.Fingerprint || a1.Fingerprint == p1.Fingerprint {
		t.Errorf("fingerprints do not depend on the key: a %s, b %s, none %s", a1.Fingerprint, b1.Fingerprint, p1.Fingerprint)
	}
	if p1.Fingerprint != Fingerprint(p1.RuleID, p1.Path, p1.Secret) || p1.SecretHash != "" {
		t.Errorf("without a key: fingerprint %s, secret hash %q; want today's unkeyed form and no hash", p1.Fingerprint, p1.SecretHash)
	}
	if a1.SecretHash == "" || a1.SecretHash != other.SecretHash {
		t.Errorf("same secret in two files: secret hashes %q and %q, want equal", a1.SecretHash, other.SecretHash)
	}
	if a1.SecretHash == b1.SecretHash {
		t.Error("secret hash does not depend on the key")
	}
	if a1.Fingerprint == other.Fingerprint {
		t.Error("fingerprints of two paths are equal")
	}
	ext, err := ka.Extend(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := scanWith(ext, "app/settings.py", "KEY='"+testKey+"'\n"); got.Fingerprint != a1.Fingerprint || got.SecretHash != a1.SecretHash {
		t.Error("an extended engine lost the key")
	}
	if ka.Fingerprint(a1.RuleID, a1.Path, a1.Secret) != a1.Fingerprint {
		t.Error("Engine.Fingerprint differs from the findings' fingerprints")
	}
}
