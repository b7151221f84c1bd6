package scan

import (
	"bytes"
	"errors"
	"io"
)

// chunkSize is how much of a stream is scanned at once. A variable so
// tests can cut small streams into many chunks.
var chunkSize = 4 << 20

// overlap is the least carried from one window into the next: longer than
// any single-line credential the rules describe, for a secret on an
// over-long line that straddles a window edge.
const overlap = 8 << 10

// ScanReader scans a stream in bounded memory, in chunks cut at line ends
// (a line longer than a chunk in windows cut mid-line, never dropped). Each
// window carries over the tail of the one before, at least as long as the
// longest multi-line match the rules allow, so a PEM block across a cut is
// seen whole; a window reports the findings that start before the tail it
// passes on, and none that overlaps one already reported, so each finding
// is reported once. Findings carry line and column within the stream. It
// returns the bytes read.
func (e *Engine) ScanReader(r io.Reader, o *Origin, emit func([]Finding)) (int64, error) {
	carry := max(overlap, e.set.MultilineSpan())
	buf := make([]byte, chunkSize+carry)
	var (
		n       int   // bytes held in buf
		total   int64 // bytes read
		w       = window{line: 1}
		readErr error
	)
	for readErr == nil {
		var m int
		m, readErr = io.ReadFull(r, buf[n:])
		n += m
		total += int64(m)
		if errors.Is(readErr, io.ErrUnexpectedEOF) || errors.Is(readErr, io.EOF) {
			readErr = io.EOF
		}
		if n == 0 {
			break
		}
		if readErr == io.EOF {
			emit(e.scanWindow(buf[:n], o, &w, n))
			break
		}
		// Cut at the last line end when that leaves room for the tail;
		// the next window starts at a line start at least carry bytes
		// before the cut. On one line longer than that, cut mid-line.
		end, next := n, n-carry
		if cut := bytes.LastIndexByte(buf[:n], '\n'); cut >= 2*carry {
			end = cut + 1
			next = end - carry
			if ls := bytes.LastIndexByte(buf[:next], '\n'); ls >= 0 {
				next = ls + 1
			}
		}
		emit(e.scanWindow(buf[:end], o, &w, next))
		n = copy(buf, buf[next:n])
	}
	if readErr != nil && readErr != io.EOF {
		return total, readErr
	}
	return total, nil
}

// window is where a window of a stream starts, and what it must not report
// again.
type window struct {
	line    int // line number of the window's first byte
	colBase int // column offset of the first byte within its line
	// reported are findings already reported that may reach into this
	// window.
	reported []Finding
}

// scanWindow scans data, reports the findings whose match starts before
// next (the offset the following window starts at; a rule's match may
// begin lines before its secret) and overlaps none already reported, and
// moves w to next.
func (e *Engine) scanWindow(data []byte, o *Origin, w *window, next int) []Finding {
	fs, starts := e.scan(Fragment{Origin: o, Data: data, Line: w.line})
	// Where the next window starts, as a stream position.
	nextLine, nextCol := w.line, w.colBase+next+1
	if nl := bytes.LastIndexByte(data[:next], '\n'); nl >= 0 {
		nextLine += bytes.Count(data[:next], []byte{'\n'})
		nextCol = next - nl
	}
	out := fs[:0]
	for i, f := range fs {
		if f.Line == w.line && w.colBase > 0 {
			f.Column += w.colBase
			if f.EndLine == w.line {
				f.EndColumn += w.colBase
			}
		}
		if next < len(data) && starts[i] >= next {
			continue // the next window sees the match whole and reports it
		}
		if overlapsAny(f, w.reported) {
			continue
		}
		out = append(out, f)
	}
	// Keep what may reach past the next window's start.
	var kept []Finding
	for _, f := range append(w.reported, out...) {
		if !before(f.EndLine, f.EndColumn, nextLine, nextCol) {
			kept = append(kept, f)
		}
	}
	w.reported = kept
	if nextLine == w.line {
		w.colBase += next
	} else {
		w.colBase = nextCol - 1
	}
	w.line = nextLine
	return out
}

// before reports whether stream position (l1, c1) comes before (l2, c2).
func before(l1, c1, l2, c2 int) bool { return l1 < l2 || l1 == l2 && c1 < c2 }

// overlapsAny reports whether f's span shares a byte with one of fs's.
func overlapsAny(f Finding, fs []Finding) bool {
	for _, g := range fs {
		if !before(f.EndLine, f.EndColumn, g.Line, g.Column) && !before(g.EndLine, g.EndColumn, f.Line, f.Column) {
			return true
		}
	}
	return false
}
