package content

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/secretlint/secretlint/scan"
)

// Sink receives what the stage learns about its inputs: findings, inputs
// that could not be read, inputs left out on purpose, and a count of the
// inputs read. *scan.Collector is one.
type Sink interface {
	Add(fs ...scan.Finding)
	Error(input string, err error)
	Skip(input, reason string)
	Input()
}

var _ Sink = (*scan.Collector)(nil)

// wholeLimit is the size up to which a piece of text is read and scanned
// in one piece; larger ones are streamed in overlapping windows
// (Engine.ScanReader), so memory stays bounded with --max-file-size 0.
const wholeLimit = 8 << 20

// memberSniff is how much of an archive member is read before deciding
// what it is (an archive, binary, text).
const memberSniff = 512

// errBudget stops an archive that inflates past the decompression cap.
var errBudget = errors.New("decompressed size exceeds the archive cap; stopping (possible archive bomb)")

type options struct {
	maxFileSize   int64
	archiveDepth  int
	archiveBudget int64
	binary        bool
	extractors    []Extractor
}

// Option configures a Stage (and a Source built with NewSource).
type Option func(*options)

// WithMaxFileSize leaves out files and members larger than n bytes, and
// reads streams of unknown length only up to n bytes (0: no limit).
func WithMaxFileSize(n int64) Option { return func(o *options) { o.maxFileSize = n } }

// WithArchiveLimits sets how deep archives nest and how many decompressed
// bytes one top-level archive may yield in all.
func WithArchiveLimits(depth int, budget int64) Option {
	return func(o *options) { o.archiveDepth, o.archiveBudget = depth, budget }
}

// WithBinary scans binary files too instead of leaving them out.
func WithBinary(on bool) Option { return func(o *options) { o.binary = on } }

// WithExtractor adds a file-kind extractor after the others; the first
// that matches a file is used.
func WithExtractor(x Extractor) Option {
	return func(o *options) { o.extractors = append(o.extractors, x) }
}

// WithExtractors replaces the stage's extractors (by default Extractors())
// with xs; none turns extraction off.
func WithExtractors(xs ...Extractor) Option {
	return func(o *options) { o.extractors = xs }
}

func defaults() options {
	return options{maxFileSize: 50 << 20, archiveDepth: 4, archiveBudget: 1 << 30, extractors: Extractors()}
}

// Stage turns named readers into scanned text. It is safe for concurrent
// use; each call reads one input.
type Stage struct {
	e *scan.Engine
	o options
}

// New returns a stage that scans with e.
func New(e *scan.Engine, opts ...Option) *Stage {
	s := &Stage{e: e, o: defaults()}
	for _, o := range opts {
		o(&s.o)
	}
	return s
}

// Engine returns the engine the stage scans with.
func (s *Stage) Engine() *scan.Engine { return s.e }

// File scans one file of known size read from r, named by o.Path: an
// archive (by its bytes) is opened and its members scanned as
// name!member with o's other fields; binary data is left out unless the
// stage scans it. A zip is read through r's io.ReaderAt and io.Seeker when
// it has them (an *os.File), where its directory can be found at the end.
// Everything found, failed or left out goes to out; it returns how many
// binary files or members it left out, for the source to note once.
func (s *Stage) File(o scan.Origin, r io.Reader, size int64, out Sink) (binary int) {
	name := o.Path
	if s.o.maxFileSize > 0 && size > s.o.maxFileSize {
		out.Skip(name, fmt.Sprintf("larger than --max-file-size (%d bytes)", size))
		return 0
	}
	head := make([]byte, min(int64(SniffLen), max(size, 1)))
	hn, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		out.Error(name, err)
		return 0
	}
	head = head[:hn]
	if kind := Kind(name, head); kind != "" {
		out.Input()
		body := io.MultiReader(bytes.NewReader(head), r)
		if sk, ok := r.(io.Seeker); ok {
			if _, err := sk.Seek(0, io.SeekStart); err == nil {
				body = r
			}
		}
		return s.Archive(o, body, size, kind, out)
	}
	if !s.o.binary && IsBinary(head) {
		return 1
	}
	out.Input()
	if err := s.text(o, head, r, size, out); err != nil {
		out.Error(name, err)
	}
	return 0
}

// Stream scans a stream of unknown length (standard input, a FIFO) as
// text, up to the stage's size cap, noting a skip when there was more.
func (s *Stage) Stream(o scan.Origin, r io.Reader, out Sink) error {
	emit := func(fs []scan.Finding) { out.Add(fs...) }
	if s.o.maxFileSize <= 0 {
		_, err := s.e.ScanReader(r, &o, emit)
		return err
	}
	lr := &io.LimitedReader{R: r, N: s.o.maxFileSize}
	if _, err := s.e.ScanReader(lr, &o, emit); err != nil {
		return err
	}
	if lr.N == 0 {
		var one [1]byte
		if n, _ := io.ReadFull(r, one[:]); n > 0 {
			out.Skip(o.Path, fmt.Sprintf("read only the first %d bytes (--max-file-size); the rest was not scanned", s.o.maxFileSize))
		}
	}
	return nil
}

// text scans a text file whose first bytes are head and the rest r: whole
// when it is small (through an extractor when one matches), in overlapping
// windows when not. size is -1 when unknown. The error is r's.
func (s *Stage) text(o scan.Origin, head []byte, r io.Reader, size int64, out Sink) error {
	if size > wholeLimit {
		return s.stream(o, io.MultiReader(bytes.NewReader(head), r), out)
	}
	data := make([]byte, 0, max(size, int64(len(head)))+1)
	data = append(data, head...)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		// Never read past the whole-piece limit, so that an input larger
		// than it said is streamed, not held.
		n, err := r.Read(data[len(data):min(cap(data), wholeLimit+1)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(data) > wholeLimit {
			// Larger than it said, or of unknown size: stream the rest.
			return s.stream(o, io.MultiReader(bytes.NewReader(data), r), out)
		}
	}
	s.scanText(o, data, out)
	return nil
}

func (s *Stage) stream(o scan.Origin, r io.Reader, out Sink) error {
	_, err := s.e.ScanReader(r, &o, func(fs []scan.Finding) { out.Add(fs...) })
	return err
}

// scanText scans a whole piece of text, and what an extractor makes of it.
func (s *Stage) scanText(o scan.Origin, data []byte, out Sink) {
	out.Add(s.Text(o, data)...)
}

// Text returns the findings in data, the whole text of the input o names:
// the raw scan's, and those only the text of the extractor that matches
// o.Path adds (at raw positions). Sources that read whole texts themselves
// (git blobs, image layer files) call it in place of Engine.Scan.
func (s *Stage) Text(o scan.Origin, data []byte) []scan.Finding {
	fs := s.e.Scan(scan.Fragment{Origin: &o, Data: data})
	x := s.Extractor(o.Path, data)
	if x == nil {
		return fs
	}
	more := s.extract(x, o, data, fs)
	if len(more) == 0 {
		return fs
	}
	kept := fs[:0:0]
	for _, g := range fs {
		if !s.superseded(g, more) {
			kept = append(kept, g)
		}
	}
	return append(kept, more...)
}

// Extracted returns only what the extractor matching o.Path finds in data
// beyond have, the findings a raw scan of (part of) the same text made:
// for sources that scan pieces raw (a diff's added lines) and the whole
// text only for its structure.
func (s *Stage) Extracted(o scan.Origin, data []byte, have []scan.Finding) []scan.Finding {
	if x := s.Extractor(o.Path, data); x != nil {
		return s.extract(x, o, data, have)
	}
	return nil
}

// Extractor returns the first of the stage's extractors that reads the
// input named name whose text is data, or nil.
func (s *Stage) Extractor(name string, data []byte) Extractor {
	if len(data) > extractLimit {
		return nil
	}
	head := data[:min(len(data), SniffLen)]
	for _, x := range s.o.extractors {
		if x.Match(name, head) {
			return x
		}
	}
	return nil
}

// Archive scans an archive of the given kind read from r, and the
// archives nested in it: members are reported as name!member with o's
// other fields (so a jar inside an image layer keeps the layer), under
// the stage's size, depth and decompression caps. It returns how many
// binary members it left out.
func (s *Stage) Archive(o scan.Origin, r io.Reader, size int64, kind string, out Sink) (binary int) {
	a := &archive{s: s, base: o, out: out, guard: &Guard{Limit: s.o.archiveBudget, Err: errBudget}}
	if s.o.archiveBudget <= 0 {
		a.guard.Limit = 0
	}
	a.open(o.Path, r, size, kind, 1)
	return a.binary
}

// archive walks one top-level archive and everything nested in it, under
// one decompression guard.
type archive struct {
	s      *Stage
	base   scan.Origin
	out    Sink
	guard  *Guard
	binary int
}

func (a *archive) open(name string, r io.Reader, size int64, kind string, depth int) {
	if depth > a.s.o.archiveDepth {
		// An error, not a skip: what the archive holds went unread, and a
		// gate must not take the scan for clean (exit 3 when nothing else
		// is found).
		a.out.Error(name, fmt.Errorf("archive nested deeper than %d levels (--archive-depth); not opened", a.s.o.archiveDepth))
		return
	}
	var err error
	switch kind {
	case Zip:
		err = a.zip(name, r, size, depth)
	case Tar:
		err = a.tar(name, r, depth)
	case TarGz, Gz:
		err = a.gzip(name, r, kind, depth)
	}
	if err != nil {
		a.out.Error(name, err)
	}
}

func (a *archive) zip(name string, r io.Reader, size int64, depth int) error {
	ra, ok := r.(io.ReaderAt)
	if !ok {
		data, err := io.ReadAll(a.guard.Reader(r))
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
			err = a.member(member, a.guard.Reader(rc), int64(zf.UncompressedSize64), depth)
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

func (a *archive) tar(name string, r io.Reader, depth int) error {
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
		if err := a.member(name+"!"+member, a.guard.Reader(tr), hdr.Size, depth); err != nil {
			// A tar is one stream: a broken member ends it.
			return fmt.Errorf("read %s: %w", member, err)
		}
	}
}

func (a *archive) gzip(name string, r io.Reader, kind string, depth int) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("read gzip: %w", err)
	}
	defer zr.Close()
	body := a.guard.Reader(zr)
	if kind == TarGz {
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
// size is -1 when unknown.
func (a *archive) member(name string, r io.Reader, size int64, depth int) error {
	limit := a.s.o.maxFileSize
	if limit > 0 && size > limit {
		a.out.Skip(name, fmt.Sprintf("larger than --max-file-size (%d bytes)", size))
		return nil
	}
	if a.s.e.SkipPath(name) {
		return nil
	}
	head := make([]byte, memberSniff)
	hn, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) && size > int64(hn) {
		return err // shorter than its header says: truncated
	}
	head = head[:hn]
	kind := Kind(name, head)
	body := io.MultiReader(bytes.NewReader(head), r)
	if kind != "" {
		a.out.Input()
		a.open(name, body, size, kind, depth+1)
		if a.guard.Exceeded() {
			return errBudget
		}
		return nil
	}
	if !a.s.o.binary && IsBinary(head) {
		a.binary++
		return nil
	}
	o := a.base
	o.Path = name
	if limit <= 0 {
		// No size cap: what is too large to hold is streamed.
		a.out.Input()
		return a.s.text(o, head, r, size, a.out)
	}
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return err
	}
	if int64(len(data)) > limit {
		a.out.Skip(name, fmt.Sprintf("larger than --max-file-size (%d bytes)", limit))
		return nil
	}
	a.out.Input()
	a.s.scanText(o, data, a.out)
	return nil
}
