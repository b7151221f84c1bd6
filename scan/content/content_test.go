package content

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// testKey is a format-valid fake AWS access key ID, assembled so this file
// holds no match itself.
var testKey = "AKIA" + "QH746YNG" + "7BY3A4RO"

func engine(t testing.TB) *scan.Engine {
	t.Helper()
	r, err := rules.Spec{ID: "aws-access-key-id", Keywords: []string{"akia"}, Regex: `\b(AKIA[A-Z2-7]{16})\b`, SecretGroup: 1}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.NewSet([]*rules.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	return scan.NewEngine(set)
}

func tarball(t testing.TB, files map[string][]byte) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(files[n])
	}
	tw.Close()
	return buf.Bytes()
}

func gz(data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func zipped(t testing.TB, files map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for n, d := range files {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(d)
	}
	zw.Close()
	return buf.Bytes()
}

// bucket is a source of named blobs held in memory, as an object store
// lists and opens them: the page of code a new source type needs.
type bucket map[string][]byte

func (b bucket) List(ctx context.Context, out Sink, add func(Entry)) error {
	keys := make([]string, 0, len(b))
	for k := range b {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		add(Entry{Origin: scan.Origin{Source: "bucket", Path: "s3://bkt/" + k}, Size: int64(len(b[k])), Ref: k})
	}
	return nil
}

func (b bucket) Open(ctx context.Context, e Entry) (io.ReadCloser, error) {
	key := e.Ref.(string)
	data, ok := b[key]
	if !ok || key == "gone" {
		return nil, fmt.Errorf("get %s: no such key", key)
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

type result struct {
	found, errors, skipped []string
	inputs                 int64
}

func collect(col *scan.Collector) result {
	var r result
	for _, f := range col.Findings() {
		r.found = append(r.found, f.Source+" "+f.Path+":"+strconv.Itoa(f.Line)+":"+strconv.Itoa(f.Column))
	}
	for _, e := range col.Errors() {
		r.errors = append(r.errors, e.Error())
	}
	for _, s := range col.Skips() {
		r.skipped = append(r.skipped, s.Input+": "+s.Reason)
	}
	sort.Strings(r.found)
	r.inputs = col.Inputs()
	return r
}

// TestSourceFromListerAndOpener: a source built from a lister and an
// opener gets the whole content stage: archives told by their bytes and
// opened, binary data noted once, size caps, unreadable entries reported.
func TestSourceFromListerAndOpener(t *testing.T) {
	secret := []byte("x\nkey=" + testKey + "\n")
	b := bucket{
		"a.env":      secret,
		"bundle.jar": zipped(t, map[string][]byte{"conf/app.properties": secret, "lib.so": []byte("\x7fELF\x00\x00" + testKey)}),
		"logs.tgz":   gz(tarball(t, map[string][]byte{"./app.log": secret})),
		"creds.zip":  secret, // text named like an archive
		"image.png":  []byte("\x89PNG\x00\x00" + testKey),
		"huge.txt":   bytes.Repeat([]byte("y"), 2000),
		"gone":       nil,
		"nested.zip": zipped(t, map[string][]byte{"in.zip": zipped(t, map[string][]byte{"in2.zip": zipped(t, map[string][]byte{"k": secret})})}),
	}
	col := &scan.Collector{}
	src := NewSource("s3://bkt", b, b, 2, WithMaxFileSize(1500), WithArchiveLimits(2, 1<<20))
	if err := src.Scan(context.Background(), engine(t), col); err != nil {
		t.Fatal(err)
	}
	r := collect(col)
	want := []string{
		"bucket s3://bkt/a.env:2:5",
		"bucket s3://bkt/bundle.jar!conf/app.properties:2:5",
		"bucket s3://bkt/creds.zip:2:5",
		"bucket s3://bkt/logs.tgz!app.log:2:5",
	}
	if diff := cmp.Diff(want, r.found); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	wantErrs := []string{
		"s3://bkt/gone: get gone: no such key",
		"s3://bkt/nested.zip!in.zip!in2.zip: archive nested deeper than 2 levels (--archive-depth); not opened",
	}
	sort.Strings(r.errors)
	if diff := cmp.Diff(wantErrs, r.errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	wantSkips := []string{
		"s3://bkt/huge.txt: larger than --max-file-size (2000 bytes)",
		"s3://bkt: 2 binary files not scanned (--binary scans them)",
	}
	sort.Strings(r.skipped)
	if diff := cmp.Diff(wantSkips, r.skipped); diff != "" {
		t.Errorf("skips (-want +got):\n%s", diff)
	}
}

// TestUncappedMemberStreamed: with no size cap (--max-file-size 0) an
// archive member larger than the whole-piece limit is scanned in windows,
// not read into memory whole, and a secret at its end is found once.
func TestUncappedMemberStreamed(t *testing.T) {
	filler := bytes.Repeat([]byte("filler line of text\n"), (wholeLimit/20)+100)
	data := append(append([]byte{}, filler...), []byte("key="+testKey+"\n")...)
	col := &scan.Collector{}
	st := New(engine(t), WithMaxFileSize(0))
	blob := gz(data)
	st.File(scan.Origin{Source: scan.SourceFile, Path: "big.gz"}, bytes.NewReader(blob), int64(len(blob)), col)
	r := collect(col)
	want := []string{fmt.Sprintf("file big.gz!big:%d:5", wholeLimit/20+101)}
	if diff := cmp.Diff(want, r.found); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if frags, _ := st.e.Scanned(); frags < 2 {
		t.Errorf("scanned in %d fragments, want windows (more than one)", frags)
	}
}

// TestGuard: exactly the limit is fine, one byte more stops the read; the
// ratio stops a stream that outgrows its compressed size past the floor.
func TestGuard(t *testing.T) {
	bomb := errors.New("bomb")
	for _, tc := range []struct {
		name string
		n    int
		g    *Guard
		err  error
	}{
		{"at limit", 100, &Guard{Limit: 100, Err: bomb}, nil},
		{"over limit", 101, &Guard{Limit: 100, Err: bomb}, bomb},
		{"no limit", 1 << 20, &Guard{Err: bomb}, nil},
		{"ratio", 1 << 20, &Guard{Ratio: 10, Floor: 1000, Compressed: &Counter{N: 100}, Err: bomb}, bomb},
		{"under floor", 900, &Guard{Ratio: 1, Floor: 1000, Compressed: &Counter{N: 1}, Err: bomb}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := io.ReadAll(tc.g.Reader(bytes.NewReader(make([]byte, tc.n))))
			if !errors.Is(err, tc.err) {
				t.Errorf("err = %v, want %v", err, tc.err)
			}
			if tc.err == nil && len(got) != tc.n {
				t.Errorf("read %d bytes, want %d", len(got), tc.n)
			}
		})
	}
}

// A guard shared by the archives nested in one archive stops them all: a
// gzip bomb inside a zip ends the zip.
func TestBombInsideArchive(t *testing.T) {
	inner := gz(bytes.Repeat([]byte("aaaaaaa\n"), 8<<20))
	outer := zipped(t, map[string][]byte{"a/bomb.gz": inner, "b/late.txt": []byte("key=" + testKey + "\n")})
	col := &scan.Collector{}
	New(engine(t), WithArchiveLimits(4, 1<<20)).Archive(scan.Origin{Path: "outer.zip"}, bytes.NewReader(outer), int64(len(outer)), Zip, col)
	r := collect(col)
	if len(r.errors) == 0 || !strings.Contains(strings.Join(r.errors, "\n"), "archive cap") {
		t.Errorf("errors = %q, want the bomb stopped by the archive cap", r.errors)
	}
}

// FuzzArchive feeds arbitrary bytes to the archive reader under every
// format: it must return or report an error, never panic or run away.
func FuzzArchive(f *testing.F) {
	f.Add(zipped(f, map[string][]byte{"a": []byte("key=" + testKey)}))
	f.Add(gz(tarball(f, map[string][]byte{"a/b": []byte("x")})))
	f.Add(tarball(f, map[string][]byte{"c": []byte("y")}))
	f.Add([]byte("PK\x03\x04garbage"))
	st := New(engine(f), WithArchiveLimits(3, 4<<20))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, kind := range []string{Zip, Tar, TarGz, Gz} {
			st.Archive(scan.Origin{Path: "fuzz." + kind}, bytes.NewReader(data), int64(len(data)), kind, &scan.Collector{})
		}
	})
}
