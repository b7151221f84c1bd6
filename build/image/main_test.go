package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"
)

// TestImage builds the tool's image as an OCI layout, checks its config,
// that the same inputs give the same digest, and that secretlint scanning
// its own image finds nothing.
func TestImage(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not found")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "secretlint")
	// The binary is built from the module root, as the command does.
	wd, _ := os.Getwd()
	root := filepath.Join(wd, "..", "..")
	t.Chdir(root)
	if err := buildBinary(bin, runtime.GOARCH); err != nil {
		t.Fatal(err)
	}
	certs := filepath.Join(dir, "ca.crt")
	// A stand-in bundle: the test must not depend on the machine's.
	os.WriteFile(certs, []byte("# CA bundle for the test image\n"), 0o644)
	o := options{version: "v0.0.0-test", revision: "0123456789abcdef0123456789abcdef01234567",
		binary: bin, certs: certs, arch: runtime.GOARCH, created: time.Unix(1700000000, 0).UTC()}
	img, err := Build(o)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Build(o)
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := img.Digest()
	d2, _ := again.Digest()
	if d1 != d2 {
		t.Errorf("two builds of the same inputs: %s and %s", d1, d2)
	}

	out := filepath.Join(dir, "oci")
	if err := writeLayout(out, img, o.version); err != nil {
		t.Fatal(err)
	}
	idx, err := layout.ImageIndexFromPath(out)
	if err != nil {
		t.Fatal(err)
	}
	man, _ := idx.IndexManifest()
	if len(man.Manifests) != 1 || man.Manifests[0].Digest != d1 {
		t.Fatalf("layout index %+v, want the one image %s", man.Manifests, d1)
	}
	got, err := idx.Image(d1)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := got.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if len(c.Entrypoint) != 1 || c.Entrypoint[0] != "/usr/local/bin/secretlint" {
		t.Errorf("entrypoint %v", c.Entrypoint)
	}
	if u := strings.Split(c.User, ":")[0]; u == "" || u == "0" || u == "root" {
		t.Errorf("the image runs as %q, want a non-root user", c.User)
	}
	for k, v := range map[string]string{
		"org.opencontainers.image.source":   Source,
		"org.opencontainers.image.version":  o.version,
		"org.opencontainers.image.revision": o.revision,
	} {
		if c.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], v)
		}
	}
	if cf.OS != "linux" || cf.Architecture != runtime.GOARCH || !cf.Created.Time.Equal(o.created) {
		t.Errorf("platform %s/%s created %v", cf.OS, cf.Architecture, cf.Created)
	}

	// The binary in the image says what it is, and the image scans clean.
	if v, err := exec.Command(bin, "version").Output(); err != nil || !strings.Contains(string(v), "go1") {
		t.Errorf("secretlint version: %v %s", err, v)
	}
	cmd := exec.Command(bin, "image", "--format", "json", out)
	rep, err := cmd.Output()
	if err != nil {
		t.Fatalf("secretlint image on its own image: %v\n%s", err, rep)
	}
	var r struct {
		Findings []json.RawMessage `json:"findings"`
		Stats    struct {
			Inputs int `json:"inputs"`
		} `json:"stats"`
	}
	if err := json.Unmarshal(rep, &r); err != nil || len(r.Findings) != 0 || r.Stats.Inputs == 0 {
		t.Errorf("own image: %v, %d findings in %d inputs\n%s", err, len(r.Findings), r.Stats.Inputs, rep)
	}
}
