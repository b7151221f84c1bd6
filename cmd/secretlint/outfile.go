package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// errNotWritable wraps every reason an --output path is refused, so the
// command can exit with a usage error before it scans anything.
var errNotWritable = errors.New("refused")

// checkOutput decides, before any scanning, whether path may receive a
// report: a new path in a writable directory, or an existing regular file
// the user may write. A symlink is refused (the report would land wherever
// it points) unless force, which replaces the link itself. Devices, FIFOs,
// sockets and directories are refused: writing a report there either
// loses it or changes something that is not a report.
func checkOutput(path string, force bool) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(path)
		if fi, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s: directory %s does not exist; create it first or write elsewhere", errNotWritable, path, dir)
		} else if err == nil && !fi.IsDir() {
			return fmt.Errorf("%w: %s: %s is not a directory", errNotWritable, path, dir)
		}
		if err := syscall.Access(dir, accessW|accessX); err != nil {
			return fmt.Errorf("%w: %s: directory %s is not writable: %v", errNotWritable, path, dir, err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("%w: %v", errNotWritable, err)
	case fi.Mode()&fs.ModeSymlink != 0:
		if !force {
			return fmt.Errorf("%w: %s is a symlink; it is not followed (pass --force to replace the link with the report)", errNotWritable, path)
		}
		dir := filepath.Dir(path)
		if err := syscall.Access(dir, accessW|accessX); err != nil {
			return fmt.Errorf("%w: %s: directory %s is not writable: %v", errNotWritable, path, dir, err)
		}
		return nil
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%w: %s is not a regular file (%s)", errNotWritable, path, fileKind(fi.Mode()))
	}
	if err := syscall.Access(path, accessW); err != nil {
		return fmt.Errorf("%w: %s is not writable: %v", errNotWritable, path, err)
	}
	return nil
}

// Access(2) mode bits.
const (
	accessW = 0x2
	accessX = 0x1
)

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// createOutput opens path for a report after checkOutput passed. It never
// follows a symlink at path (with force it removes the link first), opens
// without blocking so a FIFO swapped in since the check is refused rather
// than waited on, and creates new files 0600. An existing file keeps its
// mode unless group or others may read it: then those bits are cleared,
// with a warning.
func createOutput(path string, force bool, warnf func(format string, args ...any)) (*os.File, error) {
	if force {
		if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			if err := os.Remove(path); err != nil {
				return nil, fmt.Errorf("replace symlink %s: %w", path, err)
			}
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, fmt.Errorf("%s is a symlink; it is not followed (pass --force to replace the link with the report)", path)
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file (%s)", path, fileKind(fi.Mode()))
	}
	if m := fi.Mode().Perm(); m&0o077 != 0 {
		// Reports are private (the project's rule); say so rather than
		// narrowing a file the user may have shared on purpose in silence.
		if err := f.Chmod(m &^ 0o077); err != nil {
			f.Close()
			return nil, err
		}
		if warnf != nil {
			warnf("warning: %s had mode %04o; made it %04o so only its owner can read the report", path, m, m&^0o077)
		}
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
