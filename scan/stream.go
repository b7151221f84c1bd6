package scan

import (
	"bytes"
	"errors"
	"io"
)

const (
	// chunkSize is how much of a stream is scanned at once.
	chunkSize = 4 << 20
	// overlap is kept between windows of one over-long line, so a secret
	// that straddles a window edge is still seen whole. Longer than any
	// single-line credential the rules describe.
	overlap = 8 << 10
)

// ScanReader scans a stream in bounded memory: chunks cut at line ends, and
// a line longer than a chunk in overlapping windows, never dropped. Findings
// carry line and column within the stream. It returns the bytes read.
func (e *Engine) ScanReader(r io.Reader, o *Origin, emit func([]Finding)) (int64, error) {
	buf := make([]byte, chunkSize+overlap)
	var (
		n       int   // bytes held in buf
		total   int64 // bytes read
		line    = 1   // line number of buf[0]
		colBase int   // column offset of buf[0] within its line
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
			emit(e.scanWindow(buf[:n], o, line, colBase, n))
			break
		}
		if cut := bytes.LastIndexByte(buf[:n], '\n'); cut >= 0 {
			emit(e.scanWindow(buf[:cut+1], o, line, colBase, cut+1))
			line += bytes.Count(buf[:cut+1], []byte{'\n'})
			colBase = 0
			n = copy(buf, buf[cut+1:n])
			continue
		}
		// One line fills the buffer: scan this window, report what starts
		// before the overlap, and carry the overlap into the next window.
		keepFrom := n - overlap
		emit(e.scanWindow(buf[:n], o, line, colBase, keepFrom))
		colBase += keepFrom
		n = copy(buf, buf[keepFrom:n])
	}
	if readErr != nil && readErr != io.EOF {
		return total, readErr
	}
	return total, nil
}

// scanWindow scans one window and keeps findings that start before limit,
// shifting columns on the window's first line by colBase.
func (e *Engine) scanWindow(data []byte, o *Origin, line, colBase, limit int) []Finding {
	fs := e.Scan(Fragment{Origin: o, Data: data, Line: line})
	if limit >= len(data) && colBase == 0 {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		if limit < len(data) && f.Line == line && f.Column-1 >= limit {
			continue
		}
		if f.Line == line && colBase > 0 {
			f.Column += colBase
			if f.EndLine == line {
				f.EndColumn += colBase
			}
		}
		out = append(out, f)
	}
	return out
}
