package git

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/scan"
)

// scanCLI scans every new blob of the commits once (see blobs.go), then
// diffs only the commits with a blob that holds a finding and scans what
// they added.
func (s *scanner) scanCLI(ctx context.Context, commits []commitInfo) {
	// The progress line counts commits through the blob pass (or, with
	// diffAll, through the diff), which is where the time goes.
	s.out.Expect("commits", int64(len(commits)))
	if !s.h.o.diffAll {
		if cs, ok := s.candidates(ctx, commits); ok {
			commits = cs
		}
	}
	s.diffCommits(ctx, commits)
}

// diffCommits streams what each commit added with `git diff-tree --stdin`,
// in jobs parallel processes over contiguous slices of the commit list (so
// each process reuses the trees it just read), and scans the added lines.
func (s *scanner) diffCommits(ctx context.Context, commits []commitInfo) {
	// Merges go to their own processes: their combined diffs must not pay
	// for rename detection, which git would run against every parent
	// (on etcd that is 6.3 s of 6.9 s spent on merges).
	var merges, others []commitInfo
	for _, c := range commits {
		if c.merge {
			merges = append(merges, c)
		} else {
			others = append(others, c)
		}
	}
	p := pool.New().WithMaxGoroutines(s.h.o.jobs)
	for _, group := range []struct {
		commits []commitInfo
		merges  bool
	}{{others, false}, {merges, true}} {
		n := len(group.commits)
		parts := s.h.o.jobs * 4
		if n < 256 {
			parts = 1
		}
		size := max((n+parts-1)/parts, 1)
		for i := 0; i < n; i += size {
			part := group.commits[i:min(i+size, n)]
			p.Go(func() { s.diffPart(ctx, part, group.merges) })
		}
	}
	p.Wait()
	s.scanBlobs(ctx)
}

// diffPart runs git over a slice of commits. When git stops on a damaged
// object, the commit it was on is read with go-git instead (which reports
// the object by name and reads the rest of that commit), and git resumes
// after it.
func (s *scanner) diffPart(ctx context.Context, part []commitInfo, merges bool) {
	for len(part) > 0 && ctx.Err() == nil {
		last, err := s.diffTree(ctx, part, merges)
		if err == nil || ctx.Err() != nil {
			return
		}
		// The failing commit is the one after the last commit git named,
		// or that one itself if git died half-way through its diff.
		from, to := max(last, 0), min(last+1, len(part)-1)
		for i := from; i <= to; i++ {
			h := part[i].hash
			s.out.Error("commit "+h.String(), fmt.Errorf("git diff-tree on commit %s: %w; its files were read with go-git instead", h, err))
			s.recoverCommit(h)
		}
		part = part[to+1:]
	}
}

// diffTree runs one git diff-tree process over commits and returns the index
// of the last commit whose diff it started.
func (s *scanner) diffTree(ctx context.Context, commits []commitInfo, merges bool) (int, error) {
	index := make(map[string]int, len(commits))
	var in strings.Builder
	for i, c := range commits {
		id := c.hash.String()
		index[id] = i
		in.WriteString(id)
		in.WriteByte('\n')
	}
	args := []string{}
	if s.h.o.maxFileSize > 0 {
		// git treats bigger files as binary and does not diff them; the
		// binary handler then names them as too large.
		args = append(args, "-c", "core.bigFileThreshold="+strconv.FormatInt(s.h.o.maxFileSize, 10))
	}
	args = append(args, "diff-tree", "--stdin", "--always", "--root", "-r", "-p", "-U0", "--cc",
		"--full-index", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/")
	if !merges {
		args = append(args, "-M")
	}
	cmd := s.gitCmd(ctx, args...)
	cmd.Stdin = strings.NewReader(in.String())
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 4096}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return -1, err
	}
	if err := cmd.Start(); err != nil {
		return -1, fmt.Errorf("start git: %w", err)
	}
	last := -1
	p := newDiffParser(stdout, s.h.o.maxFileSize)
	p.onCommit = func(id string) {
		if i, ok := index[id]; ok {
			last = i
			if s.h.o.diffAll {
				s.out.Did(1)
			}
		}
	}
	p.onFile = s.handleFile
	perr := p.parse()
	if perr != nil {
		_ = cmd.Process.Kill()
	}
	werr := cmd.Wait()
	switch {
	case werr != nil:
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = werr.Error()
		}
		return last, fmt.Errorf("%s", msg)
	case perr != nil:
		return last, fmt.Errorf("read git output: %w", perr)
	}
	return last, nil
}

// handleFile scans the text one commit added to one file.
func (s *scanner) handleFile(fd *fileDiff) {
	if fd.Path == "" || s.e.SkipPath(fd.Path) {
		return
	}
	switch {
	case fd.Submodule:
		s.skipOnce(fd.Path, "submodule: its contents live in another repository and were not scanned")
		return
	case fd.Binary:
		s.binaryFile(fd)
		return
	case isLFSPointer(fd.Hunks):
		s.skipOnce(fd.Path, lfsNote)
		return
	}
	if fd.Truncated {
		s.skipOnce(fd.Path+" (commit "+fd.Commit+")", "added text over --max-file-size or a line over 1 MB; the rest was not scanned")
	}
	o := &scan.Origin{Source: scan.SourceGit, Path: fd.Path, GitInfo: scan.GitInfo{Commit: fd.Commit}}
	var raw []scan.Finding
	for _, h := range fd.Hunks {
		raw = append(raw, s.e.Scan(scan.Fragment{Origin: o, Data: h.Data, Line: h.Line})...)
	}
	s.a.add(raw)
	s.a.add(s.extracted(fd, o, raw))
}

// extracted returns what an extractor (a notebook's joined cells, …) finds
// on the lines the commit added to a file of its kind beyond raw, the added
// lines' own findings. Structure spans lines a diff does not show, so the
// commit's whole blob is read.
func (s *scanner) extracted(fd *fileDiff, o *scan.Origin, raw []scan.Finding) []scan.Finding {
	if fd.Blob == "" || len(fd.Hunks) == 0 || s.st.Extractor(fd.Path, fd.Hunks[0].Data) == nil {
		return nil
	}
	h := plumbing.NewHash(fd.Blob)
	s.repoMu.Lock()
	data := readBlobQuiet(s, h)
	s.repoMu.Unlock()
	added := map[int]bool{}
	for _, hk := range fd.Hunks {
		for i := range bytes.Count(hk.Data, []byte{'\n'}) {
			added[hk.Line+i] = true
		}
	}
	var out []scan.Finding
	for _, f := range s.st.Extracted(*o, data, raw) {
		if added[f.Line] {
			out = append(out, f)
		}
	}
	return out
}

// binaryFile handles a file git would not diff: binary, or larger than the
// size limit. With --binary, its blob is scanned whole (once per blob).
func (s *scanner) binaryFile(fd *fileDiff) {
	if fd.Blob == "" {
		s.skipOnce(fd.Path, binaryNote)
		return
	}
	h := plumbing.NewHash(fd.Blob)
	s.repoMu.Lock()
	obj, err := s.repo.Storer.EncodedObject(plumbing.BlobObject, h)
	s.repoMu.Unlock()
	if err != nil {
		s.out.Error("blob "+fd.Blob, fmt.Errorf("read blob %s (%s in commit %s): %w", fd.Blob, fd.Path, fd.Commit, err))
		return
	}
	if max := s.h.o.maxFileSize; max > 0 && obj.Size() > max {
		s.skipOnce(fd.Path, fmt.Sprintf("larger than --max-file-size (%d bytes)", obj.Size()))
		return
	}
	if !s.h.o.binary {
		s.skipOnce(fd.Path, binaryNote)
		return
	}
	s.addEvent(h, event{commit: fd.Commit, path: fd.Path})
}

var lfsLines = [][]byte{[]byte("version https://git-lfs.github.com/spec/"), []byte("oid sha256:"), []byte("size ")}

// isLFSPointer reports whether the added text is a Git LFS pointer file.
func isLFSPointer(hs []hunk) bool {
	if len(hs) == 0 {
		return false
	}
	sawVersion := false
	for _, h := range hs {
		for _, line := range bytes.Split(bytes.TrimSuffix(h.Data, []byte{'\n'}), []byte{'\n'}) {
			ok := false
			for i, p := range lfsLines {
				if bytes.HasPrefix(line, p) {
					ok = true
					sawVersion = sawVersion || i == 0
				}
			}
			if !ok {
				return false
			}
		}
	}
	return sawVersion || hs[0].Line > 1
}

// limitedBuffer keeps the first max bytes written to it.
type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
