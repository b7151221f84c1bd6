package scan

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// VendoredDirs are directories of third-party code and caches that a
// Walker with Vendored set leaves out: checks about how a project delivers
// its own secrets would only report its dependencies' files.
var VendoredDirs = []string{"node_modules", "vendor", ".venv", "__pycache__"}

// BundledDirs are directories where a tool commits its own minified
// release and plugins (Yarn 2 and later keep theirs in .yarn/releases and
// .yarn/plugins): the tool's code, not the project's, whose embedded
// values (the package search's public API key) are not the project's
// secrets. Every source leaves them out through Engine.SkipPath; a file in
// one named on the command line is still scanned.
var BundledDirs = []string{".yarn/releases", ".yarn/plugins"}

// inBundledDir reports whether a slash-separated path (a directory's ends
// in "/") lies in one of BundledDirs.
func inBundledDir(path string) bool {
	for _, d := range BundledDirs {
		if i := strings.Index(path, d+"/"); i == 0 || i > 0 && path[i-1] == '/' {
			return true
		}
	}
	return false
}

// Walker walks directory trees for every source and check, with one skip
// list: a .git directory below the root always (history is the git
// source's), VendoredDirs when Vendored is set, and whatever Skip leaves
// out. It never follows a symlink, so a link loop cannot trap it, and never
// hands on a FIFO, device or socket, which would block or never end; it
// counts both instead, for Note.
type Walker struct {
	// Vendored leaves out VendoredDirs below the root.
	Vendored bool
	// Skip, when set, leaves out a path for which it returns true; the
	// path is slash-separated and a directory's ends in "/". It is asked
	// about the root too.
	Skip func(path string) bool
	// OnError, when set, is told of an entry that cannot be read; the
	// walk goes on without it.
	OnError func(path string, err error)

	symlinks atomic.Int64
	specials atomic.Int64
}

// Walk calls visit for root, every directory and every regular file under
// it that the skip list keeps, in lexical order, until ctx ends. visit may
// return fs.SkipDir for a directory, or an error to stop the walk; Walk
// returns that error, or ctx's.
func (w *Walker) Walk(ctx context.Context, root string, visit func(path string, d fs.DirEntry) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if w.OnError != nil {
				w.OnError(path, err)
			}
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root && w.skipDir(d.Name()) {
				return fs.SkipDir
			}
			if w.Skip != nil && w.Skip(filepath.ToSlash(path)+"/") {
				return fs.SkipDir
			}
			return visit(path, d)
		}
		switch t := d.Type(); {
		case t&fs.ModeSymlink != 0:
			w.symlinks.Add(1)
			return nil
		case !t.IsRegular():
			w.specials.Add(1)
			return nil
		}
		if w.Skip != nil && w.Skip(filepath.ToSlash(path)) {
			return nil
		}
		return visit(path, d)
	})
}

func (w *Walker) skipDir(name string) bool {
	if name == ".git" {
		return true
	}
	if w.Vendored {
		for _, v := range VendoredDirs {
			if name == v {
				return true
			}
		}
	}
	return false
}

// Note records in out, once for input, the symlinks and special files the
// walks so far left out, and resets the counts.
func (w *Walker) Note(out *Collector, input string) {
	if n := w.symlinks.Swap(0); n > 0 {
		out.Skip(input, fmt.Sprintf("%d symlinks not followed (name a link's target to scan it)", n))
	}
	if n := w.specials.Swap(0); n > 0 {
		out.Skip(input, fmt.Sprintf("%d special files (FIFOs, devices, sockets) not read (name one to read it like standard input)", n))
	}
}
