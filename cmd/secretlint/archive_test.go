package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A plain-text file named like an archive is scanned as text: its secret is
// found and the exit code says so.
func TestScanTextNamedLikeArchive(t *testing.T) {
	for i, ext := range []string{".zip", ".tar", ".gz", ".tgz", ".jar", ".whl"} {
		t.Run(ext, func(t *testing.T) {
			key := imageAWSKey(uint64(100 + i))
			path := filepath.Join(t.TempDir(), "creds"+ext)
			if err := os.WriteFile(path, []byte("aws_access_key_id = "+key+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			r := runCLI(t, cliOpts{}, "scan", "--format", "json", path)
			if r.code != exitFindings {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitFindings, r.stderr)
			}
			fs := decodeFindings(t, r.stdout)
			if len(fs) != 1 || fs[0].RuleID != "aws-access-key-id" || fs[0].Line != 1 {
				t.Errorf("findings %+v, want one aws-access-key-id on line 1", fs)
			}
		})
	}
}
