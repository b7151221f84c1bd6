package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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

// An archive nested deeper than --archive-depth, or inflating past
// --archive-max-size, is an error in the report: with nothing else found
// the exit code is 3, not 0.
func TestScanArchiveOverCapsIsAnError(t *testing.T) {
	secret := []byte("aws_access_key_id = " + imageAWSKey(120) + "\n")
	nested := secret
	for range 3 {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.Create("level.zip")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(nested)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		nested = buf.Bytes()
	}
	var bomb bytes.Buffer
	gw := gzip.NewWriter(&bomb)
	gw.Write(bytes.Repeat([]byte("aaaaaaa\n"), 1<<20))
	gw.Close()
	for _, tc := range []struct {
		name, file string
		data       []byte
		args       []string
		want       string
	}{
		{"depth", "deep.zip", nested, []string{"--archive-depth", "2"}, "nested deeper than 2"},
		{"size", "bomb.gz", bomb.Bytes(), []string{"--archive-max-size", "1MB"}, "archive cap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			r := runCLI(t, cliOpts{}, append(append([]string{"scan", "--format", "json"}, tc.args...), path)...)
			if r.code != exitInput {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitInput, r.stderr)
			}
			var rep struct {
				Errors []struct{ Input, Error string } `json:"errors"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error, tc.want) {
				t.Errorf("report errors %+v, want one saying %q", rep.Errors, tc.want)
			}
		})
	}
}
