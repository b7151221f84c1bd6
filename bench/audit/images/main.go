// Command images writes the audit benchmark's image targets: N docker-save
// tarballs, made without a daemon, whose sizes grow geometrically from
// -min to -max (100× apart by default). Each image has a filler layer of
// text files, a layer adding a config file with a fake AWS key (every
// fifth image the same key, so the merge groups it) and, for every other
// image, a later layer deleting that file. It prints one targets-file line
// per image, weighted by its size in KB.
//
//	go run ./bench/audit/images -n 20 -out /tmp/images >>targets.txt
package main

import (
	"archive/tar"
	"bytes"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func main() {
	n := flag.Int("n", 20, "number of images")
	out := flag.String("out", "", "directory to write the tarballs to")
	minKB := flag.Int("min", 50, "size of the smallest image's files, KB")
	maxKB := flag.Int("max", 5000, "size of the largest image's files, KB")
	flag.Parse()
	if *out == "" || *n < 1 {
		log.Fatal("usage: images -n N -out DIR [-min KB] [-max KB]")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	shared := fakeKey()
	for i := 0; i < *n; i++ {
		kb := float64(*minKB)
		if *n > 1 {
			kb *= math.Pow(float64(*maxKB)/float64(*minKB), float64(i)/float64(*n-1))
		}
		key := fakeKey()
		if i%5 == 0 {
			key = shared
		}
		path := filepath.Join(*out, fmt.Sprintf("image-%02d.tar", i))
		if err := write(path, i, int(kb)<<10, key, i%2 == 1); err != nil {
			log.Fatalf("image %d: %v", i, err)
		}
		fmt.Printf("image %s weight=%d\n", path, int(kb))
	}
}

// write builds image i: size bytes of filler in 64 KB files, the key's
// file, and when deleted a whiteout for it in a third layer.
func write(path string, i, size int, key string, deleted bool) error {
	filler := map[string][]byte{}
	for f := 0; size > 0; f++ {
		n := min(size, 64<<10)
		filler[fmt.Sprintf("usr/share/app/data-%03d.txt", f)] = text(n)
		size -= n
	}
	adds := []mutate.Addendum{
		{Layer: layer(filler), History: v1.History{CreatedBy: "COPY data/ /usr/share/app/"}},
		{Layer: layer(map[string][]byte{"etc/app/aws.env": []byte(fmt.Sprintf("# image %d\nAWS_ACCESS_KEY_ID=%s\n", i, key))}),
			History: v1.History{CreatedBy: "COPY aws.env /etc/app/"}},
	}
	if deleted {
		adds = append(adds, mutate.Addendum{Layer: layer(map[string][]byte{"etc/app/.wh.aws.env": nil}),
			History: v1.History{CreatedBy: "RUN rm /etc/app/aws.env"}})
	}
	img, err := mutate.Append(empty.Image, adds...)
	if err != nil {
		return err
	}
	ref, err := name.NewTag(fmt.Sprintf("bench.example.test/app-%02d:1", i))
	if err != nil {
		return err
	}
	return tarball.WriteToFile(path, ref, img)
}

// text is n bytes of base64 lines, as the git targets' files are.
func text(n int) []byte {
	raw := make([]byte, n*3/4+76)
	rand.Read(raw)
	enc := base64.StdEncoding.EncodeToString(raw)
	var b bytes.Buffer
	for len(enc) > 76 && b.Len()+77 <= n {
		b.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	return b.Bytes()
}

func layer(files map[string][]byte) v1.Layer {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, data := range files {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg})
		tw.Write(data)
	}
	tw.Close()
	l, err := tarball.LayerFromReader(&buf)
	if err != nil {
		log.Fatal(err)
	}
	return l
}

// fakeKey is AKIA and 16 random base32 characters: the shape of an AWS
// access key ID, never a real one.
func fakeKey() string {
	b := make([]byte, 10)
	rand.Read(b)
	return "AKIA" + base32.StdEncoding.EncodeToString(b)[:16]
}
