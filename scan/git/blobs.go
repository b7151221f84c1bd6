package git

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/scan"
)

// The blob pass finds the few commits whose diffs can hold a finding, so
// that only those are diffed.
//
// Every line a commit's diff adds at a path lives in the blob the commit has
// at that path, and that blob differs from the one each parent has there
// (for a merge: from every parent's). So the blobs listed by a raw tree diff
// of every scanned commit (no content, no rename detection: cheap) hold all
// added text, and scanning each of them whole, once, finds every secret any
// diff would show, plus secrets on lines the commit did not add. A commit
// none of whose new blobs holds a finding cannot yield one in its diff; the
// others are diffed exactly as a full scan diffs every commit (renames,
// combined diffs of merges), which keeps the attribution. The engine matches
// within lines and the windows around keyword hits, so a secret in a run of
// added lines is found in the whole blob too.

// blobRef is one appearance of a blob: the commit (index in the scanned
// list) that has it at path where its parents do not.
type blobRef struct {
	commit int32
	path   string
	// renamed: the commit deleted the same blob at another path, a rename
	// the diff shows without content (and without a skip note).
	renamed bool
}

// blobIndex maps each new blob of the scanned commits to where it appears,
// in order of first appearance (newest commit first).
type blobIndex struct {
	refs  map[plumbing.Hash][]blobRef
	order []plumbing.Hash
}

func (bi *blobIndex) add(h plumbing.Hash, r blobRef) {
	rs, ok := bi.refs[h]
	if !ok {
		bi.order = append(bi.order, h)
	}
	bi.refs[h] = append(rs, r)
}

// candidates returns the commits to diff: those with a new blob that holds a
// finding, that could not be read, or that needs the diff's own note (a line
// over the line cap). ok is false when the pass could not run; then every
// commit must be diffed.
func (s *scanner) candidates(ctx context.Context, commits []commitInfo) (_ []commitInfo, ok bool) {
	bi, failed, err := s.rawIndex(ctx, commits)
	if err != nil {
		return nil, false
	}
	flag := make([]bool, len(commits))
	for i := range failed {
		flag[i] = true
	}
	var mu sync.Mutex
	mark := func(h plumbing.Hash) {
		mu.Lock()
		for _, r := range bi.refs[h] {
			flag[r.commit] = true
		}
		mu.Unlock()
	}
	if err := s.scanNewBlobs(ctx, bi, mark); err != nil {
		return nil, false
	}
	var out []commitInfo
	for i, c := range commits {
		if flag[i] {
			out = append(out, c)
		}
	}
	return out, true
}

// rawIndex lists the new blobs of every commit with `git diff-tree --stdin
// -r --raw -c --no-renames`, in jobs processes over contiguous slices of the
// commit list. Commits of a slice git failed on are returned in failed: the
// diff pass reads them (and reports what is broken).
func (s *scanner) rawIndex(ctx context.Context, commits []commitInfo) (*blobIndex, map[int]bool, error) {
	parts := s.h.o.jobs
	if len(commits) < 256 {
		parts = 1
	}
	size := max((len(commits)+parts-1)/parts, 1)
	type result struct {
		refs []rawChange
		err  error
	}
	results := make([]result, 0, parts)
	for i := 0; i < len(commits); i += size {
		results = append(results, result{})
	}
	p := pool.New().WithMaxGoroutines(s.h.o.jobs)
	for k := range results {
		from := k * size
		part := commits[from:min(from+size, len(commits))]
		p.Go(func() {
			es, err := s.rawDiff(ctx, part, from)
			results[k] = result{es, err}
		})
	}
	p.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	bi := &blobIndex{refs: map[plumbing.Hash][]blobRef{}}
	failed := map[int]bool{}
	var all []rawChange
	for k, r := range results {
		if r.err != nil {
			from := k * size
			for i := from; i < min(from+size, len(commits)); i++ {
				failed[i] = true
			}
			continue
		}
		all = append(all, r.refs...)
		for _, e := range r.refs {
			if e.blob.IsZero() || s.e.SkipPath(e.path) {
				continue
			}
			if e.submodule {
				s.skipOnce(e.path, "submodule: its contents live in another repository and were not scanned")
				continue
			}
			bi.add(e.blob, blobRef{commit: e.commit, path: e.path, renamed: e.renamed})
		}
	}
	if len(failed) == 0 {
		s.raw = all
	}
	return bi, failed, nil
}

// rawChange is one line of a raw diff: a path whose blob a commit changed.
type rawChange struct {
	commit    int32
	path      string
	blob      plumbing.Hash // the zero hash for a deletion
	old       plumbing.Hash // for a plain diff, the blob the parent had
	submodule bool          // a gitlink: blob is a commit of another repository
	renamed   bool          // the commit deleted the same blob at another path
}

// rawDiff runs one diff-tree process over part, whose first commit has
// index base in the scanned list.
func (s *scanner) rawDiff(ctx context.Context, part []commitInfo, base int) ([]rawChange, error) {
	index := make(map[string]int32, len(part))
	var in strings.Builder
	for i, c := range part {
		id := c.hash.String()
		index[id] = int32(base + i)
		in.WriteString(id)
		in.WriteByte('\n')
	}
	cmd := s.gitCmd(ctx, "diff-tree", "--stdin", "--root", "-r", "--raw", "-c", "--no-renames", "--no-abbrev", "--no-ext-diff")
	cmd.Stdin = strings.NewReader(in.String())
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 4096}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start git: %w", err)
	}
	var out []rawChange
	cur := int32(-1)
	names := map[string]string{} // one copy of each path
	// Within one commit: the blobs it deleted and where its entries start,
	// to tell exact renames, which git's rename detection always pairs.
	deleted := map[plumbing.Hash]bool{}
	start := 0
	endCommit := func() {
		for i := start; i < len(out) && len(deleted) > 0; i++ {
			out[i].renamed = !out[i].blob.IsZero() && deleted[out[i].blob]
		}
		clear(deleted)
		start = len(out)
	}
	r := bufio.NewReaderSize(stdout, 256<<10)
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A path longer than the buffer: read the rest of the line.
			rest, _ := r.ReadBytes('\n')
			line = append(append([]byte(nil), line...), rest...)
			err = nil
		}
		if len(line) == 0 && err != nil {
			break
		}
		line = bytes.TrimSuffix(line, []byte{'\n'})
		if isHexID(line) {
			endCommit()
			if i, ok := index[string(line)]; ok {
				cur = i
			}
			continue
		}
		e, ok := parseRawLine(line)
		if cur < 0 || !ok {
			continue
		}
		e.commit = cur
		if n, ok := names[e.path]; ok {
			e.path = n
		} else {
			names[e.path] = e.path
		}
		if e.blob.IsZero() && !e.old.IsZero() {
			deleted[e.old] = true
		}
		out = append(out, e)
	}
	endCommit()
	if err := cmd.Wait(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git diff-tree --raw: %s", msg)
	}
	return out, nil
}

// parseRawLine reads ":<mode> <mode> <id> <id> <status>\t<path>", or the
// combined form of a merge with one more colon, mode and id per parent. It
// returns false for malformed lines.
func parseRawLine(line []byte) (rawChange, bool) {
	n := 0
	for n < len(line) && line[n] == ':' {
		n++
	}
	tab := bytes.IndexByte(line, '\t')
	if n == 0 || tab < 0 {
		return rawChange{}, false
	}
	f := strings.Fields(string(line[n:tab]))
	// n+1 modes, n+1 ids, the status.
	if len(f) != 2*(n+1)+1 {
		return rawChange{}, false
	}
	mode, id := f[n], f[2*n+1]
	if !isHexID([]byte(id)) {
		return rawChange{}, false
	}
	e := rawChange{path: unquote(string(line[tab+1:])), submodule: mode == "160000"}
	if strings.Trim(id, "0") != "" {
		e.blob = plumbing.NewHash(id)
	}
	if old := f[n+1]; n == 1 && isHexID([]byte(old)) && strings.Trim(old, "0") != "" {
		e.old = plumbing.NewHash(old)
	}
	return e, true
}

// scanNewBlobs reads every indexed blob once with `git cat-file --batch`
// and scans it whole in the worker pool; mark is called for each blob whose
// commits must be diffed. Blobs that are too large, binary (without
// --binary) or Git LFS pointers are noted at each of their paths, as the
// diff would. With more than one job, two git processes read contiguous
// halves of the list: reading is as costly as scanning, and one process
// uses one core.
func (s *scanner) scanNewBlobs(ctx context.Context, bi *blobIndex, mark func(plumbing.Hash)) error {
	readers := 1
	if s.h.o.jobs > 1 && len(bi.order) >= 4096 {
		readers = 2
	}
	size := (len(bi.order) + readers - 1) / readers
	work := pool.New().WithMaxGoroutines(s.h.o.jobs)
	bufs := newBufList(s.h.o.jobs + readers)
	rp := pool.New().WithErrors().WithFirstError()
	for i := 0; i < len(bi.order); i += size {
		part := bi.order[i:min(i+size, len(bi.order))]
		rp.Go(func() error { return s.readBlobs(ctx, part, bi, mark, work, bufs) })
	}
	err := rp.Wait()
	work.Wait()
	return err
}

// readBlobs reads the blobs hs with one git process and hands each to the
// work pool.
func (s *scanner) readBlobs(ctx context.Context, hs []plumbing.Hash, bi *blobIndex, mark func(plumbing.Hash), p *pool.Pool, bufs bufList) error {
	var in strings.Builder
	for _, h := range hs {
		in.WriteString(h.String())
		in.WriteByte('\n')
	}
	cmd := s.gitCmd(ctx, "cat-file", "--batch")
	cmd.Stdin = strings.NewReader(in.String())
	var stderr bytes.Buffer
	cmd.Stderr = &limitedBuffer{b: &stderr, max: 4096}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start git: %w", err)
	}
	lineCap := 1 << 20
	if max := s.h.o.maxFileSize; max > 0 && max < int64(lineCap) {
		lineCap = int(max) + 1
	}
	r := bufio.NewReaderSize(stdout, 1<<20)
	var rerr error
	for ctx.Err() == nil {
		hdr, err := r.ReadString('\n')
		if err != nil {
			if !errors.Is(err, io.EOF) {
				rerr = err
			}
			break
		}
		// "<id> blob <size>" or "<id> missing".
		f := strings.Fields(hdr)
		if len(f) < 2 || !plumbing.IsHash(f[0]) {
			rerr = fmt.Errorf("git cat-file: unexpected line %q", strings.TrimSpace(hdr))
			break
		}
		h := plumbing.NewHash(f[0])
		if len(f) != 3 {
			mark(h) // missing: the diff pass reports it by name
			continue
		}
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || n < 0 {
			rerr = fmt.Errorf("git cat-file: unexpected line %q", strings.TrimSpace(hdr))
			break
		}
		if max := s.h.o.maxFileSize; max > 0 && n > max || f[1] != "blob" {
			if _, err := r.Discard(int(n) + 1); err != nil {
				rerr = err
				break
			}
			if f[1] == "blob" {
				s.noteBlob(bi, h, fmt.Sprintf("larger than --max-file-size (%d bytes)", n))
			}
			continue
		}
		data := bufs.get(int(n) + 1)
		if _, err := io.ReadFull(r, data); err != nil {
			rerr = err
			break
		}
		data = data[:n]
		p.Go(func() {
			defer bufs.put(data)
			switch {
			case !s.h.o.binary && isBinary(data):
				s.noteBlob(bi, h, "binary file; pass --binary to scan it")
			case isLFSBlob(data):
				s.noteBlob(bi, h, "Git LFS pointer: the file's content is kept in LFS storage, not in the repository")
			case len(data) >= lineCap && hasLongLine(data, lineCap), int64(len(data)) == s.h.o.maxFileSize:
				mark(h) // the diff notes the text it cuts
			case len(s.e.Scan(scan.Fragment{Origin: &scan.Origin{Source: scan.SourceGit}, Data: data})) > 0:
				mark(h)
			}
		})
	}
	if rerr != nil || ctx.Err() != nil {
		_ = cmd.Process.Kill()
	}
	werr := cmd.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	if rerr != nil {
		return fmt.Errorf("read git cat-file output: %w", rerr)
	}
	if werr != nil {
		return fmt.Errorf("git cat-file: %w: %s", werr, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// noteBlob records a skip at every path the blob appears at.
func (s *scanner) noteBlob(bi *blobIndex, h plumbing.Hash, reason string) {
	for _, r := range bi.refs[h] {
		if !r.renamed {
			s.skipOnce(r.path, reason)
		}
	}
}

// isLFSBlob reports whether a whole blob is a Git LFS pointer file. Every
// line of a pointer has one of the known prefixes, so a blob whose first
// line has none is rejected without splitting it into lines.
func isLFSBlob(data []byte) bool {
	first := false
	for _, p := range lfsLines {
		first = first || bytes.HasPrefix(data, p)
	}
	return first && isLFSPointer([]hunk{{Line: 1, Data: data}})
}

// hasLongLine reports whether data has a line of at least n bytes.
func hasLongLine(data []byte, n int) bool {
	for len(data) >= n {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return true
		}
		if i >= n-1 {
			return true
		}
		data = data[i+1:]
	}
	return false
}

// bufList recycles the buffers blobs are read into: at most jobs are being
// scanned and one read, and allocating (and zeroing) a fresh buffer per blob
// costs more than reading it.
type bufList chan []byte

func newBufList(n int) bufList { return make(bufList, n) }

// maxKept is the largest buffer kept for reuse; bigger blobs are rare and
// their buffers go back to the garbage collector.
const maxKept = 4 << 20

func (b bufList) get(n int) []byte {
	select {
	case buf := <-b:
		if cap(buf) >= n {
			return buf[:n]
		}
	default:
	}
	return make([]byte, n, max(n, 64<<10))
}

func (b bufList) put(buf []byte) {
	if cap(buf) > maxKept {
		return
	}
	select {
	case b <- buf:
	default:
	}
}
