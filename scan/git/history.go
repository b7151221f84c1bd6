package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-billy/v5"
	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/content"
)

// History scans the commits of a repository: all of history by default, one
// branch, or a range for CI.
type History struct {
	path string
	o    options
	// found is what the last Scan found, for Enrich to attribute.
	found *scanned
	// CacheHits is how many blobs the last Scan took from the cache
	// instead of reading them.
	CacheHits int64
}

var _ scan.Source = (*History)(nil)

type options struct {
	jobs        int
	maxFileSize int64
	binary      bool
	branch      string
	rangeSpec   string
	sinceCommit string
	since       time.Time
	until       time.Time
	gitBinary   string // "" when the git binary is not to be used
	useGitBin   bool
	// cacheDir, when set, holds the blob cache: the blob pass skips the
	// blobs an earlier scan with the same rules and settings found
	// nothing in (see BlobCache).
	cacheDir string
	cache    *BlobCache
	// diffAll diffs every commit instead of only those the blob pass
	// selects: the reference the blob pass is tested against.
	diffAll bool
	// paths limits the staged scan to these paths (relative to the
	// repository root); empty means every staged file.
	paths []string
}

// Option configures a History or a Staged source.
type Option func(*options)

// WithCache keeps a blob cache in dir (see BlobCache): the scan skips the
// blobs an earlier scan with the same rules and settings found nothing in,
// and adds the ones it learns. It applies when the git binary reads the
// history (the go-git fallback diffs every commit).
func WithCache(dir string) Option { return func(o *options) { o.cacheDir = dir } }

// WithPaths limits a staged scan to the named paths, relative to the
// repository root, as a pre-commit hook is handed them.
func WithPaths(paths []string) Option { return func(o *options) { o.paths = paths } }

// WithJobs sets how many workers scan at once.
func WithJobs(n int) Option { return func(o *options) { o.jobs = n } }

// WithMaxFileSize skips files and added text larger than n bytes (0: no limit).
func WithMaxFileSize(n int64) Option { return func(o *options) { o.maxFileSize = n } }

// WithBinary scans binary blobs too instead of skipping them.
func WithBinary(on bool) Option { return func(o *options) { o.binary = on } }

// WithBranch scans only the commits reachable from ref (a branch, tag,
// remote-tracking branch or commit).
func WithBranch(ref string) Option { return func(o *options) { o.branch = ref } }

// WithRange scans only the commits of a range: "A..B" or "A...B" (reachable
// from B, not from A), "C^!" or "C" (commit C alone), the all-zero id as A
// (what B has that no other ref has), and "R^..R" for a root commit R.
func WithRange(spec string) Option { return func(o *options) { o.rangeSpec = spec } }

// WithSinceCommit scans only the commits after rev, up to the branch (or
// HEAD): the same as the range rev..HEAD.
func WithSinceCommit(rev string) Option { return func(o *options) { o.sinceCommit = rev } }

// WithDates keeps only commits committed within [since, until]; a zero time
// leaves that side open.
func WithDates(since, until time.Time) Option {
	return func(o *options) { o.since, o.until = since, until }
}

// WithGitBinary sets the git executable used to stream diffs; "" makes the
// source read everything through go-git.
func WithGitBinary(path string) Option {
	return func(o *options) { o.gitBinary, o.useGitBin = path, path != "" }
}

func newOptions(opts []Option) options {
	o := options{jobs: 2, maxFileSize: 50 << 20}
	if p, err := exec.LookPath("git"); err == nil {
		o.gitBinary, o.useGitBin = p, true
	}
	for _, f := range opts {
		f(&o)
	}
	if o.jobs < 1 {
		o.jobs = 1
	}
	return o
}

// New returns a source for the repository at path (a work tree, any
// directory inside one, or a bare repository).
func New(path string, opts ...Option) *History {
	return &History{path: path, o: newOptions(opts)}
}

func (h *History) String() string { return h.path }

// openRepo opens the repository at or above path. Pack files stay open for
// the whole scan: go-git would otherwise reopen a pack for every object.
// The caller closes the returned storage.
func openRepo(path string) (*gogit.Repository, func(), error) {
	r, err := gogit.PlainOpenWithOptions(path, &gogit.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		// A directory inside a work tree.
		r, err = gogit.PlainOpenWithOptions(path, &gogit.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	}
	if err != nil {
		return nil, nil, fmt.Errorf("open git repository %s: %w", path, err)
	}
	fsys, ok := r.Storer.(interface{ Filesystem() billy.Filesystem })
	if !ok {
		return r, func() {}, nil
	}
	st := filesystem.NewStorageWithOptions(fsys.Filesystem(), cache.NewObjectLRU(16*cache.MiByte), filesystem.Options{KeepDescriptors: true})
	var wt billy.Filesystem
	if w, err := r.Worktree(); err == nil {
		wt = w.Filesystem
	}
	kept, err := gogit.Open(st, wt)
	if err != nil {
		return r, func() {}, nil
	}
	return kept, func() { _ = st.Close() }, nil
}

// commitInfo is a commit to scan and its commit time, for ordering.
type commitInfo struct {
	hash  plumbing.Hash
	tree  plumbing.Hash
	when  int64 // committer time, Unix seconds
	merge bool  // more than one parent
	// parents, when the listing read them (counting carriers from the
	// raw diffs needs them).
	parents []plumbing.Hash
}

// Scan reads the selected commits, scans the text each one added, and
// reports one finding per secret and path, with the commit that introduced
// it. Enrich then adds that commit's author and date and where else the
// secret lives; the pipeline runs it after the sources.
func (h *History) Scan(ctx context.Context, e *scan.Engine, out *scan.Collector) error {
	repo, closeRepo, err := openRepo(h.path)
	if err != nil {
		return err
	}
	defer closeRepo()
	s := &scanner{h: h, repo: repo, e: e, st: content.New(e), out: out, a: newAttributor(out)}
	if shallow, err := repo.Storer.Shallow(); err == nil && len(shallow) > 0 {
		out.Skip(h.path, fmt.Sprintf("shallow clone: history behind %d boundary commit(s) is not in the repository and was not scanned (git fetch --unshallow to scan it)", len(shallow)))
	}
	tips, excl, err := s.selectTips()
	if err != nil {
		return err
	}
	if len(tips) == 0 {
		return nil // an empty repository, or every ref was broken
	}
	commits := s.listCommits(ctx, tips, excl)
	s.a.setTimes(commits)
	for range commits {
		out.Input()
	}
	if s.h.o.useGitBin {
		done := s.openCache()
		s.scanCLI(ctx, commits)
		if ctx.Err() == nil {
			done()
		}
		h.CacheHits = s.cached.Load()
	} else {
		s.scanGoGit(ctx, commits)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	h.found = s.a.found(commits)
	h.found.raw = s.raw
	out.Hold(-int64(len(h.found.findings)))
	out.Add(h.found.findings...)
	return nil
}

// scanner holds the state of one History scan.
type scanner struct {
	h    *History
	repo *gogit.Repository
	// repoMu serialises go-git reads; its object caches are not safe for
	// concurrent use.
	repoMu sync.Mutex
	e      *scan.Engine
	// st reads a whole blob as the content stage reads a file, so that
	// extractors (notebooks, …) see it too.
	st  *content.Stage
	out *scan.Collector
	a   *attributor

	blobMu sync.Mutex
	blobs  map[plumbing.Hash][]event
	// raw holds every path each scanned commit changed, from the blob pass
	// (nil when it did not run or git failed on part of the history).
	raw []rawChange
	// staged is set for the staged-changes scan.
	staged bool

	noteMu sync.Mutex
	noted  map[string]bool

	// cached counts the blobs the blob pass took from the cache.
	cached atomic.Int64
}

// openCache loads the blob cache when the scan has one, and returns what
// saves it. A cache that cannot be read is a skip note and starts empty; the
// scan never fails for it.
func (s *scanner) openCache() (save func()) {
	o := &s.h.o
	if o.cacheDir == "" {
		return func() {}
	}
	key := cacheKey(s.e, o)
	c, err := OpenBlobCache(o.cacheDir, key)
	if err != nil {
		s.out.Skip(o.cacheDir, fmt.Sprintf("blob cache not used: %v; every blob is read", err))
	}
	o.cache = c
	return func() {
		if c == nil {
			return
		}
		if err := c.Save(key); err != nil {
			s.out.Skip(o.cacheDir, fmt.Sprintf("blob cache not saved: %v", err))
		}
	}
}

// skipOnce records a skip once per input and reason.
func (s *scanner) skipOnce(input, reason string) {
	s.noteMu.Lock()
	if s.noted == nil {
		s.noted = map[string]bool{}
	}
	k := input + "\x00" + reason
	dup := s.noted[k]
	s.noted[k] = true
	s.noteMu.Unlock()
	if !dup {
		s.out.Skip(input, reason)
	}
}

// selectTips turns the options into the commits to start from and the
// commits whose history is excluded.
func (s *scanner) selectTips() (tips, excl []plumbing.Hash, err error) {
	o := s.h.o
	resolve := func(what, rev string) (plumbing.Hash, error) {
		s.repoMu.Lock()
		defer s.repoMu.Unlock()
		hp, err := s.repo.ResolveRevision(plumbing.Revision(rev))
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("%s: resolve %q: %w", what, rev, err)
		}
		return *hp, nil
	}
	switch {
	case o.rangeSpec != "":
		return s.rangeTips(o.rangeSpec, resolve)
	case o.sinceCommit != "":
		ha, err := resolve("--since-commit", o.sinceCommit)
		if err != nil {
			return nil, nil, err
		}
		tip := o.branch
		if tip == "" {
			tip = "HEAD"
		}
		hb, err := resolve("--since-commit", tip)
		if err != nil {
			return nil, nil, err
		}
		return []plumbing.Hash{hb}, []plumbing.Hash{ha}, nil
	case o.branch != "":
		hb, err := resolve("--branch", o.branch)
		if err != nil {
			return nil, nil, err
		}
		return []plumbing.Hash{hb}, nil, nil
	}
	return s.allRefTips(), nil, nil
}

// rangeTips reads the forms of --range that CI systems pass:
//
//	A..B, A...B  the commits reachable from B and not from A (A empty: HEAD)
//	C^!, C       commit C alone
//	0{40}..B     a new branch (GitHub's "before" on a first push): the
//	             commits of B that no other ref reaches
//	R^..R        R a root commit: R itself, as git means it
func (s *scanner) rangeTips(spec string, resolve func(what, rev string) (plumbing.Hash, error)) (tips, excl []plumbing.Hash, err error) {
	a, b, ok := strings.Cut(spec, "..")
	if !ok {
		c, err := resolve("--range", strings.TrimSuffix(spec, "^!"))
		if err != nil {
			return nil, nil, err
		}
		parents, err := s.parents(c)
		if err != nil {
			return nil, nil, fmt.Errorf("--range %q: %w", spec, err)
		}
		return []plumbing.Hash{c}, parents, nil
	}
	b = strings.TrimPrefix(b, ".") // A...B: what the merge request adds, read as A..B
	if b == "" {
		b = "HEAD"
	}
	if a == "" {
		a = "HEAD"
	}
	hb, err := resolve("--range", b)
	if err != nil {
		return nil, nil, err
	}
	if isZeroRev(a) {
		// Exclude what every other ref reaches; refs at B itself are the
		// branch being pushed.
		for _, t := range s.allRefTips() {
			if t != hb {
				excl = append(excl, t)
			}
		}
		return []plumbing.Hash{hb}, excl, nil
	}
	ha, err := resolve("--range", a)
	if err != nil {
		// The parent of a root commit does not exist: the range is the root.
		if base, ok := parentSpecOf(a); ok {
			if hr, rerr := resolve("--range", base); rerr == nil {
				if ps, perr := s.parents(hr); perr == nil && len(ps) == 0 {
					return []plumbing.Hash{hb}, nil, nil
				}
			}
		}
		return nil, nil, err
	}
	return []plumbing.Hash{hb}, []plumbing.Hash{ha}, nil
}

// isZeroRev reports whether rev is git's all-zero object id, which CI
// systems pass as "before" when a branch is new.
func isZeroRev(rev string) bool {
	return (len(rev) == 40 || len(rev) == 64) && strings.Trim(rev, "0") == ""
}

// parentSpecOf returns R for "R^", "R^1" and "R~1".
func parentSpecOf(rev string) (string, bool) {
	for _, suf := range []string{"^1", "~1", "^", "~"} {
		if base, ok := strings.CutSuffix(rev, suf); ok && base != "" {
			return base, true
		}
	}
	return "", false
}

// parents returns the parents of commit c.
func (s *scanner) parents(c plumbing.Hash) ([]plumbing.Hash, error) {
	s.repoMu.Lock()
	defer s.repoMu.Unlock()
	obj, err := s.repo.CommitObject(c)
	if err != nil {
		return nil, fmt.Errorf("read commit %s: %w", c, err)
	}
	return obj.ParentHashes, nil
}

// allRefTips returns the commits every ref points at: branches, tags,
// remote-tracking branches, the stash and a detached HEAD. A ref that cannot
// be read or resolved is reported by name and left out.
func (s *scanner) allRefTips() []plumbing.Hash {
	s.repoMu.Lock()
	defer s.repoMu.Unlock()
	seen := map[plumbing.Hash]bool{}
	var tips []plumbing.Hash
	add := func(name string, h plumbing.Hash) {
		c, err := s.peel(h)
		if err != nil {
			s.out.Error("ref "+name, fmt.Errorf("resolve ref %s (%s): %w", name, h, err))
			return
		}
		if c != plumbing.ZeroHash && !seen[c] {
			seen[c] = true
			tips = append(tips, c)
		}
	}
	if head, err := s.repo.Head(); err == nil {
		add("HEAD", head.Hash())
	}
	for _, name := range s.refNames() {
		ref, err := s.repo.Storer.Reference(plumbing.ReferenceName(name))
		if err != nil {
			s.out.Error("ref "+name, fmt.Errorf("read ref %s: %w", name, err))
			continue
		}
		if ref.Type() != plumbing.HashReference {
			continue
		}
		add(name, ref.Hash())
	}
	// Older stash entries live only in the stash's reflog.
	for i, h := range stashEntries(gitDirOf(s.repo)) {
		add(fmt.Sprintf("stash@{%d}", i), h)
	}
	return tips
}

// stashEntries reads the commits of every stash entry from the reflog of
// refs/stash, newest first (stash@{0} is refs/stash itself). A missing or
// unreadable reflog yields none: most repositories have no stash.
func stashEntries(gitDir string) []plumbing.Hash {
	data, err := os.ReadFile(filepath.Join(gitDir, "logs", "refs", "stash"))
	if err != nil {
		return nil
	}
	var out []plumbing.Hash
	for _, line := range strings.Split(string(data), "\n") {
		// <old> <new> <committer> <time> <tz>\t<message>
		f := strings.Fields(line)
		if len(f) < 2 || !plumbing.IsHash(f[1]) {
			continue
		}
		out = append(out, plumbing.NewHash(f[1]))
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// refNames lists the repository's refs. go-git's iterator stops at the
// first unreadable ref file, so loose refs are listed from the directory
// and each one read on its own; packed refs come through go-git.
func (s *scanner) refNames() []string {
	names := map[string]bool{}
	if it, err := s.repo.Storer.IterReferences(); err == nil {
		_ = it.ForEach(func(r *plumbing.Reference) error {
			names[r.Name().String()] = true
			return nil
		})
	} else {
		s.out.Error("refs", fmt.Errorf("list refs: %w", err))
	}
	for _, n := range looseRefNames(gitDirOf(s.repo)) {
		names[n] = true
	}
	var out []string
	for n := range names {
		if n == "HEAD" || strings.HasPrefix(n, "refs/replace/") || !strings.HasPrefix(n, "refs/") {
			continue
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// peel follows annotated tags to the commit they name; it returns the zero
// hash for tags of trees or blobs.
func (s *scanner) peel(h plumbing.Hash) (plumbing.Hash, error) {
	for i := 0; i < 10; i++ {
		obj, err := s.repo.Storer.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return h, nil
		case plumbing.TagObject:
			t, err := object.DecodeTag(s.repo.Storer, obj)
			if err != nil {
				return plumbing.ZeroHash, err
			}
			h = t.Target
		default:
			return plumbing.ZeroHash, nil
		}
	}
	return plumbing.ZeroHash, errors.New("tag chain too long")
}

// listCommits returns the commits to scan, newest first. It asks git when it
// can (fast); when git fails on a damaged repository, or is not used, it
// walks the graph with go-git and reports each commit it cannot read.
func (s *scanner) listCommits(ctx context.Context, tips, excl []plumbing.Hash) []commitInfo {
	if s.h.o.useGitBin {
		if cs, err := s.revList(ctx, tips, excl); err == nil {
			return cs
		}
	}
	return s.walkCommits(tips, excl)
}

func (s *scanner) revList(ctx context.Context, tips, excl []plumbing.Hash) ([]commitInfo, error) {
	args := []string{"rev-list", "--stdin", "--format=%ct %T %P"}
	if !s.h.o.since.IsZero() {
		args = append(args, "--since="+strconv.FormatInt(s.h.o.since.Unix(), 10))
	}
	if !s.h.o.until.IsZero() {
		args = append(args, "--until="+strconv.FormatInt(s.h.o.until.Unix(), 10))
	}
	var in strings.Builder
	for _, t := range tips {
		in.WriteString(t.String() + "\n")
	}
	for _, x := range excl {
		in.WriteString("^" + x.String() + "\n")
	}
	cmd := s.gitCmd(ctx, args...)
	cmd.Stdin = strings.NewReader(in.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git rev-list: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	// "commit <id>" lines, each followed by "<time> <tree> <parents>".
	var cs []commitInfo
	lines := strings.Split(string(outb), "\n")
	for i := 0; i+1 < len(lines); i++ {
		id, ok := strings.CutPrefix(lines[i], "commit ")
		if !ok || !isHexID([]byte(id)) {
			continue
		}
		f := strings.Fields(lines[i+1])
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		ps := make([]plumbing.Hash, 0, len(f)-2)
		for _, p := range f[2:] {
			ps = append(ps, plumbing.NewHash(p))
		}
		cs = append(cs, commitInfo{hash: plumbing.NewHash(id), tree: plumbing.NewHash(f[1]), when: n, merge: len(f) > 3, parents: ps})
		i++
	}
	return cs, nil
}

// walkCommits walks the commit graph with go-git, newest first by commit
// time, tolerating commits it cannot read.
func (s *scanner) walkCommits(tips, excl []plumbing.Hash) []commitInfo {
	s.repoMu.Lock()
	defer s.repoMu.Unlock()
	excluded := map[plumbing.Hash]bool{}
	// Mark everything reachable from the excluded commits.
	stack := append([]plumbing.Hash(nil), excl...)
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if excluded[h] {
			continue
		}
		excluded[h] = true
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			continue
		}
		stack = append(stack, c.ParentHashes...)
	}
	seen := map[plumbing.Hash]bool{}
	var cs []commitInfo
	stack = append(stack[:0], tips...)
	for len(stack) > 0 {
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] || excluded[h] {
			continue
		}
		seen[h] = true
		c, err := object.GetCommit(s.repo.Storer, h)
		if err != nil {
			if !isShallowBoundaryParent(s, h) {
				s.out.Error("commit "+h.String(), fmt.Errorf("read commit %s: %w", h, err))
			}
			continue
		}
		stack = append(stack, c.ParentHashes...)
		if !s.h.o.since.IsZero() && c.Committer.When.Before(s.h.o.since) {
			continue
		}
		if !s.h.o.until.IsZero() && c.Committer.When.After(s.h.o.until) {
			continue
		}
		cs = append(cs, commitInfo{hash: h, tree: c.TreeHash, when: c.Committer.When.Unix(), merge: len(c.ParentHashes) > 1, parents: c.ParentHashes})
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].when > cs[j].when })
	return cs
}

// isShallowBoundaryParent reports whether h is missing because the clone is
// shallow (the parent of a boundary commit), which is not an error.
func isShallowBoundaryParent(s *scanner, h plumbing.Hash) bool {
	sh, err := s.repo.Storer.Shallow()
	if err != nil || len(sh) == 0 {
		return false
	}
	for _, b := range sh {
		c, err := object.GetCommit(s.repo.Storer, b)
		if err != nil {
			continue
		}
		for _, p := range c.ParentHashes {
			if p == h {
				return true
			}
		}
	}
	return false
}

// gitCmd prepares a git command in the repository.
func (s *scanner) gitCmd(ctx context.Context, args ...string) *exec.Cmd {
	full := append([]string{"-C", s.h.path, "-c", "core.quotePath=true"}, args...)
	cmd := exec.CommandContext(ctx, s.h.o.gitBinary, full...)
	var env []string
	for _, kv := range os.Environ() {
		// Inside a git hook these point at the hook's repository; the path
		// we were given decides. The staged scan keeps GIT_INDEX_FILE: a
		// hook of `git commit -a` or `git commit PATH` sees a temporary index.
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GIT_DIR", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR":
			continue
		case "GIT_INDEX_FILE":
			if !s.staged {
				continue
			}
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_PAGER=cat")
	return cmd
}
