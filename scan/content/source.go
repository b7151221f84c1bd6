package content

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/scan"
)

// Entry is one input a Lister names.
type Entry struct {
	// Origin is what the source knows about the input; Origin.Path names
	// it in findings, errors and skips.
	Origin scan.Origin
	// Size is the input's length in bytes, or -1 when unknown.
	Size int64
	// Stream says the input is read as a stream (standard input, a FIFO,
	// a device): as text, up to the size cap, never as an archive.
	Stream bool
	// Ref is the source's own handle for Open (a file path, an object
	// key); the stage never looks at it.
	Ref any
}

// Lister lists a source's inputs, calling add for each, until ctx ends.
// What it cannot list it records in out and goes on.
type Lister interface {
	List(ctx context.Context, out Sink, add func(Entry)) error
}

// Opener opens one listed input.
type Opener interface {
	Open(ctx context.Context, e Entry) (io.ReadCloser, error)
}

// OpenFunc is an Opener from a function.
type OpenFunc func(ctx context.Context, e Entry) (io.ReadCloser, error)

// Open calls f.
func (f OpenFunc) Open(ctx context.Context, e Entry) (io.ReadCloser, error) { return f(ctx, e) }

// Source is a scan.Source built from a Lister and an Opener: every entry
// is opened and read through a Stage, several at once.
type Source struct {
	name string
	l    Lister
	op   Opener
	jobs int
	opts []Option
	// binary counts binary inputs left out, noted once at the end rather
	// than one skip entry each (a tree of images and libraries has
	// thousands).
	binary atomic.Int64
}

var _ scan.Source = (*Source)(nil)

// NewSource returns a source named name (for notes) that lists with l,
// opens with op, and reads jobs inputs at once through a Stage made with
// opts.
func NewSource(name string, l Lister, op Opener, jobs int, opts ...Option) *Source {
	return &Source{name: name, l: l, op: op, jobs: max(jobs, 1), opts: opts}
}

func (s *Source) String() string { return s.name }

// Scan lists, opens and scans every input. An input that cannot be opened
// or read is recorded in out and the scan goes on; an interruption is the
// run's to report, not the input's. It returns ctx's error or the
// Lister's.
func (s *Source) Scan(ctx context.Context, e *scan.Engine, out *scan.Collector) error {
	st := New(e, s.opts...)
	p := pool.New().WithMaxGoroutines(s.jobs)
	listed := int64(0)
	err := s.l.List(ctx, out, func(ent Entry) {
		if ctx.Err() != nil {
			return
		}
		listed++
		p.Go(func() {
			s.one(ctx, st, ent, out)
			out.Did(1)
		})
	})
	// The total is known once the listing ends (the scan runs alongside it).
	out.Expect("files", listed)
	p.Wait()
	if n := s.binary.Swap(0); n > 0 {
		out.Skip(s.name, fmt.Sprintf("%d binary files not scanned (--binary scans them)", n))
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (s *Source) one(ctx context.Context, st *Stage, ent Entry, out *scan.Collector) {
	name := ent.Origin.Path
	if !ent.Stream && st.o.maxFileSize > 0 && ent.Size > st.o.maxFileSize {
		out.Skip(name, fmt.Sprintf("larger than --max-file-size (%d bytes)", ent.Size))
		return
	}
	rc, err := s.op.Open(ctx, ent)
	if err != nil {
		if ctx.Err() == nil {
			out.Error(name, err)
		}
		return
	}
	defer rc.Close()
	if ent.Stream {
		out.Input()
		if err := st.Stream(ent.Origin, rc, out); err != nil && ctx.Err() == nil {
			out.Error(name, err)
		}
		return
	}
	s.binary.Add(int64(st.File(ent.Origin, rc, ent.Size, out)))
}
