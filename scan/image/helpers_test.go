package image

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// fakeAWSKey returns a format-valid, never-issued AWS access key id,
// different for each seed. Generated here so no key sits in the tree.
func fakeAWSKey(seed uint64) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	r := rand.New(rand.NewPCG(seed, 0x5ec7))
	b := []byte("AKIA")
	for range 16 {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return string(b)
}

// entry is one member of a test layer.
type entry struct {
	name string
	body string
	mode int64
	typ  byte // tar.TypeReg when zero
}

func file(name, body string) entry { return entry{name: name, body: body, mode: 0o644} }
func dir(name string) entry        { return entry{name: name, mode: 0o755, typ: tar.TypeDir} }

// tarBytes builds an uncompressed layer tar.
func tarBytes(t testing.TB, es ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range es {
		h := &tar.Header{Name: e.name, Mode: e.mode, Typeflag: e.typ, ModTime: time.Unix(1700000000, 0)}
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(e.body))
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Typeflag == tar.TypeReg {
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// layer builds a gzip layer (or zstd with tarball.WithCompression).
func layer(t testing.TB, es []entry, opts ...tarball.LayerOption) v1.Layer {
	t.Helper()
	raw := tarBytes(t, es...)
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(raw)), nil
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// rawLayer is a layer whose blob is exactly b, with the given media type.
func rawLayer(b []byte, mt types.MediaType) v1.Layer { return static.NewLayer(b, mt) }

// step is one layer and the build instruction that made it.
type step struct {
	l         v1.Layer
	createdBy string
}

// buildImage stacks layers on an empty image and sets the config.
func buildImage(t testing.TB, cfg v1.Config, steps ...step) v1.Image {
	t.Helper()
	var adds []mutate.Addendum
	for _, s := range steps {
		adds = append(adds, mutate.Addendum{Layer: s.l, History: v1.History{CreatedBy: s.createdBy}})
	}
	img, err := mutate.Append(empty.Image, adds...)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.Config = cfg
	cf.OS, cf.Architecture = "linux", "amd64"
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func engine(t testing.TB) *scan.Engine {
	t.Helper()
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	return scan.NewEngine(set)
}

// scanImages scans targets and returns the collector.
func scanImages(t testing.TB, ts []Target, opts ...Option) *scan.Collector {
	t.Helper()
	out := &scan.Collector{}
	if err := FromImages(ts, opts...).Scan(context.Background(), engine(t), out); err != nil {
		t.Fatal(err)
	}
	return out
}

func digest(t testing.TB, l v1.Layer) string {
	t.Helper()
	h, err := l.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return h.String()
}

func writeFile(p string, b []byte) error { return os.WriteFile(p, b, 0o644) }
