package logs

import (
	"bytes"
	"sort"
	"strings"

	cstream "github.com/sourcegraph/conc/stream"

	"github.com/secretlint/secretlint/scan"
)

const (
	// DefaultWindow is how much of a stream is scanned at once: whole lines
	// up to this size, and a longer line in overlapping windows of it.
	DefaultWindow = 1 << 20
	// overlap is carried from one window of an over-long line into the
	// next, so a secret that straddles the edge is seen whole. It is longer
	// than any single-line credential the rules describe.
	overlap = 8 << 10
	// minWindow keeps windows meaningfully larger than the overlap.
	minWindow = 4 * overlap
)

// Hit is a finding with the stream offsets of the raw bytes it covers, so
// a redactor can replace exactly those bytes.
type Hit struct {
	scan.Finding
	// Start and End delimit the raw bytes in the stream; End is exclusive.
	Start, End int64
}

// stream cuts a log into windows at line ends, scans each through its view
// and reports hits with raw positions. It holds one window's worth of
// input, plus, when scanning in parallel, a copy of each window in flight.
type stream struct {
	eng    *scan.Engine
	origin *scan.Origin
	emit   func(Hit)
	// done, when set, is told after each window that every byte before the
	// given stream offset is final (a redactor writes up to it).
	done func(upTo int64, raw []byte, base int64)

	buf  []byte
	n    int       // bytes held in buf
	line int       // line number of buf[0]
	col  int       // 0-based column of buf[0] within its line
	off  int64     // stream offset of buf[0]
	w    window    // the window, in serial mode
	par  *parallel // set for parallel scanning
}

func newStream(eng *scan.Engine, o *scan.Origin, window int, emit func(Hit)) *stream {
	if window < minWindow {
		window = minWindow
	}
	return &stream{eng: eng, origin: o, emit: emit, buf: make([]byte, window), line: 1}
}

// space returns where the next read goes. It is never empty: write calls
// drain when the buffer fills.
func (s *stream) space() []byte { return s.buf[s.n:] }

// advance records m bytes read into space and scans whatever complete
// windows the buffer then holds.
func (s *stream) advance(m int) {
	s.n += m
	if s.n == len(s.buf) {
		s.drain(false)
	}
}

// write copies p into the stream, scanning windows as the buffer fills.
func (s *stream) write(p []byte) {
	for len(p) > 0 {
		k := copy(s.buf[s.n:], p)
		p = p[k:]
		s.advance(k)
	}
}

// drain scans what the buffer holds: everything when final, else the
// complete lines, or a window of an over-long line that fills the buffer.
func (s *stream) drain(final bool) {
	if s.n == 0 {
		if final {
			s.wait()
		}
		return
	}
	if final {
		s.scanWindow(s.buf[:s.n], s.n)
		s.consume(s.n, true)
		s.wait()
		return
	}
	if cut := bytes.LastIndexByte(s.buf[:s.n], '\n'); cut >= 0 {
		s.scanWindow(s.buf[:cut+1], cut+1)
		s.consume(cut+1, true)
		return
	}
	if s.n < len(s.buf) {
		return
	}
	keep := s.n - overlap
	s.scanWindow(s.buf[:s.n], keep)
	s.consume(keep, false)
}

// consume drops the first k bytes of the buffer.
func (s *stream) consume(k int, lineEnd bool) {
	if lineEnd {
		s.line += bytes.Count(s.buf[:k], []byte{'\n'})
		if s.buf[k-1] == '\n' {
			s.col = 0
		} else {
			s.col += k - (bytes.LastIndexByte(s.buf[:k], '\n') + 1)
		}
	} else {
		s.col += k
	}
	s.off += int64(k)
	s.n = copy(s.buf, s.buf[k:s.n])
}

// reset starts the stream over, as after a truncated or rotated file.
func (s *stream) reset() {
	s.n, s.line, s.col, s.off = 0, 1, 0, 0
}

// window is one piece of the stream being scanned.
type window struct {
	raw   []byte
	limit int   // hits starting at or after limit belong to the next window
	line  int   // line of raw[0]
	col   int   // 0-based column of raw[0] within its line
	off   int64 // stream offset of raw[0]
	v     view
	hits  []Hit
	buf   []byte // owned copy of raw, in parallel mode
}

// parallel scans windows on several goroutines and emits their hits in
// stream order; at most len(free) windows are in flight, so memory stays
// bounded.
type parallel struct {
	st   *cstream.Stream
	free chan *window
}

// setWorkers makes the stream scan up to n windows at once (n > 1).
func (s *stream) setWorkers(n int) {
	if n < 2 {
		return
	}
	p := &parallel{st: cstream.New().WithMaxGoroutines(n), free: make(chan *window, n+1)}
	for range n + 1 {
		p.free <- &window{}
	}
	s.par = p
}

// wait returns when every window handed out has been scanned and emitted.
func (s *stream) wait() {
	if s.par != nil {
		s.par.st.Wait()
		s.par.st = cstream.New().WithMaxGoroutines(cap(s.par.free) - 1)
	}
}

// scanWindow scans raw and emits the hits that start before limit.
func (s *stream) scanWindow(raw []byte, limit int) {
	if s.par == nil {
		w := &s.w
		w.raw, w.limit, w.line, w.col, w.off = raw, limit, s.line, s.col, s.off
		s.scan(w)
		s.finish(w)
		return
	}
	w := <-s.par.free
	w.buf = append(w.buf[:0], raw...)
	w.raw, w.limit, w.line, w.col, w.off = w.buf, limit, s.line, s.col, s.off
	s.par.st.Go(func() cstream.Callback {
		s.scan(w)
		return func() {
			s.finish(w)
			s.par.free <- w
		}
	})
}

// scan finds the window's hits.
func (s *stream) scan(w *window) {
	w.v.reset(w.raw)
	w.hits = w.hits[:0]
	fs := s.eng.Scan(scan.Fragment{Origin: s.origin, Data: w.v.data, Line: w.line})
	if len(fs) > 0 {
		w.hits = locate(w, fs, w.hits)
	}
}

// finish emits the window's hits and reports its bytes done.
func (s *stream) finish(w *window) {
	for _, h := range w.hits {
		s.emit(h)
	}
	if s.done != nil {
		s.done(w.off+int64(w.limit), w.raw, w.off)
	}
}

// locate maps findings on the view back to raw bytes, dropping masked
// values and those that belong to the next window.
func locate(w *window, fs []scan.Finding, out []Hit) []Hit {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Line != fs[j].Line {
			return fs[i].Line < fs[j].Line
		}
		return fs[i].Column < fs[j].Column
	})
	vl := lineCursor{data: w.v.data, line: w.line}
	for _, f := range fs {
		if masked(f.Secret) {
			continue
		}
		vs := vl.start(f.Line) + f.Column - 1
		ve := vl.start(f.EndLine) + f.EndColumn // EndColumn is inclusive
		vs, ve = clamp(vs, len(w.v.data)), clamp(ve, len(w.v.data))
		rs, re := w.v.start(vs), w.v.end(ve)
		if re <= rs {
			re = min(rs+1, len(w.raw))
		}
		if rs >= w.limit {
			continue
		}
		f.Column = w.column(rs, f.Line)
		f.EndColumn = w.column(re-1, f.EndLine)
		out = append(out, Hit{Finding: f, Start: w.off + int64(rs), End: w.off + int64(re)})
	}
	return out
}

// column returns the 1-based column of raw[i] within its line of the
// stream.
func (w *window) column(i, line int) int {
	ls := bytes.LastIndexByte(w.raw[:i], '\n') + 1
	c := i - ls + 1
	if ls == 0 && line == w.line {
		c += w.col
	}
	return c
}

func clamp(v, n int) int { return max(0, min(v, n)) }

// lineCursor finds where lines start in a window, counting forward from the
// last answer; asked for an earlier line it starts over.
type lineCursor struct {
	data []byte
	line int // line of data[0]
	at   int // line of off
	off  int
}

func (c *lineCursor) start(line int) int {
	if c.at == 0 || line < c.at {
		c.at, c.off = c.line, 0
	}
	for c.at < line {
		i := bytes.IndexByte(c.data[c.off:], '\n')
		if i < 0 {
			return len(c.data)
		}
		c.off += i + 1
		c.at++
	}
	return c.off
}

// maskMarks are what CI systems and loggers print in place of a secret.
var maskMarks = []string{"***", "[masked]", "[redacted", "[filtered]", "<redacted>", "<masked>"}

// masked reports whether a value was already masked by whoever wrote the
// log, so it is not a leak.
func masked(secret string) bool {
	s := strings.ToLower(secret)
	for _, m := range maskMarks {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}
