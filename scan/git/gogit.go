package git

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/go-git/go-billy/v5"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/content"
)

// event is a blob appearing at a path in a commit where no parent had it.
type event struct {
	commit string
	path   string
	// from is the blob the commit's first parent had at the path (or the
	// path it was renamed from); findings on lines it already had are old.
	from plumbing.Hash
}

// addEvent queues a blob to be scanned once, attributed to each event.
func (s *scanner) addEvent(h plumbing.Hash, ev event) {
	s.blobMu.Lock()
	if s.blobs == nil {
		s.blobs = map[plumbing.Hash][]event{}
	}
	s.blobs[h] = append(s.blobs[h], ev)
	s.blobMu.Unlock()
}

// scanGoGit reads history with go-git alone: for each commit, the files
// whose blob differs from every parent's; then each unique blob once.
func (s *scanner) scanGoGit(ctx context.Context, commits []commitInfo) {
	for _, c := range commits {
		if ctx.Err() != nil {
			return
		}
		s.recoverCommit(c.hash)
	}
	s.scanBlobs(ctx)
}

// recoverCommit queues the blobs commit h introduced, reporting objects it
// cannot read by name.
func (s *scanner) recoverCommit(h plumbing.Hash) {
	s.repoMu.Lock()
	defer s.repoMu.Unlock()
	c, err := object.GetCommit(s.repo.Storer, h)
	if err != nil {
		s.out.Error("commit "+h.String(), fmt.Errorf("read commit %s: %w", h, err))
		return
	}
	tree, err := c.Tree()
	if err != nil {
		s.out.Error("tree "+c.TreeHash.String(), fmt.Errorf("read tree %s of commit %s: %w", c.TreeHash, h, err))
		return
	}
	var parents []*object.Tree
	for _, ph := range c.ParentHashes {
		pc, err := object.GetCommit(s.repo.Storer, ph)
		if err != nil {
			continue // a shallow boundary, or reported when that commit is read
		}
		pt, err := pc.Tree()
		if err != nil {
			continue
		}
		parents = append(parents, pt)
	}
	var base *object.Tree
	if len(parents) > 0 {
		base = parents[0]
	}
	changes, err := object.DiffTreeWithOptions(context.Background(), base, tree,
		&object.DiffTreeOptions{DetectRenames: true, RenameScore: 60, RenameLimit: 200})
	if err != nil {
		// Rename detection reads blobs; fall back to the plain tree diff
		// when one cannot be read (reported when the blob is scanned).
		changes, err = object.DiffTree(base, tree)
	}
	if err != nil {
		s.out.Error("commit "+h.String(), fmt.Errorf("compare trees of commit %s: %w", h, err))
		return
	}
	for _, ch := range changes {
		to := ch.To
		if to.Name == "" {
			continue // deleted
		}
		if to.TreeEntry.Mode == filemode.Submodule {
			s.skipOnce(to.Name, "submodule: its contents live in another repository and were not scanned")
			continue
		}
		if s.e.SkipPath(to.Name) {
			continue
		}
		fresh := true
		for _, pt := range parents[min(1, len(parents)):] {
			if e, err := pt.FindEntry(to.Name); err == nil && e.Hash == to.TreeEntry.Hash {
				fresh = false // brought in from another parent by a merge
				break
			}
		}
		if ch.From.Name != "" && ch.From.TreeEntry.Hash == to.TreeEntry.Hash {
			fresh = false // a pure rename
		}
		if fresh {
			s.addEvent(to.TreeEntry.Hash, event{commit: h.String(), path: to.Name, from: ch.From.TreeEntry.Hash})
		}
	}
}

// scanBlobs reads each queued blob once and scans it in the worker pool,
// attributing its findings to every event that introduced it.
func (s *scanner) scanBlobs(ctx context.Context) {
	s.blobMu.Lock()
	hashes := make([]plumbing.Hash, 0, len(s.blobs))
	for h := range s.blobs {
		hashes = append(hashes, h)
	}
	s.blobMu.Unlock()
	sort.Slice(hashes, func(i, j int) bool { return bytes.Compare(hashes[i][:], hashes[j][:]) < 0 })
	p := pool.New().WithMaxGoroutines(s.h.o.jobs)
	for _, h := range hashes {
		if ctx.Err() != nil {
			break
		}
		evs := s.blobs[h]
		data, ok := s.readBlob(h, evs[0])
		if !ok {
			continue
		}
		prev := map[plumbing.Hash][]byte{}
		p.Go(func() { s.scanBlob(data, evs, prev) })
	}
	p.Wait()
}

// readBlob reads a blob whole, applying the size, binary and LFS skips.
func (s *scanner) readBlob(h plumbing.Hash, ev event) ([]byte, bool) {
	s.repoMu.Lock()
	defer s.repoMu.Unlock()
	where := fmt.Sprintf("%s in commit %s", ev.path, ev.commit)
	if ev.commit == "" {
		where = ev.path + " in the index"
	}
	obj, err := s.repo.Storer.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		s.out.Error("blob "+h.String(), fmt.Errorf("read blob %s (%s): %w", h, where, err))
		return nil, false
	}
	if max := s.h.o.maxFileSize; max > 0 && obj.Size() > max {
		s.skipOnce(ev.path, fmt.Sprintf("larger than --max-file-size (%d bytes)", obj.Size()))
		return nil, false
	}
	r, err := obj.Reader()
	if err != nil {
		s.out.Error("blob "+h.String(), fmt.Errorf("read blob %s (%s): %w", h, where, err))
		return nil, false
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		s.out.Error("blob "+h.String(), fmt.Errorf("read blob %s (%s): %w", h, where, err))
		return nil, false
	}
	if !s.h.o.binary && isBinary(data) {
		s.skipOnce(ev.path, binaryNote)
		return nil, false
	}
	if isLFSPointer([]hunk{{Line: 1, Data: data}}) {
		s.skipOnce(ev.path, lfsNote)
		return nil, false
	}
	return data, true
}

// scanBlob scans a blob once per extractor its paths call for (most often
// once) and copies its findings to each event's path and commit, keeping
// only those on lines the event added.
func (s *scanner) scanBlob(data []byte, evs []event, prev map[plumbing.Hash][]byte) {
	byKind := map[content.Extractor][]scan.Finding{}
	for _, ev := range evs {
		x := s.st.Extractor(ev.path, data)
		fs, ok := byKind[x]
		if !ok {
			fs = s.st.Text(scan.Origin{Source: scan.SourceGit, Path: ev.path}, data)
			byKind[x] = fs
		}
		if len(fs) == 0 {
			continue
		}
		var added map[int]bool
		if !ev.from.IsZero() {
			old, ok := prev[ev.from]
			if !ok {
				s.repoMu.Lock()
				old = readBlobQuiet(s, ev.from)
				s.repoMu.Unlock()
				prev[ev.from] = old
			}
			added = addedLines(old, data)
		}
		out := make([]scan.Finding, 0, len(fs))
		for _, f := range fs {
			if added != nil && !added[f.Line] {
				continue
			}
			if r := s.e.Rules().Rule(f.RuleID); r != nil && r.Allow.AllowsPath(ev.path) {
				continue
			}
			f.Path, f.Commit = ev.path, ev.commit
			f.Fingerprint = s.e.Fingerprint(f.RuleID, f.Path, f.Secret)
			out = append(out, f)
		}
		s.a.add(out)
	}
}

// isBinary reports whether data looks binary: a NUL byte in its first 8 KB,
// the test git uses.
func isBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0
}

// gitDirOf returns the repository's git directory, when it is on disk.
func gitDirOf(r *gogit.Repository) string {
	if fs, ok := r.Storer.(interface{ Filesystem() billy.Filesystem }); ok {
		return fs.Filesystem().Root()
	}
	return ""
}

// looseRefNames lists the loose ref files under dir/refs.
func looseRefNames(dir string) []string {
	if dir == "" {
		return nil
	}
	var names []string
	root := filepath.Join(dir, "refs")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err == nil {
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	return names
}
