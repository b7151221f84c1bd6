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

// candidates returns the commits to diff: those with a new blob that holds a
// finding, that could not be read, or that needs the diff's own note (a line
// over the line cap). ok is false when the pass could not run; then every
// commit must be diffed.
//
// The commits are split into jobs contiguous slices (so each git process
// reuses the trees it just read). For each slice a raw tree diff lists the
// new blobs and, as it goes, feeds the ids no other slice has claimed to a
// `git cat-file --batch` process, whose output the worker pool scans:
// reading runs beside listing, and each process uses its own core.
func (s *scanner) candidates(ctx context.Context, commits []commitInfo) (_ []commitInfo, ok bool) {
	parts := s.h.o.jobs
	if len(commits) < splitAt {
		parts = 1
	}
	size := max((len(commits)+parts-1)/parts, 1)
	bp := &blobPass{
		s:       s,
		claimed: map[plumbing.Hash]string{},
		found:   map[plumbing.Hash]bool{},
		notes:   map[plumbing.Hash]string{},
		work:    pool.New().WithMaxGoroutines(s.h.o.jobs),
		bufs:    newBufList(s.h.o.jobs + parts),
		lineCap: 1 << 20,
	}
	if max := s.h.o.maxFileSize; max > 0 && max < int64(bp.lineCap) {
		bp.lineCap = int(max) + 1
	}
	type result struct {
		changes []rawChange
		rawErr  error
	}
	var results []result
	for i := 0; i < len(commits); i += size {
		results = append(results, result{})
	}
	g := pool.New().WithErrors()
	for k := range results {
		from := k * size
		part := commits[from:min(from+size, len(commits))]
		g.Go(func() error {
			cs, rawErr, err := bp.runPart(ctx, part, from)
			results[k] = result{cs, rawErr}
			return err
		})
	}
	err := g.Wait()
	bp.work.Wait()
	if err != nil || ctx.Err() != nil {
		return nil, false
	}
	flag := make([]bool, len(commits))
	var all []rawChange
	failed := false
	for k, r := range results {
		if r.rawErr != nil {
			// git could not list this slice: the diff pass reads its
			// commits and reports what is broken.
			failed = true
			for i := k * size; i < min((k+1)*size, len(commits)); i++ {
				flag[i] = true
			}
			continue
		}
		all = append(all, r.changes...)
	}
	for _, e := range all {
		if e.blob.IsZero() || s.e.SkipPath(e.path) {
			continue
		}
		switch {
		case e.submodule:
			s.skipOnce(e.path, "submodule: its contents live in another repository and were not scanned")
		case bp.found[e.blob]:
			flag[e.commit] = true
		case bp.notes[e.blob] != "" && !e.renamed:
			s.skipOnce(e.path, bp.notes[e.blob])
		}
	}
	if !failed {
		s.raw = all
	}
	var out []commitInfo
	for i, c := range commits {
		if flag[i] {
			out = append(out, c)
		}
	}
	return out, true
}

// splitAt is the fewest commits the blob pass splits into slices: below it
// one process of each kind is quicker to start than two.
var splitAt = 256

// blobPass is the state the slices of one blob pass share.
type blobPass struct {
	s       *scanner
	mu      sync.Mutex
	claimed map[plumbing.Hash]string // blobs a slice has sent to be read, and the first path named for each
	found   map[plumbing.Hash]bool   // blobs whose commits must be diffed
	notes   map[plumbing.Hash]string // skip notes for the paths of a blob
	work    *pool.Pool
	bufs    bufList
	lineCap int
}

func (bp *blobPass) claim(h plumbing.Hash, path string) bool {
	bp.mu.Lock()
	defer bp.mu.Unlock()
	if p, ok := bp.claimed[h]; ok {
		// The same bytes under a name an extractor reads (a notebook) are
		// scanned as that kind when the blob has not been read yet.
		if bp.s.st.Extractor(p, nil) == nil && bp.s.st.Extractor(path, nil) != nil {
			bp.claimed[h] = path
		}
		return false
	}
	bp.claimed[h] = path
	return true
}

// path is the path the blob was first listed at; the content stage picks
// an extractor by it.
func (bp *blobPass) path(h plumbing.Hash) string {
	bp.mu.Lock()
	defer bp.mu.Unlock()
	return bp.claimed[h]
}

func (bp *blobPass) mark(h plumbing.Hash) {
	bp.mu.Lock()
	bp.found[h] = true
	bp.mu.Unlock()
}

// The notes a blob's paths take when it is not scanned.
const (
	binaryNote = "binary file; pass --binary to scan it"
	lfsNote    = "Git LFS pointer: the file's content is kept in LFS storage, not in the repository"
)

func largeNote(n int64) string { return fmt.Sprintf("larger than --max-file-size (%d bytes)", n) }

// fromCache applies what an earlier scan learned of a blob, instead of
// reading it: a clean blob needs nothing, the others their note.
func (bp *blobPass) fromCache(h plumbing.Hash, v cached) {
	bp.s.cached.Add(1)
	switch v.state {
	case blobBinary:
		bp.note(h, binaryNote)
	case blobLFS:
		bp.note(h, lfsNote)
	case blobLarge:
		bp.note(h, largeNote(v.size))
	}
}

func (bp *blobPass) note(h plumbing.Hash, reason string) {
	bp.mu.Lock()
	bp.notes[h] = reason
	bp.mu.Unlock()
}

// runPart lists the new blobs of part (whose first commit has index base in
// the scanned list) with `git diff-tree --stdin -r --raw -c --no-renames`
// and has those no other slice claimed read and scanned. rawErr is git's
// failure on the listing; err a failure of reading blobs.
func (bp *blobPass) runPart(ctx context.Context, part []commitInfo, base int) (changes []rawChange, rawErr, err error) {
	s := bp.s
	cat := s.gitCmd(ctx, "cat-file", "--batch")
	var catErr bytes.Buffer
	cat.Stderr = &limitedBuffer{b: &catErr, max: 4096}
	stdin, err := cat.StdinPipe()
	if err != nil {
		return nil, nil, err
	}
	stdout, err := cat.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cat.Start(); err != nil {
		return nil, nil, fmt.Errorf("start git: %w", err)
	}
	reader := pool.New().WithErrors()
	reader.Go(func() error {
		err := bp.readBlobs(ctx, stdout)
		if err != nil {
			_ = cat.Process.Kill() // unblocks the listing's writes
		}
		return err
	})
	w := bufio.NewWriterSize(stdin, 64<<10)
	var werr error
	changes, rawErr = s.rawDiff(ctx, part, base, func(e *rawChange) {
		if werr != nil || e.blob.IsZero() || e.submodule || s.e.SkipPath(e.path) || !bp.claim(e.blob, e.path) {
			return
		}
		if v, ok := s.h.o.cache.lookup(e.blob); ok {
			bp.fromCache(e.blob, v)
			return
		}
		_, werr = w.WriteString(e.blob.String() + "\n")
	})
	if werr == nil {
		werr = w.Flush()
	}
	_ = stdin.Close()
	rerr := reader.Wait()
	waitErr := cat.Wait()
	switch {
	case ctx.Err() != nil:
		return changes, rawErr, ctx.Err()
	case rerr != nil:
		return changes, rawErr, fmt.Errorf("read git cat-file output: %w", rerr)
	case waitErr != nil:
		return changes, rawErr, fmt.Errorf("git cat-file: %w: %s", waitErr, strings.TrimSpace(catErr.String()))
	case werr != nil:
		return changes, rawErr, fmt.Errorf("write to git cat-file: %w", werr)
	}
	return changes, rawErr, nil
}

// rawDiff runs one diff-tree process over part, whose first commit has
// index base in the scanned list, calling each for every change as it is
// read.
func (s *scanner) rawDiff(ctx context.Context, part []commitInfo, base int, each func(*rawChange)) ([]rawChange, error) {
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
	named := 0 // commits git printed; one that changed nothing is not
	defer func() { s.out.Did(int64(len(part) - named)) }()
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
				s.out.Did(1)
				named++
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
		each(&out[len(out)-1])
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

// rawChange is one line of a raw diff: a path whose blob a commit changed.
type rawChange struct {
	commit    int32
	path      string
	blob      plumbing.Hash // the zero hash for a deletion
	old       plumbing.Hash // for a plain diff, the blob the parent had
	submodule bool          // a gitlink: blob is a commit of another repository
	renamed   bool          // the commit deleted the same blob at another path
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

// readBlobs reads `git cat-file --batch` output and hands each blob to the
// worker pool, which scans it whole. Blobs that are too large, binary
// (without --binary) or Git LFS pointers get the note their paths take, as
// the diff would give them.
func (bp *blobPass) readBlobs(ctx context.Context, stdout io.Reader) error {
	s := bp.s
	r := bufio.NewReaderSize(stdout, 1<<20)
	for ctx.Err() == nil {
		hdr, err := r.ReadString('\n')
		if err != nil {
			if errors.Is(err, io.EOF) && hdr == "" {
				return nil
			}
			return err
		}
		// "<id> blob <size>" or "<id> missing".
		f := strings.Fields(hdr)
		if len(f) < 2 || !plumbing.IsHash(f[0]) {
			return fmt.Errorf("unexpected line %q", strings.TrimSpace(hdr))
		}
		h := plumbing.NewHash(f[0])
		if len(f) != 3 {
			bp.mark(h) // missing: the diff pass reports it by name
			continue
		}
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("unexpected line %q", strings.TrimSpace(hdr))
		}
		if max := s.h.o.maxFileSize; max > 0 && n > max || f[1] != "blob" {
			if _, err := r.Discard(int(n) + 1); err != nil {
				return err
			}
			if f[1] == "blob" {
				bp.note(h, largeNote(n))
				s.h.o.cache.add(h, cached{state: blobLarge, size: n})
			}
			continue
		}
		data := bp.bufs.get(int(n) + 1)
		if _, err := io.ReadFull(r, data); err != nil {
			return err
		}
		data = data[:n]
		bp.work.Go(func() {
			defer bp.bufs.put(data)
			switch {
			case !s.h.o.binary && isBinary(data):
				bp.note(h, binaryNote)
				s.h.o.cache.add(h, cached{state: blobBinary})
			case isLFSBlob(data):
				bp.note(h, lfsNote)
				s.h.o.cache.add(h, cached{state: blobLFS})
			case len(data) >= bp.lineCap && hasLongLine(data, bp.lineCap), int64(len(data)) == s.h.o.maxFileSize:
				bp.mark(h) // the diff notes the text it cuts
			case len(s.st.Text(scan.Origin{Source: scan.SourceGit, Path: bp.path(h)}, data)) > 0:
				bp.mark(h)
			default:
				s.h.o.cache.add(h, cached{state: blobClean})
			}
		})
	}
	return ctx.Err()
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
