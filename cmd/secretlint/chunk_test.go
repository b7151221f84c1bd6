package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// bigLogWithKeys returns a text of over 9 MiB, streamed in 4 MiB chunks,
// with a freshly generated PEM private key across each place a chunk may be
// cut: the end of a chunk with a single-line tail (where a key was missed
// before chunks overlapped) and the end of one with a multi-line tail. It
// returns the text and the keys' first lines.
func bigLogWithKeys(t *testing.T) ([]byte, []int) {
	t.Helper()
	const chunk = 4 << 20
	filler := []byte("2026-12-03T07:00:00Z INFO request served in 3ms status=200\n")
	var b bytes.Buffer
	var lines []int
	line := 1
	for _, cut := range []int{chunk + 8<<10, chunk + 34826} {
		k, err := rsa.GenerateKey(rand.Reader, 1024)
		if err != nil {
			t.Fatal(err)
		}
		key := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
		for b.Len()+len(filler) <= cut-len(key)/2 {
			b.Write(filler)
			line++
		}
		lines = append(lines, line)
		b.Write(key)
		line += bytes.Count(key, []byte{'\n'})
	}
	for b.Len() < 9<<20 {
		b.Write(filler)
	}
	return b.Bytes(), lines
}

func keyLines(t *testing.T, out string) []int {
	t.Helper()
	var got []int
	for _, f := range decodeFindings(t, out) {
		if f.RuleID != "private-key" {
			t.Errorf("unexpected %s finding at %s:%d", f.RuleID, f.Path, f.Line)
			continue
		}
		got = append(got, f.Line)
	}
	return got
}

// A private key across a chunk cut is found once, in a large file, on
// standard input and in a large file inside an image layer.
func TestKeyAcrossChunkCutFoundOnce(t *testing.T) {
	data, want := bigLogWithKeys(t)
	check := func(name string, r cliRun, got func() []int) {
		t.Helper()
		if r.code != exitFindings {
			t.Fatalf("%s: exit %d, want %d; stderr:\n%s", name, r.code, exitFindings, r.stderr)
		}
		if g := got(); !equalInts(g, want) {
			t.Errorf("%s: keys found at lines %v, want %v", name, g, want)
		}
	}
	big := filepath.Join(t.TempDir(), "big.log")
	if err := os.WriteFile(big, data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, cliOpts{}, "scan", "--format", "json", big)
	check("file", r, func() []int { return keyLines(t, r.stdout) })

	r = runCLI(t, cliOpts{stdin: bytes.NewReader(data)}, "scan", "--format", "json", "-")
	check("stdin", r, func() []int { return keyLines(t, r.stdout) })

	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: imageLayer(t, map[string]string{"var/log/big.log": string(data)}), History: v1.History{CreatedBy: "COPY big.log /var/log/"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "oci")
	if _, err := layout.Write(dir, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img})); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, cliOpts{}, "image", "--format", "json", dir)
	check("image layer", r, func() []int { return keyLines(t, r.stdout) })
	if strings.Contains(r.stdout, "PRIVATE KEY-----\nMII") {
		t.Errorf("report holds a key unredacted")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
