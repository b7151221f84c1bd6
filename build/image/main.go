// Command image builds secretlint's container image as an OCI image layout
// (and optionally a docker-load tarball) without a Docker daemon, with
// go-containerregistry.
//
//	go run ./build/image -o dist/oci [-tar dist/secretlint.tar] [-version v1.2.3]
//
// The image is the static binary at /usr/local/bin/secretlint, the CA
// certificates of the build machine (for registry and verification
// requests) and an /etc/passwd naming the non-root user 65532 it runs as, on
// an empty base: nothing else to patch. Git history is read with go-git
// when there is no git binary, as in this image. The same sources, version
// and certificates give the same image digest: file times and the image's
// creation time come from SOURCE_DATE_EPOCH (default: the last commit's
// time).
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// Source is the repository the image is built from (its OCI label).
const Source = "https://github.com/secretlint/secretlint"

// User is the uid and gid the image runs as.
const User = "65532"

type options struct {
	out, tarPath, version, revision, binary, certs, arch string
	created                                              time.Time
}

func main() {
	var o options
	flag.StringVar(&o.out, "o", "", "write the image as an OCI image layout to this `DIR` (required)")
	flag.StringVar(&o.tarPath, "tar", "", "also write a docker-load tarball to this `FILE`")
	flag.StringVar(&o.version, "version", "", "image version label (default: git describe)")
	flag.StringVar(&o.binary, "binary", "", "use this static linux `BINARY` instead of building one")
	flag.StringVar(&o.certs, "certs", "/etc/ssl/certs/ca-certificates.crt", "CA certificate bundle to include")
	flag.StringVar(&o.arch, "arch", runtime.GOARCH, "target architecture")
	flag.Parse()
	if o.out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "build image:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	var err error
	if o.revision == "" {
		o.revision = gitOutput("rev-parse", "HEAD")
	}
	if o.version == "" {
		o.version = gitOutput("describe", "--tags", "--always", "--dirty")
	}
	if o.created, err = sourceDate(); err != nil {
		return err
	}
	if o.binary == "" {
		dir, err := os.MkdirTemp("", "secretlint-image")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.binary = filepath.Join(dir, "secretlint")
		if err := buildBinary(o.binary, o.arch); err != nil {
			return err
		}
	}
	img, err := Build(o)
	if err != nil {
		return err
	}
	if err := writeLayout(o.out, img, o.version); err != nil {
		return err
	}
	if o.tarPath != "" {
		tag, err := name.NewTag("secretlint:" + tagSafe(o.version))
		if err != nil {
			return err
		}
		if err := tarball.WriteToFile(o.tarPath, tag, img); err != nil {
			return err
		}
	}
	d, _ := img.Digest()
	fmt.Printf("%s %s\n", o.out, d)
	return nil
}

// Build assembles the image from a built binary and a CA bundle.
func Build(o options) (v1.Image, error) {
	bin, err := os.ReadFile(o.binary)
	if err != nil {
		return nil, err
	}
	certs, err := os.ReadFile(o.certs)
	if err != nil {
		return nil, fmt.Errorf("CA certificates: %w", err)
	}
	files := []file{
		{name: "etc/", mode: 0o755, dir: true},
		{name: "etc/passwd", mode: 0o644, data: []byte("root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:" + User + ":" + User + ":nonroot:/home/nonroot:/sbin/nologin\n")},
		{name: "etc/group", mode: 0o644, data: []byte("root:x:0:\nnonroot:x:" + User + ":\n")},
		{name: "etc/ssl/", mode: 0o755, dir: true},
		{name: "etc/ssl/certs/", mode: 0o755, dir: true},
		{name: "etc/ssl/certs/ca-certificates.crt", mode: 0o644, data: certs},
		{name: "home/", mode: 0o755, dir: true},
		{name: "home/nonroot/", mode: 0o700, dir: true, owner: User},
		{name: "src/", mode: 0o755, dir: true},
		{name: "tmp/", mode: 0o1777, dir: true},
		{name: "usr/", mode: 0o755, dir: true},
		{name: "usr/local/", mode: 0o755, dir: true},
		{name: "usr/local/bin/", mode: 0o755, dir: true},
		{name: "usr/local/bin/secretlint", mode: 0o755, data: bin},
	}
	data, err := tarOf(files, o.created)
	if err != nil {
		return nil, err
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
	if err != nil {
		return nil, err
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{
		Layer: layer,
		History: v1.History{
			Created:   v1.Time{Time: o.created},
			CreatedBy: "secretlint build/image: static binary, CA certificates, non-root user",
		},
	})
	if err != nil {
		return nil, err
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, err
	}
	cf = cf.DeepCopy()
	cf.Architecture, cf.OS = o.arch, "linux"
	cf.Created = v1.Time{Time: o.created}
	cf.Config.Entrypoint = []string{"/usr/local/bin/secretlint"}
	cf.Config.Cmd = []string{"--help"}
	cf.Config.User = User + ":" + User
	cf.Config.WorkingDir = "/src"
	cf.Config.Env = []string{"PATH=/usr/local/bin", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt", "HOME=/home/nonroot"}
	cf.Config.Labels = map[string]string{
		"org.opencontainers.image.source":      Source,
		"org.opencontainers.image.version":     o.version,
		"org.opencontainers.image.revision":    o.revision,
		"org.opencontainers.image.title":       "secretlint",
		"org.opencontainers.image.description": "finds leaked credentials in trees, git history, images and logs",
		"org.opencontainers.image.licenses":    "Apache-2.0",
		"org.opencontainers.image.created":     o.created.UTC().Format(time.RFC3339),
	}
	return mutate.ConfigFile(img, cf)
}

type file struct {
	name  string
	mode  int64
	dir   bool
	owner string
	data  []byte
}

// tarOf writes the files as a tar with fixed times and owners, so the
// layer's digest depends on the contents only.
func tarOf(files []file, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: f.mode, ModTime: mtime, Format: tar.FormatPAX, Typeflag: tar.TypeReg, Size: int64(len(f.data))}
		if f.dir {
			h.Typeflag, h.Size = tar.TypeDir, 0
		}
		if f.owner != "" {
			id, _ := strconv.Atoi(f.owner)
			h.Uid, h.Gid = id, id
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeLayout(dir string, img v1.Image, version string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	return p.AppendImage(img, layout.WithAnnotations(map[string]string{
		"org.opencontainers.image.ref.name": tagSafe(version),
	}))
}

// buildBinary builds a static, reproducible linux binary of the CLI.
func buildBinary(out, arch string) error {
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w -buildid=", "-o", out, "./cmd/secretlint")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	return nil
}

// sourceDate is SOURCE_DATE_EPOCH, or the last commit's time, or zero.
func sourceDate() (time.Time, error) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		s = gitOutput("log", "-1", "--format=%ct")
	}
	if s == "" {
		return time.Unix(0, 0).UTC(), nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q: want seconds since 1970", s)
	}
	return time.Unix(n, 0).UTC(), nil
}

func gitOutput(args ...string) string {
	out, err := exec.Command("git", args...).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// tagSafe makes a version usable as a tag: [A-Za-z0-9_.-], at most 128.
func tagSafe(v string) string {
	if v == "" {
		return "dev"
	}
	b := []byte(v)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			b[i] = '-'
		}
	}
	if len(b) > 128 {
		b = b[:128]
	}
	return string(b)
}
