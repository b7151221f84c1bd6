package image

import (
	"archive/tar"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"sync"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// maxMetaSize bounds the JSON documents (index, manifests, configs) read
// from an archive into memory.
const maxMetaSize = 64 << 20

// archive is an uncompressed tar file indexed by member name, read in place
// (never extracted): members are sections of the file.
type archive struct {
	file    string
	f       *os.File
	members map[string]member
	// damage says why some members are missing (a truncated file).
	damage error
	once   sync.Once
}

type member struct {
	off, size int64
}

// openArchive indexes a tar file's regular members. The file stays open
// for the life of the process's scan; images read from it lazily.
func openArchive(file string) (*archive, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if n >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		f.Close()
		return nil, fmt.Errorf("not an image archive: the file is gzip-compressed; decompress it first (gzip -d)")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	a := &archive{file: file, f: f, members: map[string]member{}}
	// tar.Reader skips member bodies with Seek, so indexing reads headers only.
	cr := &countingSeeker{f: f}
	tr := tar.NewReader(cr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(a.members) == 0 {
				f.Close()
				return nil, fmt.Errorf("not an image archive (not a tar file): %w", err)
			}
			// Keep what is whole: a truncated archive may still hold the
			// metadata and some layers.
			a.damage = fmt.Errorf("truncated or damaged archive after %d members: %w", len(a.members), err)
			break
		}
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeRegA {
			continue
		}
		a.members[cleanPath(hdr.Name)] = member{off: cr.pos, size: hdr.Size}
	}
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		f.Close()
		return nil, err
	}
	for n, m := range a.members {
		if m.off+m.size > end {
			delete(a.members, n)
			a.damage = fmt.Errorf("truncated archive: member %s ends past the end of the file", n)
		}
	}
	return a, nil
}

// countingSeeker tracks the offset tar.Reader has reached, so the offset of
// each member's body is known right after its header.
type countingSeeker struct {
	f   *os.File
	pos int64
}

func (c *countingSeeker) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.pos += int64(n)
	return n, err
}

func (c *countingSeeker) Seek(off int64, whence int) (int64, error) {
	n, err := c.f.Seek(off, whence)
	if err == nil {
		c.pos = n
	}
	return n, err
}

// close closes the archive file, once.
func (a *archive) close() { a.once.Do(func() { a.f.Close() }) }

// Close implements io.Closer.
func (a *archive) Close() error { a.close(); return nil }

func (a *archive) has(name string) bool {
	_, ok := a.members[name]
	return ok
}

func (a *archive) open(name string) (*io.SectionReader, error) {
	m, ok := a.members[cleanPath(name)]
	if !ok {
		return nil, fmt.Errorf("%s: no member %s", a.file, name)
	}
	return io.NewSectionReader(a.f, m.off, m.size), nil
}

func (a *archive) read(name string) ([]byte, error) {
	r, err := a.open(name)
	if err != nil {
		return nil, err
	}
	if r.Size() > maxMetaSize {
		return nil, fmt.Errorf("%s: member %s is too large for JSON metadata (%d bytes)", a.file, name, r.Size())
	}
	return io.ReadAll(r)
}

// compressed reports whether the named members all start like gzip or
// zstd streams.
func (a *archive) compressed(names []string) bool {
	for _, n := range names {
		r, err := a.open(n)
		if err != nil {
			return false
		}
		head := make([]byte, 4)
		k, _ := io.ReadFull(r, head)
		head = head[:k]
		if !bytes.HasPrefix(head, []byte{0x1f, 0x8b}) && !bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}) {
			return false
		}
	}
	return true
}

func blobName(h v1.Hash) string { return path.Join("blobs", h.Algorithm, h.Hex) }

func (a *archive) blob(h v1.Hash) ([]byte, error) {
	b, err := a.read(blobName(h))
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	return b, nil
}

// index returns the archive's top-level index (index.json).
func (a *archive) index() (v1.ImageIndex, error) {
	raw, err := a.read("index.json")
	if err != nil {
		return nil, err
	}
	return newArchiveIndex(a, raw, types.OCIImageIndex)
}

// archiveIndex is an image index stored in an archive.
type archiveIndex struct {
	a   *archive
	raw []byte
	mt  types.MediaType
	m   *v1.IndexManifest
}

var _ v1.ImageIndex = (*archiveIndex)(nil)

func newArchiveIndex(a *archive, raw []byte, mt types.MediaType) (*archiveIndex, error) {
	m, err := v1.ParseIndexManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("parse index: %w", err)
	}
	if m.MediaType != "" {
		mt = m.MediaType
	}
	return &archiveIndex{a: a, raw: raw, mt: mt, m: m}, nil
}

func (x *archiveIndex) MediaType() (types.MediaType, error) { return x.mt, nil }
func (x *archiveIndex) Digest() (v1.Hash, error) {
	h, _, err := v1.SHA256(bytes.NewReader(x.raw))
	return h, err
}
func (x *archiveIndex) Size() (int64, error)                      { return int64(len(x.raw)), nil }
func (x *archiveIndex) IndexManifest() (*v1.IndexManifest, error) { return x.m, nil }
func (x *archiveIndex) RawManifest() ([]byte, error)              { return x.raw, nil }

func (x *archiveIndex) desc(h v1.Hash) (v1.Descriptor, bool) {
	for _, d := range x.m.Manifests {
		if d.Digest == h {
			return d, true
		}
	}
	return v1.Descriptor{}, false
}

func (x *archiveIndex) Image(h v1.Hash) (v1.Image, error) {
	d, ok := x.desc(h)
	if !ok {
		return nil, fmt.Errorf("image %s is not in the index", h)
	}
	raw, err := x.a.blob(h)
	if err != nil {
		return nil, err
	}
	return partial.CompressedToImage(&archiveImage{a: x.a, raw: raw, mt: d.MediaType})
}

func (x *archiveIndex) ImageIndex(h v1.Hash) (v1.ImageIndex, error) {
	d, ok := x.desc(h)
	if !ok {
		return nil, fmt.Errorf("index %s is not in the index", h)
	}
	raw, err := x.a.blob(h)
	if err != nil {
		return nil, err
	}
	return newArchiveIndex(x.a, raw, d.MediaType)
}

// archiveImage is an image manifest stored in an archive.
type archiveImage struct {
	a   *archive
	raw []byte
	mt  types.MediaType
	m   *v1.Manifest
}

func (i *archiveImage) MediaType() (types.MediaType, error) { return i.mt, nil }
func (i *archiveImage) RawManifest() ([]byte, error)        { return i.raw, nil }

func (i *archiveImage) manifest() (*v1.Manifest, error) {
	if i.m == nil {
		m, err := v1.ParseManifest(bytes.NewReader(i.raw))
		if err != nil {
			return nil, fmt.Errorf("parse manifest: %w", err)
		}
		i.m = m
	}
	return i.m, nil
}

func (i *archiveImage) RawConfigFile() ([]byte, error) {
	m, err := i.manifest()
	if err != nil {
		return nil, err
	}
	b, err := i.a.blob(m.Config.Digest)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if !json.Valid(b) {
		return nil, fmt.Errorf("config %s is not JSON", m.Config.Digest)
	}
	return b, nil
}

func (i *archiveImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	m, err := i.manifest()
	if err != nil {
		return nil, err
	}
	if h == m.Config.Digest {
		return &archiveBlob{a: i.a, d: m.Config}, nil
	}
	for _, d := range m.Layers {
		if d.Digest == h {
			return &archiveBlob{a: i.a, d: d}, nil
		}
	}
	return nil, fmt.Errorf("layer %s is not in the manifest", h)
}

// archiveBlob is a layer blob in an archive, opened only when read.
type archiveBlob struct {
	a *archive
	d v1.Descriptor
}

func (b *archiveBlob) Digest() (v1.Hash, error)            { return b.d.Digest, nil }
func (b *archiveBlob) Size() (int64, error)                { return b.d.Size, nil }
func (b *archiveBlob) MediaType() (types.MediaType, error) { return b.d.MediaType, nil }

func (b *archiveBlob) Compressed() (io.ReadCloser, error) {
	r, err := b.a.open(blobName(b.d.Digest))
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", b.d.Digest, err)
	}
	return io.NopCloser(bufio.NewReaderSize(r, 256<<10)), nil
}
