package image

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/secretlint/secretlint/scan"
)

// secretImage is a two-layer image whose first layer holds a secret file
// that the second deletes, and whose Env holds another secret.
func secretImage(t testing.TB, seed uint64) v1.Image {
	t.Helper()
	l0 := layer(t, []entry{dir("app/"), {name: "app/settings.ini", body: "[aws]\nkey = " + fakeAWSKey(seed) + "\n", mode: 0o600}})
	l1 := layer(t, []entry{dir("app/"), file("app/.wh.settings.ini", ""), file("app/VERSION", "1\n")})
	return buildImage(t, v1.Config{Env: []string{"AWS_ACCESS_KEY_ID=" + fakeAWSKey(seed+1)}},
		step{l0, "COPY settings.ini /app/"}, step{l1, "RUN rm /app/settings.ini"})
}

// summary renders findings as "path line deleted secret-seed" lines.
func summary(fs []scan.Finding) []string {
	var out []string
	for _, f := range fs {
		s := f.Path + " deleted=" + map[bool]string{true: "yes", false: "no"}[f.Deleted]
		out = append(out, s+" "+f.Secret)
	}
	sort.Strings(out)
	return out
}

func wantSummary(seed uint64) []string {
	return []string{
		"/app/settings.ini deleted=yes " + fakeAWSKey(seed),
		"config:Env deleted=no " + fakeAWSKey(seed+1),
	}
}

func writeLayout(t testing.TB, dir string, idx v1.ImageIndex) {
	t.Helper()
	if _, err := layout.Write(dir, idx); err != nil {
		t.Fatal(err)
	}
}

// tarDir writes dir as an uncompressed tar (an OCI archive when dir is a
// layout).
func tarDir(t testing.TB, dir, out string) {
	t.Helper()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	tw := tar.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		h, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		h.Name = filepath.ToSlash(rel)
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		_, err = io.Copy(tw, src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func scanArgs(t testing.TB, r *Resolver, args ...string) *scan.Collector {
	t.Helper()
	out := &scan.Collector{}
	if err := New(args, WithResolver(r), WithPolicy(false)).Scan(context.Background(), engine(t), out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestResolveInputs(t *testing.T) {
	dir := t.TempDir()
	img := secretImage(t, 100)

	saved := filepath.Join(dir, "saved.tar")
	tag, _ := name.NewTag("example.test/app:1")
	if err := tarball.WriteToFile(saved, tag, img); err != nil {
		t.Fatal(err)
	}
	lay := filepath.Join(dir, "layout")
	writeLayout(t, lay, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img}))
	archive := filepath.Join(dir, "oci-archive.tar")
	tarDir(t, lay, archive)

	for _, arg := range []string{saved, lay, archive} {
		t.Run(filepath.Base(arg), func(t *testing.T) {
			out := scanArgs(t, NewResolver(), arg)
			if errs := out.Errors(); len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if diff := cmp.Diff(wantSummary(100), summary(out.Findings())); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			want, _ := img.Digest()
			for _, f := range out.Findings() {
				if f.Image != arg {
					t.Errorf("image = %q, want %q", f.Image, arg)
				}
				if arg != saved && f.Manifest != want.String() {
					t.Errorf("manifest = %q, want %q", f.Manifest, want)
				}
			}
		})
	}
}

func TestResolvePlatforms(t *testing.T) {
	host := v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
	other := v1.Platform{OS: "linux", Architecture: "s390x"}
	if runtime.GOARCH == "s390x" {
		other.Architecture = "amd64"
	}
	att := v1.Platform{OS: "unknown", Architecture: "unknown"}
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: secretImage(t, 200), Descriptor: v1.Descriptor{Platform: &host}},
		mutate.IndexAddendum{Add: secretImage(t, 300), Descriptor: v1.Descriptor{Platform: &other}},
		mutate.IndexAddendum{Add: buildImage(t, v1.Config{}), Descriptor: v1.Descriptor{Platform: &att}},
	)
	// A layout whose index.json points at a nested multi-platform index,
	// as docker save writes it.
	lay := filepath.Join(t.TempDir(), "multi")
	writeLayout(t, lay, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: idx}))

	tests := []struct {
		name    string
		opts    []ResolveOption
		want    []string
		wantErr string
	}{
		{"host by default", nil, wantSummary(200), ""},
		{"--platform", []ResolveOption{WithPlatform(other)}, wantSummary(300), ""},
		{"--all-platforms", []ResolveOption{WithAllPlatforms(true)}, append(wantSummary(200), wantSummary(300)...), ""},
		{"missing platform", []ResolveOption{WithPlatform(v1.Platform{OS: "windows", Architecture: "arm64"})}, nil, "no image for platform windows/arm64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := scanArgs(t, NewResolver(tt.opts...), lay)
			got := summary(out.Findings())
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			errs := out.Errors()
			if tt.wantErr == "" && len(errs) > 0 {
				t.Errorf("errors: %v", errs)
			}
			if tt.wantErr != "" && (len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.wantErr) || !strings.Contains(errs[0].Error(), lay)) {
				t.Errorf("errors = %v, want one naming %s and saying %q", errs, lay, tt.wantErr)
			}
		})
	}
}

func TestResolveBadInput(t *testing.T) {
	dir := t.TempDir()
	img := secretImage(t, 400)
	saved := filepath.Join(dir, "saved.tar")
	tag, _ := name.NewTag("example.test/app:1")
	if err := tarball.WriteToFile(saved, tag, img); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(saved)
	truncated := filepath.Join(dir, "truncated.tar")
	os.WriteFile(truncated, data[:len(data)/2], 0o644)

	notImage := filepath.Join(dir, "plain.tar")
	os.WriteFile(notImage, tarBytes(t, file("README", "hello\n")), 0o644)
	notTar := filepath.Join(dir, "random.bin")
	os.WriteFile(notTar, []byte(strings.Repeat("\x07junk", 300)), 0o644)
	gz := filepath.Join(dir, "saved.tar.gz")
	os.WriteFile(gz, gzipBytes(t, data), 0o644)

	// A layout whose first layer blob is gone: the other layer and the
	// config are still scanned.
	lay := filepath.Join(dir, "layout")
	writeLayout(t, lay, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img}))
	ls, _ := img.Layers()
	h, _ := ls[0].Digest()
	os.Remove(filepath.Join(lay, "blobs", h.Algorithm, h.Hex))

	tests := []struct {
		arg      string
		wantErr  []string
		findings int
	}{
		{truncated, []string{truncated, "truncated"}, 0},
		{notImage, []string{notImage, "not an image archive"}, 0},
		{notTar, []string{notTar, "not an image archive"}, 0},
		{gz, []string{gz, "gzip-compressed"}, 0},
		{lay, []string{lay, "layer 0", h.String()}, 1},
		{"bad reference!!", []string{"bad reference!!", "not a file, directory or image reference"}, 0},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.arg), func(t *testing.T) {
			out := scanArgs(t, NewResolver(), tt.arg)
			errs := out.Errors()
			if len(errs) != 1 {
				t.Fatalf("errors = %v, want one", errs)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(errs[0].Error(), w) {
					t.Errorf("error %q does not mention %q", errs[0], w)
				}
			}
			if got := len(out.Findings()); got != tt.findings {
				t.Errorf("findings = %v, want %d", summary(out.Findings()), tt.findings)
			}
		})
	}
}

// TestLegacyDockerSave reads a docker save tarball in the layout Docker
// wrote before version 25: plain tar layers at <id>/layer.tar, no OCI
// index. Layers are named by diff ID, the image by its ID.
func TestLegacyDockerSave(t *testing.T) {
	img := secretImage(t, 900)
	rawCfg, err := img.RawConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	id, _ := img.ConfigName()
	ls, _ := img.Layers()
	es := []entry{file(id.Hex+".json", string(rawCfg))}
	var names []string
	for i, l := range ls {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		n := fmt.Sprintf("layer%d/layer.tar", i)
		names = append(names, `"`+n+`"`)
		es = append(es, file(n, string(b)))
	}
	es = append(es, file("manifest.json", `[{"Config":"`+id.Hex+`.json","RepoTags":["example.test/app:1"],"Layers":[`+strings.Join(names, ",")+`]}]`))
	p := filepath.Join(t.TempDir(), "legacy.tar")
	if err := os.WriteFile(p, tarBytes(t, es...), 0o644); err != nil {
		t.Fatal(err)
	}
	out := scanArgs(t, NewResolver(), p)
	if errs := out.Errors(); len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if diff := cmp.Diff(wantSummary(900), summary(out.Findings())); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	diff0, _ := ls[0].DiffID()
	for _, f := range out.Findings() {
		if f.Manifest != id.String() {
			t.Errorf("manifest = %q, want the image ID %s", f.Manifest, id)
		}
		if f.LayerIndex != nil && *f.LayerIndex == 0 && f.Layer != diff0.String() {
			t.Errorf("layer = %q, want the diff ID %s", f.Layer, diff0)
		}
	}
}

// TestLayoutBlobReplaced swaps a layer blob of a layout for another valid
// layer: the scan reads it but reports that the digest does not match.
func TestLayoutBlobReplaced(t *testing.T) {
	img := secretImage(t, 1100)
	lay := filepath.Join(t.TempDir(), "layout")
	writeLayout(t, lay, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img}))
	ls, _ := img.Layers()
	h, _ := ls[1].Digest()
	other := layer(t, []entry{file("etc/motd", "hello\n")})
	rc, err := other.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if err := os.WriteFile(filepath.Join(lay, "blobs", h.Algorithm, h.Hex), b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := scanArgs(t, NewResolver(), lay)
	errs := out.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), lay+" layer 1 "+h.String()) || !strings.Contains(errs[0].Error(), "digest mismatch") {
		t.Fatalf("errors = %v, want one naming layer 1 (digest mismatch)", errs)
	}
}
