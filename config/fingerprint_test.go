package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestFingerprintKeyFile(t *testing.T) {
	dir := t.TempDir()
	cfg, err := Parse(filepath.Join(dir, ".secretlint.toml"), []byte("[fingerprint]\nkey_file = \"../keys/project.key\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(filepath.Dir(dir), "keys", "project.key"); cfg.FingerprintKeyFile != want {
		t.Errorf("key_file resolved to %q, want %q (relative to the configuration)", cfg.FingerprintKeyFile, want)
	}
	cfg, err = Parse(filepath.Join(dir, ".secretlint.toml"), []byte("[fingerprint]\nkey_file = \"/etc/secretlint/key\"\n"))
	if err != nil || cfg.FingerprintKeyFile != "/etc/secretlint/key" {
		t.Errorf("absolute key_file: %q, %v", cfg.FingerprintKeyFile, err)
	}
	if cfg, _ := Parse("c.toml", []byte(demoRule)); cfg.FingerprintKeyFile != "" {
		t.Errorf("no [fingerprint]: key file %q", cfg.FingerprintKeyFile)
	}

	const inline = "an-inline-key-that-must-not-be-echoed"
	for _, tc := range []struct{ name, toml, want string }{
		{"inline key", demoRule + "\n[fingerprint]\nkey = \"" + inline + "\"\n", "c.toml:11: [fingerprint] key: a key written in the configuration is committed with it"},
		{"unknown key", "[fingerprint]\nkeyfile = 'k'\n", `c.toml:2: unknown key "fingerprint.keyfile" (known keys here: key, key_file)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(tc.toml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), inline) {
				t.Errorf("the error quotes the key: %v", err)
			}
		})
	}
}
