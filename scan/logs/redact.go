package logs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/content"
)

// ErrBinary is returned for an input that holds binary data, not text.
var ErrBinary = errors.New("binary data (NUL bytes near the start), not a text log")

// Redact copies the log read from r to w with every secret replaced by
// [REDACTED:<rule-id>] and every other byte unchanged, streaming in the
// same bounded memory as a scan. A gzip stream is decompressed: the copy is
// plain text. name labels the input in findings and errors. It returns the
// secrets redacted, with the positions they had in the input.
func Redact(ctx context.Context, e *scan.Engine, name string, r io.Reader, w io.Writer, opts ...Option) ([]scan.Finding, error) {
	s := New([]string{name}, opts...)
	eng, err := s.engine(e)
	if err != nil {
		return nil, err
	}
	in, what, closeIn, err := s.decompress(name, r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer closeIn()
	head, rerr := sniff(in)
	if rerr != nil && !errors.Is(rerr, io.EOF) {
		return nil, fmt.Errorf("%s: read %s: %w", name, what, rerr)
	}
	if content.IsBinary(head) {
		return nil, fmt.Errorf("%s: %w; nothing written", name, ErrBinary)
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	rd := &redactor{w: bw}
	st := newStream(eng, &scan.Origin{Source: scan.SourceLog, Path: name}, s.o.window, rd.hit)
	st.done = rd.flush
	st.setWorkers(s.o.jobs)
	st.write(head)
	if rerr == nil {
		rerr = pump(ctx, in, r, st)
	} else {
		rerr = nil
	}
	st.drain(true)
	if rd.err == nil {
		rd.err = bw.Flush()
	}
	switch {
	case rd.err != nil:
		return rd.found, fmt.Errorf("write redacted copy of %s: %w", name, rd.err)
	case rerr != nil:
		return rd.found, fmt.Errorf("%s: read %s after %d bytes: %w", name, what, st.off, rerr)
	}
	return rd.found, nil
}

// redactor writes the raw stream, replacing the spans of hits.
type redactor struct {
	w       *bufio.Writer
	pending []Hit // hits of the current window, in stream order
	written int64 // stream offset up to which output is written or skipped
	found   []scan.Finding
	err     error
}

func (r *redactor) hit(h Hit) {
	r.pending = append(r.pending, h)
	r.found = append(r.found, h.Finding)
}

// flush writes the stream up to upTo; raw holds the window starting at
// stream offset base.
func (r *redactor) flush(upTo int64, raw []byte, base int64) {
	for _, h := range r.pending {
		if h.End <= r.written {
			continue
		}
		if h.Start >= r.written {
			r.copyRaw(raw, base, h.Start)
			r.write([]byte("[REDACTED:" + h.RuleID + "]"))
		}
		r.written = h.End // overlapping spans merge into the first marker
	}
	r.pending = r.pending[:0]
	r.copyRaw(raw, base, upTo)
}

// copyRaw writes raw bytes from the written mark up to stream offset to.
func (r *redactor) copyRaw(raw []byte, base, to int64) {
	if to <= r.written {
		return
	}
	r.write(raw[r.written-base : to-base])
	r.written = to
}

func (r *redactor) write(p []byte) {
	if r.err == nil {
		_, r.err = r.w.Write(p)
	}
}
