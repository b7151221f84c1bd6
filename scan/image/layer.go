package image

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/policy"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/content"
)

// Whiteout markers (OCI image spec, layer changesets).
const (
	whiteoutPrefix = ".wh."
	opaqueMarker   = ".wh..wh..opq"
)

// wholeFileLimit is the size up to which a file is scanned in one piece;
// larger files are streamed in bounded chunks.
const wholeFileLimit = 8 << 20

// errLayerTooLarge stops a layer that inflates past --max-layer-size.
var errLayerTooLarge = errors.New("decompressed size exceeds the layer cap (--max-layer-size); stopped reading (possible decompression bomb)")

// entryKind tells a directory from anything else in a layer.
type entryKind uint8

const (
	kindFile entryKind = iota
	kindDir
)

// fileHit is one file of a layer with what was found in it.
type fileHit struct {
	path     string // cleaned, no leading slash
	mode     int64
	findings []scan.Finding
}

// keyMode is a key or credentials file whose mode lets group or others
// read it, with the message policy.KeyFileMode gave.
type keyMode struct {
	path string
	msg  string
}

// maxKeyFileRead bounds what is read ahead of the scan to tell a private
// key from a certificate.
const maxKeyFileRead = 1 << 20

// layerResult is what one read of a layer yields; it does not depend on
// the image the layer belongs to, so a layer shared by several images is
// read once.
type layerResult struct {
	entries   map[string]entryKind // every path the layer holds
	whiteouts map[string]bool      // paths a whiteout removes from lower layers
	opaque    map[string]bool      // directories whose lower contents are hidden
	mu        sync.Mutex           // guards hits and binary while files are scanned in parallel
	hits      []fileHit            // files with findings
	creds     []fileHit            // credentials files (findings unused)
	keyModes  []keyMode            // key files that group or others can read
	binary    int                  // binary files not scanned
	bytes     int64                // decompressed bytes read
	err       error
}

func newLayerResult() *layerResult {
	return &layerResult{entries: map[string]entryKind{}, whiteouts: map[string]bool{}, opaque: map[string]bool{}}
}

// walker reads the files of one layer and scans them.
type walker struct {
	e           *scan.Engine
	out         *scan.Collector
	maxFileSize int64
	maxLayer    int64
	label       string // "IMAGE layer N sha256:…", for skips
	origin      scan.Origin
	// jobs is how many files of the layer are scanned at once, beside the
	// goroutine that decompresses and reads the tar (0 or 1: inline).
	jobs     int
	scanners *pool.Pool
	// slots, shared by every layer of a scan, bounds the files held in
	// memory awaiting or under scan to its capacity.
	slots chan struct{}
	cache *contentCache
	// ctx, when set, stops the walk between files once it is done.
	ctx context.Context
	// expanded counts file bytes delivered, which can exceed the bytes
	// decompressed when sparse entries expand holes; it is held to the
	// same cap.
	expanded *content.Guard
	stOnce   sync.Once
	st       *content.Stage
}

// walk reads a layer's (possibly compressed) blob to the end. It returns
// what it saw even when it fails part way, with the error set.
func (w *walker) walk(blob io.Reader) *layerResult {
	res := newLayerResult()
	r, kind, done, err := content.Decompress(blob)
	if err != nil {
		if kind == content.None {
			err = fmt.Errorf("read blob: %w", err)
		}
		res.err = err
		return res
	}
	defer done()
	if w.jobs > 1 {
		w.scanners = pool.New().WithMaxGoroutines(w.jobs)
		// Wait for the files handed out before the result is used.
		defer w.scanners.Wait()
	}
	c := &content.Guard{Limit: w.maxLayer, Err: errLayerTooLarge}
	w.expanded = &content.Guard{Limit: w.maxLayer, Err: errLayerTooLarge}
	body := c.Reader(r)
	res.err = w.walkTar(body, res)
	res.bytes = c.N()
	if res.err == nil {
		// Read what follows the end-of-archive marker so a verifying reader
		// (registry blobs) checks the digest.
		if _, err := io.Copy(io.Discard, body); err != nil {
			res.err = fmt.Errorf("read after end of archive: %w", err)
		}
		res.bytes = c.N()
	}
	return res
}

// cleanPath turns a tar entry name into an in-image path without the
// leading slash; "" for the root.
func cleanPath(name string) string {
	p := path.Clean("/" + name)
	return strings.TrimPrefix(p, "/")
}

func (w *walker) walkTar(r io.Reader, res *layerResult) error {
	tr := tar.NewReader(r)
	first := true
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			// An empty layer is valid; a stream that is not a tar at all
			// fails in Next with another error.
			return nil
		}
		if err != nil {
			if errors.Is(err, errLayerTooLarge) {
				return err
			}
			if first {
				return fmt.Errorf("not a tar layer: %w", err)
			}
			return fmt.Errorf("read tar: %w", err)
		}
		first = false
		if w.ctx != nil && w.ctx.Err() != nil {
			return fmt.Errorf("stopped: %w", w.ctx.Err())
		}
		p := cleanPath(hdr.Name)
		if p == "" {
			continue
		}
		dir, base := path.Split(p)
		dir = strings.TrimSuffix(dir, "/")
		if base == opaqueMarker {
			res.opaque[dir] = true
			continue
		}
		if strings.HasPrefix(base, whiteoutPrefix) {
			res.whiteouts[path.Join(dir, base[len(whiteoutPrefix):])] = true
			continue
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			res.entries[p] = kindDir
			continue
		case tar.TypeReg, tar.TypeRegA:
		default:
			res.entries[p] = kindFile
			continue
		}
		res.entries[p] = kindFile
		if isCredentialsFile(p) {
			res.creds = append(res.creds, fileHit{path: p, mode: hdr.Mode})
		}
		var body io.Reader = w.expanded.Reader(tr)
		if hdr.Mode&0o044 != 0 {
			var head []byte
			msg, ok := policy.KeyFileMode(p, fs.FileMode(hdr.Mode), func() ([]byte, error) {
				var err error
				head, err = io.ReadAll(io.LimitReader(body, maxKeyFileRead))
				return head, err
			})
			if head != nil {
				body = io.MultiReader(bytes.NewReader(head), body)
			}
			if ok {
				res.keyModes = append(res.keyModes, keyMode{path: p, msg: msg})
			}
		}
		if err := w.file(body, p, hdr.Mode, hdr.Size, res); err != nil {
			return err
		}
	}
}

// bufPool recycles the buffers files are read into.
var bufPool = sync.Pool{New: func() any { return new([]byte) }}

func (res *layerResult) addHit(p string, mode int64, fs []scan.Finding) {
	if len(fs) == 0 {
		return
	}
	res.mu.Lock()
	res.hits = append(res.hits, fileHit{path: p, mode: mode, findings: fs})
	res.mu.Unlock()
}

// file scans one regular file of the layer: a small file is read whole and
// handed to a scanner goroutine, a large one streamed here. An error means
// the layer stream itself failed.
func (w *walker) file(r io.Reader, p string, mode, size int64, res *layerResult) error {
	display := "/" + p
	if w.e.SkipPath(display) {
		return nil
	}
	if w.maxFileSize > 0 && size > w.maxFileSize {
		w.out.Skip(w.label+" "+display, fmt.Sprintf("larger than --max-file-size (%d bytes)", size))
		return nil
	}
	if size <= 0 {
		return nil
	}
	o := w.origin
	o.Path = display
	if size > wholeFileLimit {
		head := make([]byte, content.SniffLen)
		n, err := io.ReadFull(r, head)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return readErr(display, err)
		}
		if kind := content.Kind(p, head[:n]); kind != "" {
			w.archive(display, io.MultiReader(bytes.NewReader(head[:n]), r), size, kind, &o, p, mode, res)
			return nil
		}
		if content.IsBinary(head[:n]) {
			res.addBinary(1)
			return nil
		}
		var out []scan.Finding
		_, err = w.e.ScanReader(io.MultiReader(bytes.NewReader(head[:n]), r), &o, func(fs []scan.Finding) { out = append(out, fs...) })
		res.addHit(p, mode, out)
		if err != nil {
			return readErr(display, err)
		}
		return nil
	}
	if w.slots != nil {
		w.slots <- struct{}{}
	}
	release := func() {
		if w.slots != nil {
			<-w.slots
		}
	}
	bp := bufPool.Get().(*[]byte)
	if int64(cap(*bp)) < size {
		*bp = make([]byte, max(size, 64<<10))
	}
	data := (*bp)[:size]
	sn := min(int(size), content.SniffLen)
	_, err := io.ReadFull(r, data[:sn])
	kind := ""
	if err == nil {
		kind = content.Kind(p, data[:sn])
	}
	if err == nil && kind == "" && content.IsBinary(data[:sn]) {
		res.addBinary(1)
		bufPool.Put(bp)
		release()
		return nil
	}
	if err == nil {
		_, err = io.ReadFull(r, data[sn:])
	}
	if err != nil {
		bufPool.Put(bp)
		release()
		return readErr(display, err)
	}
	task := func() {
		if kind != "" {
			w.archive(display, bytes.NewReader(data), size, kind, &o, p, mode, res)
		} else {
			res.addHit(p, mode, w.cache.scan(w.stage(), &o, data))
		}
		bufPool.Put(bp)
		release()
	}
	if w.scanners == nil {
		task()
	} else {
		w.scanners.Go(task)
	}
	return nil
}

// archiveBudget caps the decompressed bytes of one archive inside a layer
// (a jar, a wheel, a tarball), nested archives included.
const archiveBudget = 256 << 20

// archive scans an archive file of the layer through the content stage:
// members are reported as /path/app.jar!inner/file with the layer's
// origin. Binary members are counted, not noted one by one.
func (w *walker) archive(display string, r io.Reader, size int64, kind string, o *scan.Origin, p string, mode int64, res *layerResult) {
	col := &scan.Collector{}
	binary := w.stage().Archive(*o, r, size, kind, col)
	res.addHit(p, mode, col.Findings())
	for _, e := range col.Errors() {
		w.out.Error(w.label+" "+e.Input, e.Err)
	}
	for _, s := range col.Skips() {
		w.out.Skip(w.label+" "+s.Input, s.Reason)
	}
	res.addBinary(binary)
}

// stage returns the walker's content stage, made on first use: the one
// place a file's text gets the extractors its name calls for.
func (w *walker) stage() *content.Stage {
	w.stOnce.Do(func() {
		w.st = content.New(w.e, content.WithMaxFileSize(w.maxFileSize), content.WithArchiveLimits(3, archiveBudget))
	})
	return w.st
}

// addBinary counts binary files left unscanned; archive members are
// counted from scanner goroutines.
func (res *layerResult) addBinary(n int) {
	res.mu.Lock()
	res.binary += n
	res.mu.Unlock()
}

func readErr(p string, err error) error {
	if errors.Is(err, errLayerTooLarge) {
		return err
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("read %s: %w", p, err)
}

// contentCache remembers the findings of file contents already scanned, so
// a file that recurs — in a later layer (a chmod or chown layer copies every
// file it touches), in another image, under another path — is scanned once.
// Rules that allowlist paths make a result depend on the path too, so the
// key holds which of those rules allow the path. A nil cache scans every
// time.
type contentCache struct {
	pathRules []*rules.Rule
	mu        sync.Mutex
	m         map[cacheKey]*cacheEntry
}

type cacheKey struct {
	sum [sha256.Size]byte
	// x is the extractor the path calls for: the same bytes read as a
	// notebook and as plain text can hold different findings.
	x content.Extractor
	// allowed has one byte per path-allowlisting rule: does it allow the path.
	allowed string
}

func newContentCache(e *scan.Engine) *contentCache {
	c := &contentCache{m: map[cacheKey]*cacheEntry{}}
	for _, r := range e.Rules().Rules() {
		if len(r.Allow.Paths) > 0 {
			c.pathRules = append(c.pathRules, r)
		}
	}
	return c
}

func (c *contentCache) key(st *content.Stage, path string, data []byte) cacheKey {
	k := cacheKey{sum: sha256.Sum256(data), x: st.Extractor(path, data)}
	if len(c.pathRules) > 0 {
		b := make([]byte, len(c.pathRules))
		for i, r := range c.pathRules {
			if r.Allow.AllowsPath(path) {
				b[i] = 1
			}
		}
		k.allowed = string(b)
	}
	return k
}

func (c *contentCache) scan(st *content.Stage, o *scan.Origin, data []byte) []scan.Finding {
	if c == nil {
		return st.Text(*o, data)
	}
	k := c.key(st, o.Path, data)
	c.mu.Lock()
	ent, ok := c.m[k]
	if !ok {
		// The first to see a body scans it; others seeing it meanwhile wait.
		ent = &cacheEntry{done: make(chan struct{})}
		c.m[k] = ent
		c.mu.Unlock()
		ent.fs = st.Text(*o, data)
		close(ent.done)
		return ent.fs
	}
	c.mu.Unlock()
	<-ent.done
	out := make([]scan.Finding, len(ent.fs))
	for i, f := range ent.fs {
		f.Path, f.Layer = o.Path, o.Layer
		f.Fingerprint = st.Engine().Fingerprint(f.RuleID, f.Path, f.Secret)
		out[i] = f
	}
	return out
}

// cacheEntry is one body's findings, ready when done is closed.
type cacheEntry struct {
	done chan struct{}
	fs   []scan.Finding
}
