package image

import (
	"bytes"
	"os"
	"testing"

	"github.com/secretlint/secretlint/scan"
)

// FuzzWalkLayer feeds arbitrary bytes to the layer reader (compression
// sniffing, tar walking, whiteouts, file scanning): it must return, never
// panic, and stay within the layer cap.
func FuzzWalkLayer(f *testing.F) {
	f.Add(tarBytes(f, dir("app/"), file("app/.env", "AWS_ACCESS_KEY_ID="+fakeAWSKey(1)+"\n"), file("app/.wh.x", ""), file("app/.wh..wh..opq", "")))
	f.Add(gzipBytes(f, tarBytes(f, file("a", "x\n"), entry{name: "l", typ: '2'})))
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0})
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0})
	f.Add([]byte{})
	e := engine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		out := &scan.Collector{}
		w := &walker{e: e, out: out, maxFileSize: 1 << 20, maxLayer: 4 << 20, label: "fuzz", origin: scan.Origin{Source: scan.SourceImage}}
		res := w.walk(bytes.NewReader(data))
		if res.bytes > 4<<20 {
			t.Fatalf("read %d decompressed bytes past the 4 MiB cap", res.bytes)
		}
		for p := range res.entries {
			if p == "" || p[0] == '/' || bytes.Contains([]byte(p), []byte("..")) && cleanPath(p) != p {
				t.Fatalf("entry path %q not cleaned", p)
			}
		}
	})
}

// FuzzOpenArchive feeds arbitrary files to the archive indexer and the
// resolver behind it.
func FuzzOpenArchive(f *testing.F) {
	f.Add(tarBytes(f, file("oci-layout", `{"imageLayoutVersion":"1.0.0"}`), file("index.json", `{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":2}]}`)))
	f.Add(tarBytes(f, file("manifest.json", `[{"Config":"c.json","Layers":["l.tar"]}]`), file("c.json", `{}`), file("l.tar", "")))
	f.Add([]byte("not a tar"))
	e := engine(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		f, err := os.CreateTemp(dir, "in-*.tar")
		if err != nil {
			t.Fatal(err)
		}
		p := f.Name()
		defer os.Remove(p)
		_, err = f.Write(data)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		out := &scan.Collector{}
		_ = New([]string{p}).Scan(t.Context(), e, out)
	})
}
