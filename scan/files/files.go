package files

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/content"
)

// Stdin is the path that names standard input.
const Stdin = "-"

// Source scans files, directories, archives and standard input: it lists
// them (a content.Lister) and opens them (a content.Opener); the content
// stage reads, sniffs, unpacks and scans.
type Source struct {
	paths []string
	o     options
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

// ref is what the lister hands the opener: which file, and how to open it.
type ref struct {
	path string
	how  opening
}

type opening uint8

const (
	openFile    opening = iota // a regular file
	openSpecial                // a FIFO or device named on the command line
	openStdin
)

// Scan walks every path and scans each file once, in parallel.
func (s *Source) Scan(ctx context.Context, e *scan.Engine, out *scan.Collector) error {
	src := content.NewSource(s.String(), &lister{s: s, e: e}, content.OpenFunc(s.open), s.o.jobs,
		content.WithMaxFileSize(s.o.maxFileSize),
		content.WithArchiveLimits(s.o.archiveDepth, s.o.archiveBudget),
		content.WithBinary(s.o.includeBinary))
	err := src.Scan(ctx, e, out)
	s.walker.Note(out, s.String())
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// open opens what the lister listed. Standard input and special files are
// read so that an interruption ends a blocked open or read.
func (s *Source) open(ctx context.Context, ent content.Entry) (io.ReadCloser, error) {
	r := ent.Ref.(ref)
	switch r.how {
	case openStdin:
		return io.NopCloser(&readErr{r: scan.CancelReader(ctx, s.o.stdin), what: "read standard input"}), nil
	case openSpecial:
		return scan.OpenCancelable(ctx, func() (io.ReadCloser, error) { return os.Open(r.path) }), nil
	}
	return os.Open(r.path)
}

// readErr says what was being read in its errors.
type readErr struct {
	r    io.Reader
	what string
}

func (r *readErr) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %w", r.what, err)
	}
	return n, err
}

// lister lists the source's paths: files, the files of directories, and
// standard input.
type lister struct {
	s *Source
	e *scan.Engine
}

func (l *lister) List(ctx context.Context, out content.Sink, add func(content.Entry)) error {
	for _, root := range l.s.paths {
		if ctx.Err() != nil {
			break
		}
		if root == Stdin {
			add(content.Entry{Origin: scan.Origin{Source: scan.SourceStdin, Path: Stdin}, Size: -1, Stream: true, Ref: ref{how: openStdin}})
			continue
		}
		l.root(ctx, root, out, add)
	}
	return nil
}

func (l *lister) root(ctx context.Context, root string, out content.Sink, add func(content.Entry)) {
	file := func(path string, size int64) content.Entry {
		return content.Entry{Origin: scan.Origin{Source: scan.SourceFile, Path: filepath.ToSlash(path)}, Size: size, Ref: ref{path: path, how: openFile}}
	}
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
			// A FIFO or device is read like standard input: bounded by
			// --max-file-size, given up when the scan is interrupted.
			add(content.Entry{Origin: scan.Origin{Source: scan.SourceFile, Path: filepath.ToSlash(root)}, Size: -1, Stream: true, Ref: ref{path: root, how: openSpecial}})
			return
		}
		add(file(root, fi.Size()))
		return
	}
	var ignore gitignore.Matcher
	if l.s.o.gitignore {
		ignore = loadGitignore(root)
	}
	w := &l.s.walker
	w.OnError = out.Error
	w.Skip = func(path string) bool {
		dir := strings.HasSuffix(path, "/")
		if ignore != nil && path != filepath.ToSlash(root)+"/" && ignore.Match(splitPath(root, filepath.FromSlash(strings.TrimSuffix(path, "/"))), dir) {
			return true
		}
		return l.e.SkipPath(path)
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
		add(file(path, info.Size()))
		return nil
	})
	if err != nil && ctx.Err() == nil {
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
