package logs

import (
	"bytes"
	"sort"
	"strings"

	"github.com/secretlint/secretlint/scan"
)

const (
	// DefaultWindow is how much of a stream is scanned at once: whole lines
	// up to this size, and a longer line in overlapping windows of it.
	DefaultWindow = 4 << 20
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
// and reports hits with raw positions. It holds at most one window.
type stream struct {
	eng    *scan.Engine
	origin *scan.Origin
	emit   func(Hit)
	// done, when set, is told after each window that every byte before the
	// given stream offset is final (a redactor writes up to it).
	done func(upTo int64, raw []byte, base int64)

	buf  []byte
	n    int   // bytes held in buf
	line int   // line number of buf[0]
	col  int   // 0-based column of buf[0] within its line
	off  int64 // stream offset of buf[0]
	v    view
	hits []Hit
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
		return
	}
	if final {
		s.scanWindow(s.buf[:s.n], s.n)
		s.consume(s.n, true)
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

// scanWindow scans raw and emits the hits that start before limit.
func (s *stream) scanWindow(raw []byte, limit int) {
	s.v.reset(raw)
	fs := s.eng.Scan(scan.Fragment{Origin: s.origin, Data: s.v.data, Line: s.line})
	if len(fs) > 0 {
		s.hits = s.locate(raw, fs, limit, s.hits[:0])
		for _, h := range s.hits {
			s.emit(h)
		}
	}
	if s.done != nil {
		s.done(s.off+int64(limit), raw, s.off)
	}
}

// locate maps findings on the view back to raw bytes, dropping masked
// values and those that belong to the next window.
func (s *stream) locate(raw []byte, fs []scan.Finding, limit int, out []Hit) []Hit {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Line != fs[j].Line {
			return fs[i].Line < fs[j].Line
		}
		return fs[i].Column < fs[j].Column
	})
	vl := lineCursor{data: s.v.data, line: s.line}
	for _, f := range fs {
		if masked(f.Secret) {
			continue
		}
		vs := vl.start(f.Line) + f.Column - 1
		ve := vl.start(f.EndLine) + f.EndColumn // EndColumn is inclusive
		vs, ve = clamp(vs, len(s.v.data)), clamp(ve, len(s.v.data))
		rs, re := s.v.start(vs), s.v.end(ve)
		if re <= rs {
			re = min(rs+1, len(raw))
		}
		if rs >= limit {
			continue
		}
		f.Column = s.column(raw, rs, f.Line)
		f.EndColumn = s.column(raw, re-1, f.EndLine)
		out = append(out, Hit{Finding: f, Start: s.off + int64(rs), End: s.off + int64(re)})
	}
	return out
}

// column returns the 1-based column of raw[i] within its line of the
// stream.
func (s *stream) column(raw []byte, i, line int) int {
	ls := bytes.LastIndexByte(raw[:i], '\n') + 1
	c := i - ls + 1
	if ls == 0 && line == s.line {
		c += s.col
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
