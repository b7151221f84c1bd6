package files

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/secretlint/secretlint/scan"
)

// gzippedTar reports whether a name says a gzip file holds a tar.
func gzippedTar(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".tar.gz") || strings.HasSuffix(n, ".tgz")
}

// sniffArchive names the archive format a file's first bytes show, or "".
func sniffArchive(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return "zip" // a local file header, or the end record of an empty zip
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "gz"
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return "tar"
	}
	return ""
}

// errBudget stops an archive that inflates past the decompression cap.
var errBudget = errors.New("decompressed size exceeds the archive cap; stopping (possible archive bomb)")

// archiveScan walks one top-level archive and everything nested in it,
// sharing one decompression budget.
type archiveScan struct {
	src    *Source
	e      *scan.Engine
	out    *scan.Collector
	budget int64
	// base is the origin members inherit (an image layer's, for archives
	// inside images); nil means plain files.
	base *scan.Origin
}

// ArchiveKind names the archive format of a file from its first bytes:
// "zip", "tar", "tar.gz", "gz", or "" for none. The name only tells a gzip
// file holding a tar (.tgz, .tar.gz) from other gzip files: a file named
// like an archive whose bytes are not one (creds.zip holding text) is
// scanned as what it is.
func ArchiveKind(name string, head []byte) string {
	k := sniffArchive(head)
	if k == "gz" && gzippedTar(name) {
		return "tar.gz"
	}
	return k
}

// ScanArchive scans an archive of the given kind read from r, and the
// archives nested in it, as the files source does: members are reported as
// name!member with base's origin otherwise (so a jar inside an image layer
// keeps the layer), under the source's size, depth and decompression caps.
// Findings, unreadable members and skips go to out; it returns how many
// binary members it left out.
func ScanArchive(name string, r io.Reader, size int64, kind string, base scan.Origin, e *scan.Engine, out *scan.Collector, opts ...Option) (binary int) {
	src := New(nil, opts...)
	a := &archiveScan{src: src, e: e, out: out, budget: src.o.archiveBudget, base: &base}
	a.scan(name, r, size, kind, 1)
	return int(src.binary.Load())
}

// budgeted counts decompressed bytes against the archive's budget.
type budgeted struct {
	r io.Reader
	a *archiveScan
}

func (b *budgeted) Read(p []byte) (int, error) {
	if b.a.budget <= 0 {
		return 0, errBudget
	}
	if int64(len(p)) > b.a.budget+1 {
		p = p[:b.a.budget+1]
	}
	n, err := b.r.Read(p)
	b.a.budget -= int64(n)
	if b.a.budget < 0 {
		return n, errBudget
	}
	return n, err
}

func (a *archiveScan) scan(name string, r io.Reader, size int64, kind string, depth int) {
	if depth > a.src.o.archiveDepth {
		// An error, not a skip: what the archive holds went unread, and a
		// gate must not take the scan for clean (exit 3 when nothing else
		// is found).
		a.out.Error(name, fmt.Errorf("archive nested deeper than %d levels (--archive-depth); not opened", a.src.o.archiveDepth))
		return
	}
	var err error
	switch kind {
	case "zip":
		err = a.zip(name, r, size, depth)
	case "tar":
		err = a.tar(name, r, depth)
	case "tar.gz", "gz":
		err = a.gzip(name, r, kind, depth)
	}
	if err != nil {
		a.out.Error(name, err)
	}
}

func (a *archiveScan) zip(name string, r io.Reader, size int64, depth int) error {
	ra, ok := r.(io.ReaderAt)
	if f, isFile := r.(*os.File); isFile {
		ra, ok = f, true
	}
	if !ok {
		data, err := io.ReadAll(&budgeted{r: r, a: a})
		if err != nil {
			return err
		}
		ra, size = bytes.NewReader(data), int64(len(data))
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return fmt.Errorf("read zip: %w", err)
	}
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		member := name + "!" + zf.Name
		rc, err := zf.Open()
		if err == nil {
			err = a.member(member, &budgeted{r: rc, a: a}, int64(zf.UncompressedSize64), depth)
			rc.Close()
		}
		if errors.Is(err, errBudget) {
			return err
		}
		if err != nil {
			a.out.Error(member, err) // zip members are independent: go on
		}
	}
	return nil
}

func (a *archiveScan) tar(name string, r io.Reader, depth int) error {
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read tar: %w", err)
		}
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeRegA {
			continue
		}
		member := strings.TrimPrefix(hdr.Name, "./")
		if err := a.member(name+"!"+member, &budgeted{r: tr, a: a}, hdr.Size, depth); err != nil {
			// A tar is one stream: a broken member ends it.
			return fmt.Errorf("read %s: %w", member, err)
		}
	}
}

func (a *archiveScan) gzip(name string, r io.Reader, kind string, depth int) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("read gzip: %w", err)
	}
	defer zr.Close()
	body := &budgeted{r: zr, a: a}
	if kind == "tar.gz" {
		return a.tar(name, body, depth)
	}
	// A plain .gz holds one file, which may itself be a tar.
	inner := strings.TrimSuffix(path.Base(name), ".gz")
	if zr.Name != "" {
		inner = zr.Name
	}
	return a.member(name+"!"+inner, body, -1, depth)
}

// member scans one file inside an archive: a nested archive, or content.
func (a *archiveScan) member(name string, r io.Reader, size int64, depth int) error {
	limit := a.src.o.maxFileSize
	if limit > 0 && size > limit {
		a.out.Skip(name, fmt.Sprintf("larger than --max-file-size (%d bytes)", size))
		return nil
	}
	if a.e.SkipPath(name) {
		return nil
	}
	head := make([]byte, 512)
	hn, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) && size > int64(hn) {
		return err // shorter than its header says: truncated
	}
	head = head[:hn]
	kind := ArchiveKind(name, head)
	body := io.MultiReader(bytes.NewReader(head), r)
	if kind != "" {
		a.out.Input()
		a.scan(name, body, size, kind, depth+1)
		if a.budget <= 0 {
			return errBudget
		}
		return nil
	}
	if !a.src.o.includeBinary && IsBinary(head) {
		a.src.binary.Add(1)
		return nil
	}
	if limit > 0 {
		body = io.LimitReader(body, limit+1)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if limit > 0 && int64(len(data)) > limit {
		a.out.Skip(name, fmt.Sprintf("larger than --max-file-size (%d bytes)", limit))
		return nil
	}
	a.out.Input()
	o := &scan.Origin{Source: scan.SourceFile, Path: name}
	if a.base != nil {
		cp := *a.base
		cp.Path = name
		o = &cp
	}
	a.out.Add(a.e.Scan(scan.Fragment{Origin: o, Data: data})...)
	return nil
}
