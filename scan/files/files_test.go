package files

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
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

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

type result struct {
	found   []string // path:line
	errors  []string
	skipped []string
	inputs  int64
}

func run(t testing.TB, paths []string, opts ...Option) result {
	t.Helper()
	col := &scan.Collector{}
	if err := New(paths, opts...).Scan(context.Background(), engine(t), col); err != nil {
		t.Fatal(err)
	}
	var r result
	for _, f := range col.Findings() {
		if strings.Contains(f.Path+f.Description, testKey) {
			t.Errorf("secret leaked into path or description")
		}
		r.found = append(r.found, f.Path+":"+strconv.Itoa(f.Line))
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

func TestDirectoryWalk(t *testing.T) {
	dir := t.TempDir()
	secret := []byte("line one\nkey=" + testKey + "\n")
	write(t, filepath.Join(dir, "app", "settings.py"), secret)
	write(t, filepath.Join(dir, ".git", "config"), secret)                      // never scanned
	write(t, filepath.Join(dir, "img.bin"), append([]byte{0, 1, 2}, secret...)) // binary: skipped with a note
	write(t, filepath.Join(dir, "big.txt"), append(bytes.Repeat([]byte("x\n"), 600), secret...))
	write(t, filepath.Join(dir, "ignored", "x.env"), secret)
	write(t, filepath.Join(dir, ".gitignore"), []byte("ignored/\n"))
	if err := os.Symlink(dir, filepath.Join(dir, "app", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "app", "settings.py"), filepath.Join(dir, "link.py")); err != nil {
		t.Fatal(err)
	}

	t.Run("default", func(t *testing.T) {
		r := run(t, []string{dir}, WithMaxFileSize(1000))
		want := []string{
			filepath.ToSlash(filepath.Join(dir, "app", "settings.py")) + ":2",
			filepath.ToSlash(filepath.Join(dir, "ignored", "x.env")) + ":2",
		}
		if diff := cmp.Diff(want, r.found); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
		for _, s := range []string{"1 binary files not scanned", "big.txt: larger than --max-file-size", "2 symlinks not followed"} {
			if !containsSub(r.skipped, s) {
				t.Errorf("no skip note %q in %q", s, r.skipped)
			}
		}
		if len(r.errors) != 0 {
			t.Errorf("errors: %v", r.errors)
		}
	})
	t.Run("gitignore and binary flags", func(t *testing.T) {
		r := run(t, []string{dir}, WithGitignore(true), WithBinary(true), WithMaxFileSize(0))
		want := []string{
			filepath.ToSlash(filepath.Join(dir, "app", "settings.py")) + ":2",
			filepath.ToSlash(filepath.Join(dir, "big.txt")) + ":602",
			filepath.ToSlash(filepath.Join(dir, "img.bin")) + ":2",
		}
		if diff := cmp.Diff(want, r.found); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
	})
}

func containsSub(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestMissingPathIsAnErrorNamingIt(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	r := run(t, []string{missing})
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], missing) {
		t.Errorf("errors = %q, want one naming %s", r.errors, missing)
	}
}

func TestStdin(t *testing.T) {
	r := run(t, []string{Stdin}, WithStdin(strings.NewReader("a\nb\nc="+testKey+"\n")))
	if diff := cmp.Diff([]string{"-:3"}, r.found); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
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

func TestArchives(t *testing.T) {
	secret := []byte("x\nkey=" + testKey + "\n")
	dir := t.TempDir()
	inner := gz(tarball(t, map[string][]byte{"conf/app.env": secret, "README": []byte("nothing")}))
	write(t, filepath.Join(dir, "bundle.zip"), zipped(t, map[string][]byte{"deploy/inner.tar.gz": inner, "a.txt": secret}))
	write(t, filepath.Join(dir, "notes.txt.gz"), gz(secret))
	write(t, filepath.Join(dir, "plain.tar"), tarball(t, map[string][]byte{"./etc/key": secret}))
	// A truncated archive is an error naming it; the rest is still scanned.
	whole := gz(tarball(t, map[string][]byte{"big": bytes.Repeat([]byte("y"), 100000)}))
	write(t, filepath.Join(dir, "broken.tgz"), whole[:len(whole)/2])

	r := run(t, []string{dir})
	base := filepath.ToSlash(dir) + "/"
	want := []string{
		base + "bundle.zip!a.txt:2",
		base + "bundle.zip!deploy/inner.tar.gz!conf/app.env:2",
		base + "notes.txt.gz!notes.txt:2",
		base + "plain.tar!etc/key:2",
	}
	if diff := cmp.Diff(want, r.found); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "broken.tgz") {
		t.Errorf("errors = %q, want one naming broken.tgz", r.errors)
	}
}

func TestArchiveBombAndDepthCaps(t *testing.T) {
	dir := t.TempDir()
	// 64 MB of text compresses to about 200 KB; the cap stops it at 1 MB.
	write(t, filepath.Join(dir, "bomb.gz"), gz(bytes.Repeat([]byte("aaaaaaa\n"), 8<<20)))
	nested := []byte("key=" + testKey + "\n")
	for i := 0; i < 4; i++ {
		nested = zipped(t, map[string][]byte{"level.zip": nested})
	}
	write(t, filepath.Join(dir, "deep.zip"), nested)

	r := run(t, []string{dir}, WithArchiveLimits(2, 1<<20))
	if !containsSub(r.errors, "bomb.gz") || !containsSub(r.errors, "archive cap") {
		t.Errorf("errors = %q, want the bomb stopped by the cap", r.errors)
	}
	if !containsSub(r.errors, "nested deeper than 2") {
		t.Errorf("errors = %q, want the archive past the depth cap", r.errors)
	}
	if len(r.found) != 0 {
		t.Errorf("found %q beyond the depth cap", r.found)
	}
}

// A text file named like an archive is scanned as text: what its bytes
// are decides, not its name. Archives inside archives are told the same way.
func TestTextNamedLikeArchiveIsScanned(t *testing.T) {
	dir := t.TempDir()
	secret := []byte("aws_access_key_id=" + testKey + "\n")
	names := []string{"creds.zip", "creds.tar", "creds.gz", "creds.tgz", "creds.tar.gz", "creds.jar", "creds.whl", "creds.nupkg"}
	var want []string
	base := filepath.ToSlash(dir) + "/"
	for _, n := range names {
		write(t, filepath.Join(dir, n), secret)
		want = append(want, base+n+":1")
	}
	write(t, filepath.Join(dir, "outer.zip"), zipped(t, map[string][]byte{"inner.jar": secret}))
	want = append(want, base+"outer.zip!inner.jar:1")
	sort.Strings(want)
	r := run(t, []string{dir})
	if diff := cmp.Diff(want, r.found); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if len(r.errors) != 0 {
		t.Errorf("errors = %q, want none", r.errors)
	}
}

// TestBundledDirsLeftOut: a release of Yarn committed under .yarn/releases
// is the tool's code and is not read, nor are its plugins; a project file
// beside them, a directory merely named "releases", and a bundle named on
// the command line are.
func TestBundledDirsLeftOut(t *testing.T) {
	dir := t.TempDir()
	secret := []byte("var k={apiKey:\"" + testKey + "\"}\n")
	write(t, filepath.Join(dir, "web", ".yarn", "releases", "yarn-4.9.2.cjs"), secret)
	write(t, filepath.Join(dir, ".yarn", "plugins", "@yarnpkg", "plugin-version.cjs"), secret)
	write(t, filepath.Join(dir, "web", ".yarn", "settings.js"), secret)
	write(t, filepath.Join(dir, "releases", "notes.js"), secret)
	bundle := filepath.Join(dir, "web", ".yarn", "releases", "yarn-4.9.2.cjs")
	r := run(t, []string{dir, bundle})
	want := []string{
		filepath.ToSlash(filepath.Join(dir, "releases", "notes.js")) + ":1",
		filepath.ToSlash(bundle) + ":1",
		filepath.ToSlash(filepath.Join(dir, "web", ".yarn", "settings.js")) + ":1",
	}
	sort.Strings(want)
	if diff := cmp.Diff(want, r.found); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
