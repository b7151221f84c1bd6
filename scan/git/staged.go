package git

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/content"
)

// Staged scans the lines the index adds relative to HEAD: what `git commit`
// is about to record. It works before the first commit too, when everything
// staged is new.
type Staged struct {
	path string
	o    options
}

var _ scan.Source = (*Staged)(nil)

// NewStaged returns a source for the staged changes of the repository at path.
func NewStaged(path string, opts ...Option) *Staged {
	return &Staged{path: path, o: newOptions(opts)}
}

func (st *Staged) String() string { return st.path + " (staged)" }

// Scan scans the staged changes. Findings carry path, line and column; there
// is no commit yet.
func (st *Staged) Scan(ctx context.Context, e *scan.Engine, out *scan.Collector) error {
	repo, closeRepo, err := openRepo(st.path)
	if err != nil {
		return err
	}
	defer closeRepo()
	s := &scanner{h: &History{path: st.path, o: st.o}, repo: repo, e: e, st: content.New(e), out: out, a: newAttributor(nil), staged: true}
	if st.o.useGitBin {
		err = s.stagedCLI(ctx)
	} else {
		err = s.stagedGoGit()
	}
	if err != nil {
		return err
	}
	s.scanBlobs(ctx)
	fs := make([]scan.Finding, 0, len(s.a.best))
	for _, f := range s.a.best {
		fs = append(fs, f)
	}
	out.Add(fs...)
	return nil
}

// stagedCLI asks git for the staged diff: it reads the index and HEAD's
// cached trees, so only changed files cost anything.
func (s *scanner) stagedCLI(ctx context.Context) error {
	var args []string
	if s.h.o.maxFileSize > 0 {
		args = append(args, "-c", "core.bigFileThreshold="+strconv.FormatInt(s.h.o.maxFileSize, 10))
	}
	args = append(args, "diff", "--cached", "-U0", "-M", "--full-index", "--no-color", "--no-ext-diff",
		"--no-textconv", "--ignore-submodules=none", "--src-prefix=a/", "--dst-prefix=b/")
	if len(s.h.o.paths) > 0 {
		args = append(args, "--")
		for _, p := range s.h.o.paths {
			args = append(args, ":(literal)"+filepath.ToSlash(p))
		}
	}
	cmd := s.gitCmd(ctx, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start git: %w", err)
	}
	p := newDiffParser(stdout, s.h.o.maxFileSize)
	p.onFile = func(fd *fileDiff) {
		if fd.Path != "" {
			s.out.Input()
		}
		s.handleFile(fd)
	}
	perr := p.parse()
	if perr != nil {
		_ = cmd.Process.Kill()
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git diff --cached in %s: %v: %s", s.h.path, err, strings.TrimSpace(stderr.String()))
	}
	if perr != nil {
		return fmt.Errorf("read git diff --cached output: %w", perr)
	}
	return nil
}

// stagedGoGit compares the index with HEAD's tree through go-git. A line
// counts as added when the HEAD version of the file lacks it.
func (s *scanner) stagedGoGit() error {
	idx, err := s.repo.Storer.Index()
	if err != nil {
		return fmt.Errorf("read index of %s: %w", s.h.path, err)
	}
	var head *object.Tree
	if ref, err := s.repo.Head(); err == nil {
		if c, err := object.GetCommit(s.repo.Storer, ref.Hash()); err == nil {
			head, _ = c.Tree()
		}
	}
	var only map[string]bool
	if len(s.h.o.paths) > 0 {
		only = map[string]bool{}
		for _, p := range s.h.o.paths {
			only[filepath.ToSlash(filepath.Clean(p))] = true
		}
	}
	for _, ent := range idx.Entries {
		if ent.Stage != 0 || s.e.SkipPath(ent.Name) || (only != nil && !only[ent.Name]) {
			continue
		}
		if ent.Mode == filemode.Submodule {
			s.skipOnce(ent.Name, "submodule: its contents live in another repository and were not scanned")
			continue
		}
		var old plumbing.Hash
		if head != nil {
			if he, err := head.FindEntry(ent.Name); err == nil {
				old = he.Hash
			}
		}
		if old == ent.Hash {
			continue
		}
		s.out.Input()
		data, ok := s.readBlob(ent.Hash, event{path: ent.Name})
		if !ok {
			continue
		}
		var prev []byte
		if !old.IsZero() {
			prev = readBlobQuiet(s, old)
		}
		fs := s.st.Text(scan.Origin{Source: scan.SourceGit, Path: ent.Name}, data)
		added := addedLines(prev, data)
		kept := fs[:0]
		for _, f := range fs {
			if added[f.Line] {
				kept = append(kept, f)
			}
		}
		s.a.add(kept)
	}
	return nil
}

// readBlobQuiet reads a blob, or returns nil.
func readBlobQuiet(s *scanner, b plumbing.Hash) []byte {
	obj, err := s.repo.Storer.EncodedObject(plumbing.BlobObject, b)
	if err != nil {
		return nil
	}
	r, err := obj.Reader()
	if err != nil {
		return nil
	}
	defer r.Close()
	data, _ := io.ReadAll(r)
	return data
}

// addedLines returns the 1-based numbers of the lines of cur that prev does
// not have (as a multiset: a line prev has twice may appear twice).
func addedLines(prev, cur []byte) map[int]bool {
	have := map[string]int{}
	for _, l := range bytes.Split(prev, []byte{'\n'}) {
		have[string(l)]++
	}
	out := map[int]bool{}
	for i, l := range bytes.Split(cur, []byte{'\n'}) {
		if have[string(l)] > 0 {
			have[string(l)]--
			continue
		}
		out[i+1] = true
	}
	return out
}
