package scan

import (
	"context"
	"io/fs"
	"path/filepath"
)

// WalkDir walks a directory tree for a source. It stops when ctx ends,
// records an entry it cannot read in out and goes on without it, and never
// enters a .git directory below the root. visit sees every other entry and
// may return fs.SkipDir, as with filepath.WalkDir.
func WalkDir(ctx context.Context, root string, out *Collector, visit func(path string, d fs.DirEntry) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			out.Error(path, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() && path != root && d.Name() == ".git" {
			return fs.SkipDir
		}
		return visit(path, d)
	})
}
