package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/scan"
)

// Stdin is the path that names standard input.
const Stdin = "-"

// Source scans files, directories, archives and standard input.
type Source struct {
	paths []string
	o     options
	// binary counts binary files left out, noted once at the end rather
	// than one skip entry each (a tree of images and libraries has
	// thousands).
	binary atomic.Int64
	// walker walks the directories and counts the symlinks and special
	// files in them, which are never followed or read.
	walker scan.Walker
}

var _ scan.Source = (*Source)(nil)

type options struct {
	jobs          int
	maxFileSize   int64
	gitignore     bool
	stdin         io.Reader
	archiveDepth  int
	archiveBudget int64
	includeBinary bool
}

// Option configures a Source.
type Option func(*options)

// WithJobs sets how many files are read and scanned at once.
func WithJobs(n int) Option { return func(o *options) { o.jobs = n } }

// WithMaxFileSize skips files larger than n bytes (0: no limit).
func WithMaxFileSize(n int64) Option { return func(o *options) { o.maxFileSize = n } }

// WithGitignore skips what .gitignore files in the tree exclude.
func WithGitignore(on bool) Option { return func(o *options) { o.gitignore = on } }

// WithStdin sets the reader that the path "-" names.
func WithStdin(r io.Reader) Option { return func(o *options) { o.stdin = r } }

// WithArchiveLimits sets how deep archives nest and how many decompressed
// bytes one top-level archive may yield in all.
func WithArchiveLimits(depth int, budget int64) Option {
	return func(o *options) { o.archiveDepth, o.archiveBudget = depth, budget }
}

// WithBinary scans binary files too instead of skipping them.
func WithBinary(on bool) Option { return func(o *options) { o.includeBinary = on } }

// New returns a source for the paths; "-" is standard input.
func New(paths []string, opts ...Option) *Source {
	s := &Source{paths: paths, o: options{jobs: 2, maxFileSize: 50 << 20, archiveDepth: 4, archiveBudget: 1 << 30, stdin: os.Stdin}}
	for _, o := range opts {
		o(&s.o)
	}
	if s.o.jobs < 1 {
		s.o.jobs = 1
	}
	return s
}

func (s *Source) String() string { return strings.Join(s.paths, " ") }

// Scan walks every path and scans each file once, in parallel.
func (s *Source) Scan(ctx context.Context, e *scan.Engine, out *scan.Collector) error {
	p := pool.New().WithMaxGoroutines(s.o.jobs)
	for _, root := range s.paths {
		if ctx.Err() != nil {
			break
		}
		if root == Stdin {
			s.scanStdin(ctx, e, out)
			continue
		}
		s.walk(ctx, root, e, out, p)
	}
	p.Wait()
	if n := s.binary.Swap(0); n > 0 {
		out.Skip(s.String(), fmt.Sprintf("%d binary files not scanned (--binary scans them)", n))
	}
	s.walker.Note(out, s.String())
	return ctx.Err()
}

func (s *Source) scanStdin(ctx context.Context, e *scan.Engine, out *scan.Collector) {
	o := &scan.Origin{Source: scan.SourceStdin, Path: Stdin}
	out.Input()
	// An interruption is the run's to report, not this input's.
	if err := s.scanStream(scan.CancelReader(ctx, s.o.stdin), o, e, out); err != nil && ctx.Err() == nil {
		out.Error(Stdin, fmt.Errorf("read standard input: %w", err))
	}
}

// scanSpecial reads a FIFO or device named on the command line as it
// reads standard input: in bounded chunks, up to --max-file-size, and
// giving up when ctx ends even if the open or a read blocks.
func (s *Source) scanSpecial(ctx context.Context, path string, e *scan.Engine, out *scan.Collector) {
	display := filepath.ToSlash(path)
	r := scan.OpenCancelable(ctx, func() (io.ReadCloser, error) { return os.Open(path) })
	defer r.Close()
	out.Input()
	o := &scan.Origin{Source: scan.SourceFile, Path: display}
	if err := s.scanStream(r, o, e, out); err != nil && ctx.Err() == nil {
		out.Error(display, err)
	}
}

// scanStream scans a stream of unknown length up to --max-file-size and
// notes a skip when there was more.
func (s *Source) scanStream(r io.Reader, o *scan.Origin, e *scan.Engine, out *scan.Collector) error {
	emit := func(fs []scan.Finding) { out.Add(fs...) }
	if s.o.maxFileSize <= 0 {
		_, err := e.ScanReader(r, o, emit)
		return err
	}
	lr := &io.LimitedReader{R: r, N: s.o.maxFileSize}
	if _, err := e.ScanReader(lr, o, emit); err != nil {
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

func (s *Source) walk(ctx context.Context, root string, e *scan.Engine, out *scan.Collector, p *pool.Pool) {
	fi, err := os.Lstat(root)
	if err != nil {
		out.Error(root, err)
		return
	}
	if !fi.IsDir() {
		if fi.Mode()&fs.ModeSymlink != 0 {
			// A symlink named on the command line is followed, once.
			if fi, err = os.Stat(root); err != nil {
				out.Error(root, err)
				return
			}
			if fi.IsDir() {
				out.Skip(root, "symlink to a directory")
				return
			}
		}
		if !fi.Mode().IsRegular() {
			p.Go(func() { s.scanSpecial(ctx, root, e, out) })
			return
		}
		p.Go(func() { s.scanFile(root, fi.Size(), e, out) })
		return
	}
	var ignore gitignore.Matcher
	if s.o.gitignore {
		ignore = loadGitignore(root)
	}
	w := &s.walker
	w.OnError = out.Error
	w.Skip = func(path string) bool {
		dir := strings.HasSuffix(path, "/")
		if ignore != nil && path != filepath.ToSlash(root)+"/" && ignore.Match(splitPath(root, strings.TrimSuffix(path, "/")), dir) {
			return true
		}
		return e.SkipPath(path)
	}
	err = w.Walk(ctx, root, func(path string, d fs.DirEntry) error {
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			out.Error(path, err)
			return nil
		}
		size := info.Size()
		p.Go(func() { s.scanFile(path, size, e, out) })
		return nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		out.Error(root, err)
	}
}

func splitPath(root, path string) []string {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return nil
	}
	return strings.Split(filepath.ToSlash(rel), "/")
}

func loadGitignore(root string) gitignore.Matcher {
	ps, err := gitignore.ReadPatterns(osfs.New(root), nil)
	if err != nil {
		return nil
	}
	return gitignore.NewMatcher(ps)
}

// sniffLen is how much of a file decides whether it is binary, as git does.
const sniffLen = 8000

// IsBinary reports whether the start of a file looks binary: it holds a NUL.
func IsBinary(head []byte) bool {
	if len(head) > sniffLen {
		head = head[:sniffLen]
	}
	return bytes.IndexByte(head, 0) >= 0
}

// wholeFileLimit is the size up to which a file is read in one piece;
// larger files are streamed in bounded chunks.
const wholeFileLimit = 8 << 20

func (s *Source) scanFile(path string, size int64, e *scan.Engine, out *scan.Collector) {
	display := filepath.ToSlash(path)
	if s.o.maxFileSize > 0 && size > s.o.maxFileSize {
		out.Skip(display, fmt.Sprintf("larger than --max-file-size (%d bytes)", size))
		return
	}
	f, err := os.Open(path)
	if err != nil {
		out.Error(display, err)
		return
	}
	defer f.Close()
	head := make([]byte, min(int64(sniffLen), max(size, 1)))
	hn, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		out.Error(display, err)
		return
	}
	head = head[:hn]
	if kind := ArchiveKind(path, head); kind != "" {
		// What the bytes are decides, not the name. A zip is read from
		// the file itself, where its directory can be found at the end.
		out.Input()
		a := &archiveScan{src: s, e: e, out: out, budget: s.o.archiveBudget}
		var r io.Reader = io.MultiReader(bytes.NewReader(head), f)
		if _, err := f.Seek(0, io.SeekStart); err == nil {
			r = f
		}
		a.scan(display, r, size, kind, 1)
		return
	}
	if !s.o.includeBinary && IsBinary(head) {
		s.binary.Add(1)
		return
	}
	out.Input()
	o := &scan.Origin{Source: scan.SourceFile, Path: display}
	rest := io.MultiReader(bytes.NewReader(head), f)
	if size > wholeFileLimit {
		if _, err := e.ScanReader(rest, o, func(fs []scan.Finding) { out.Add(fs...) }); err != nil {
			out.Error(display, err)
		}
		return
	}
	data := make([]byte, 0, size+1)
	data = append(data, head...)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Error(display, err)
			return
		}
		if int64(len(data)) > wholeFileLimit {
			// The file grew while we read it; stream the rest.
			if _, err := e.ScanReader(io.MultiReader(bytes.NewReader(data), f), o, func(fs []scan.Finding) { out.Add(fs...) }); err != nil {
				out.Error(display, err)
			}
			return
		}
	}
	out.Add(e.Scan(scan.Fragment{Origin: o, Data: data})...)
}
