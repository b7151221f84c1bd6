package logs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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
			if err := s.readAvailable(f, st); err != nil {
				out.Error(name, fmt.Errorf("read: %w", err))
				return
			}
			st.drain(false)
			f, info, missing = s.checkFollowed(path, name, f, info, st, missing)
		}
		select {
		case <-ctx.Done():
			if f != nil {
				s.readAvailable(f, st) // what was written before the interrupt
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

// readAvailable reads what the file holds now, up to its current end.
func (s *Source) readAvailable(f *os.File, st *stream) error {
	for {
		n, err := f.Read(st.space())
		if n > 0 {
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
func (s *Source) checkFollowed(path, name string, f *os.File, info os.FileInfo, st *stream, missing bool) (*os.File, os.FileInfo, bool) {
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
		s.readAvailable(f, st)
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
		st.drain(true)
		st.reset()
		s.tell(name, "truncated; reading again from the start")
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			f.Close()
			return nil, nil, false
		}
	}
	return f, now, false
}
