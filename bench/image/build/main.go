// Command build writes the image benchmark's input: an OCI layout whose
// layers are real trees from this machine (a Go toolchain, C headers, shared
// data), each capped in size, plus a layer holding a generated fake secret
// and a later layer deleting it. Layers are gzip-compressed once, by this
// program, so the layout's blobs are exactly what `gzip -dc` is timed on.
//
//	go run ./bench/image/build -out /tmp/bench-image/layout
package main

import (
	"archive/tar"
	"bufio"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/klauspost/compress/gzip"
)

// tree is one layer made from a directory, capped at max bytes of file
// content.
type tree struct {
	dir, into string
	max       int64
}

func main() {
	out := flag.String("out", "/tmp/bench-image/layout", "OCI layout directory to write")
	flag.Parse()
	work := filepath.Dir(*out)
	if err := os.MkdirAll(work, 0o755); err != nil {
		log.Fatal(err)
	}
	trees := []tree{
		{runtime.GOROOT(), "usr/local/go", 400 << 20},
		{"/usr/include", "usr/include", 200 << 20},
		{"/usr/share", "usr/share", 150 << 20},
	}
	var adds []mutate.Addendum
	var total int64
	for i, t := range trees {
		blob := filepath.Join(work, fmt.Sprintf("layer%d.tar.gz", i))
		n, err := writeLayer(blob, func(tw *tar.Writer) error { return addTree(tw, t) })
		if err != nil {
			log.Fatalf("layer %s: %v", t.dir, err)
		}
		total += n
		adds = append(adds, addendum(blob, "COPY "+t.dir+" /"+t.into))
	}
	// A fake, format-valid key (never issued): a file that a later layer
	// deletes, so the scan has findings and deleted-file work to do.
	r := rand.New(rand.NewPCG(1, 2))
	key := "AKIA"
	for range 16 {
		key += string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[r.IntN(32)])
	}
	secret := filepath.Join(work, "layer-secret.tar.gz")
	n, err := writeLayer(secret, func(tw *tar.Writer) error {
		return addFile(tw, "app/.env", []byte("AWS_ACCESS_KEY_ID="+key+"\n"), 0o600)
	})
	if err != nil {
		log.Fatal(err)
	}
	total += n
	adds = append(adds, addendum(secret, "COPY .env /app/"))
	wh := filepath.Join(work, "layer-whiteout.tar.gz")
	if _, err := writeLayer(wh, func(tw *tar.Writer) error { return addFile(tw, "app/.wh..env", nil, 0o644) }); err != nil {
		log.Fatal(err)
	}
	adds = append(adds, addendum(wh, "RUN rm /app/.env"))

	img, err := mutate.Append(empty.Image, adds...)
	if err != nil {
		log.Fatal(err)
	}
	os.RemoveAll(*out)
	if _, err := layout.Write(*out, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img})); err != nil {
		log.Fatal(err)
	}
	for _, a := range adds {
		d, _ := a.Layer.Digest()
		fmt.Println(filepath.Join(*out, "blobs", d.Algorithm, d.Hex))
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d layers, %.0f MB of file content uncompressed\n", *out, len(adds), float64(total)/(1<<20))
}

func addendum(blob, createdBy string) mutate.Addendum {
	l, err := tarball.LayerFromFile(blob)
	if err != nil {
		log.Fatal(err)
	}
	return mutate.Addendum{Layer: l, History: v1.History{CreatedBy: createdBy}}
}

// writeLayer writes a gzip-compressed tar and returns the file bytes in it.
func writeLayer(path string, fill func(*tar.Writer) error) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := gzip.NewWriter(bw)
	cw := &counter{w: zw}
	tw := tar.NewWriter(cw)
	if err := fill(tw); err != nil {
		return 0, err
	}
	if err := tw.Close(); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return cw.n, bw.Flush()
}

type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func addFile(tw *tar.Writer, name string, body []byte, mode int64) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err := tw.Write(body)
	return err
}

// addTree adds a directory's regular files (in walk order) until the cap.
func addTree(tw *tar.Writer, t tree) error {
	var used int64
	return filepath.WalkDir(t.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable entries are left out
		}
		if used >= t.max {
			return filepath.SkipAll
		}
		rel, _ := filepath.Rel(t.dir, p)
		name := filepath.ToSlash(filepath.Join(t.into, rel))
		if d.IsDir() {
			return tw.WriteHeader(&tar.Header{Name: name + "/", Mode: 0o755, Typeflag: tar.TypeDir})
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		src, err := os.Open(p)
		if err != nil {
			return nil
		}
		defer src.Close()
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: int64(info.Mode().Perm()), Size: info.Size(), Typeflag: tar.TypeReg}); err != nil {
			return err
		}
		n, err := io.Copy(tw, src)
		used += n
		return err
	})
}
