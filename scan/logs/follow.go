package logs

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/secretlint/secretlint/scan"
)

// follow scans a file and keeps reading it as it grows, like tail -F: when
// the file is truncated it is read again from the start, when it is
// rotated (the path names a new file) the old one is finished and the new
// one followed from its start, and when it is deleted the scan waits for
// it to come back. Line numbers are those of the file being read. It
// returns when ctx ends, after scanning a last partial line.
func (s *Source) follow(ctx context.Context, path string, eng *scan.Engine, out *scan.Collector) {
	name := filepath.ToSlash(path)
	st := newStream(eng, &scan.Origin{Source: scan.SourceLog, Path: name}, s.o.window, s.hitFunc(out))
	var (
		f       *os.File
		info    os.FileInfo
		missing bool // told the user the path is gone
		counted bool
		mark    readMark
	)
	defer func() {
		st.drain(true)
		if f != nil {
			f.Close()
		}
		if missing {
			out.Error(name, errors.New("deleted while followed and not recreated"))
		}
	}()
	tick := time.NewTicker(s.o.poll)
	defer tick.Stop()
	for {
		if f == nil {
			var err error
			if f, info, err = openFollowed(path); err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					out.Error(name, err)
					return
				}
				if !missing {
					missing = true
					s.tell(name, "does not exist; waiting for it to appear")
				}
			} else {
				if missing {
					missing = false
					s.tell(name, "appeared; following it")
				}
				if !counted {
					counted = true
					out.Input()
				}
			}
		}
		if f != nil {
			if mark.f != f {
				mark.reset(f) // a new file, read from its start
			}
			if mark.rewritten() {
				// Truncated and written again since the last read (copytruncate
				// rotation followed by a burst): the size alone cannot tell.
				s.restart(name, f, st, &mark)
			}
			if err := s.readAvailable(f, st, &mark); err != nil {
				out.Error(name, fmt.Errorf("read: %w", err))
				return
			}
			st.drain(false)
			f, info, missing = s.checkFollowed(path, name, f, info, st, missing, &mark)
		}
		select {
		case <-ctx.Done():
			if f != nil {
				s.readAvailable(f, st, nil) // what was written before the interrupt
			}
			return
		case <-tick.C:
		}
	}
}

func openFollowed(path string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if info.IsDir() {
		f.Close()
		return nil, nil, fmt.Errorf("is a directory")
	}
	return f, info, nil
}

// readAvailable reads what the file holds now, up to its current end, and
// records in m (when not nil) the bytes it read.
func (s *Source) readAvailable(f *os.File, st *stream, m *readMark) error {
	for {
		buf := st.space()
		n, err := f.Read(buf)
		if n > 0 {
			m.add(buf[:n])
			st.advance(n)
		}
		if err == io.EOF || (n == 0 && err == nil) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// checkFollowed notices truncation, rotation and deletion of a followed
// file. It returns the file to read next (nil to reopen the path).
func (s *Source) checkFollowed(path, name string, f *os.File, info os.FileInfo, st *stream, missing bool, m *readMark) (*os.File, os.FileInfo, bool) {
	now, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Deleted: a writer that still holds it open may write on, so keep
		// reading the open file, and pick up a new one at the path.
		if !missing {
			s.tell(name, "deleted; waiting for it to be recreated")
		}
		return f, info, true
	case err != nil:
		return f, info, missing
	case !os.SameFile(info, now):
		// Rotated: finish the old file, then follow the new one from its start.
		s.readAvailable(f, st, nil)
		st.drain(true)
		f.Close()
		st.reset()
		s.tell(name, "rotated; following the new file from its start")
		nf, ninfo, err := openFollowed(path)
		if err != nil {
			return nil, nil, missing
		}
		return nf, ninfo, false
	}
	if missing {
		s.tell(name, "recreated; following it")
	}
	pos, err := f.Seek(0, io.SeekCurrent)
	if err == nil && now.Size() < pos {
		if !s.restart(name, f, st, m) {
			f.Close()
			return nil, nil, false
		}
	}
	return f, now, false
}

// restart reads a truncated file again from its start, lines counted afresh.
// It reports whether the file could be rewound.
func (s *Source) restart(name string, f *os.File, st *stream, m *readMark) bool {
	st.drain(true)
	st.reset()
	m.reset(f)
	s.tell(name, "truncated; reading again from the start")
	_, err := f.Seek(0, io.SeekStart)
	return err == nil
}

// markLen is how many bytes before the read position are remembered.
const markLen = 64

// readMark remembers the first bytes read from a followed file and the
// last ones, as they were read, so that a truncation followed by new
// writes that reach past the old read position before the next poll is
// still noticed: the bytes there are no longer the ones that were read.
// The mark is built from the read itself, never by reading the file again
// afterwards: a refill landing between the read and such a second look
// would be taken as what was read, and its lines never scanned. A refill
// that repeats the old bytes at both places goes unnoticed; for log
// lines, which carry timestamps and counters, that is vanishingly rare.
type readMark struct {
	f          *os.File
	pos        int64 // bytes read since the file was (re)started
	head, tail []byte
}

// reset starts a mark for f read from its start.
func (m *readMark) reset(f *os.File) {
	m.f, m.pos, m.head, m.tail = f, 0, m.head[:0], m.tail[:0]
}

// add records bytes just read.
func (m *readMark) add(b []byte) {
	if m == nil {
		return
	}
	if n := markLen - len(m.head); n > 0 {
		m.head = append(m.head, b[:min(n, len(b))]...)
	}
	if len(b) >= markLen {
		m.tail = append(m.tail[:0], b[len(b)-markLen:]...)
	} else {
		m.tail = append(m.tail, b...)
		if extra := len(m.tail) - markLen; extra > 0 {
			m.tail = append(m.tail[:0], m.tail[extra:]...)
		}
	}
	m.pos += int64(len(b))
}

// rewritten reports whether the file no longer holds the recorded bytes
// where they were read: it was truncated and written again since.
func (m *readMark) rewritten() bool {
	if m.f == nil || len(m.tail) == 0 {
		return false
	}
	var buf [markLen]byte
	head := readAt(m.f, buf[:0], 0, int64(len(m.head)))
	if !bytes.Equal(head, m.head) {
		return true
	}
	tail := readAt(m.f, buf[:0], m.pos-int64(len(m.tail)), int64(len(m.tail)))
	return !bytes.Equal(tail, m.tail)
}

// readAt appends up to n bytes of f at off to b.
func readAt(f *os.File, b []byte, off, n int64) []byte {
	b = slices.Grow(b[:0], int(n))[:n]
	k, _ := f.ReadAt(b, off)
	return b[:k]
}
