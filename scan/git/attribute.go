package git

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gogit "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/scan"
)

// findingKey identifies one secret at one path: the finding a person acts on.
type findingKey struct{ rule, path, secret string }

// attributor keeps, for each secret at each path, the finding from the
// earliest commit that added it.
type attributor struct {
	mu   sync.Mutex
	when map[string]int64 // commit -> commit time
	best map[findingKey]scan.Finding
	// out, when set, counts each new secret at a path as it is found
	// (Collector.Hold), for the progress line; Scan adds them at its end.
	out *scan.Collector
}

func newAttributor(out *scan.Collector) *attributor {
	return &attributor{best: map[findingKey]scan.Finding{}, out: out}
}

// setTimes tells the attributor each commit's time.
func (a *attributor) setTimes(cs []commitInfo) {
	a.when = make(map[string]int64, len(cs))
	for _, c := range cs {
		a.when[c.hash.String()] = c.when
	}
}

// earlier orders candidate findings: older commit first, then commit id,
// then position, so the result does not depend on scheduling.
func (a *attributor) earlier(x, y *scan.Finding) bool {
	tx, ty := a.when[x.Commit], a.when[y.Commit]
	switch {
	case tx != ty:
		return tx < ty
	case x.Commit != y.Commit:
		return x.Commit < y.Commit
	case x.Line != y.Line:
		return x.Line < y.Line
	}
	return x.Column < y.Column
}

func (a *attributor) add(fs []scan.Finding) {
	if len(fs) == 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, f := range fs {
		k := findingKey{f.RuleID, f.Path, f.Secret}
		old, ok := a.best[k]
		if !ok && a.out != nil {
			a.out.Hold(1)
		}
		if !ok || a.earlier(&f, &old) {
			a.best[k] = f
		}
	}
}

// scanned is what one History scan found, kept for Enrich.
type scanned struct {
	findings []scan.Finding
	keys     map[findingKey]string // -> commit
	commits  []commitInfo
	// raw is the blob pass's raw diffs, from which carriers are counted
	// without reading every commit's tree (nil when it did not run).
	raw []rawChange
}

// found returns the earliest finding of each secret at each path, sorted.
func (a *attributor) found(commits []commitInfo) *scanned {
	r := &scanned{keys: make(map[findingKey]string, len(a.best)), commits: commits}
	for k, f := range a.best {
		r.findings = append(r.findings, f)
		r.keys[k] = f.Commit
	}
	scan.SortFindings(r.findings)
	return r
}

var _ interface {
	Enrich(context.Context, []scan.Finding, *scan.Collector) error
} = (*History)(nil)

// Enrich fills in, on the findings of the last Scan among fs, who committed
// each and when, how many scanned commits and paths still carry the secret,
// and whether HEAD has it. Other findings are left alone. Commits it cannot
// read are input errors in out.
func (h *History) Enrich(_ context.Context, fs []scan.Finding, out *scan.Collector) error {
	found := h.found
	if found == nil {
		return nil
	}
	h.found = nil
	var idx []int
	for i := range fs {
		f := &fs[i]
		if c, ok := found.keys[findingKey{f.RuleID, f.Path, f.Secret}]; ok && c == f.Commit && f.Source == scan.SourceGit {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	repo, closeRepo, err := openRepo(h.path)
	if err != nil {
		return err
	}
	defer closeRepo()
	mine := make([]scan.Finding, len(idx))
	for j, i := range idx {
		mine[j] = fs[i]
	}
	s := &scanner{h: h, repo: repo, out: out, raw: found.raw}
	s.attribute(mine, found.commits)
	for j, i := range idx {
		fs[i] = mine[j]
	}
	return nil
}

// attribute fills in who committed each finding and when, how many scanned
// commits and paths still carry the secret, and whether HEAD has it.
func (s *scanner) attribute(out []scan.Finding, commits []commitInfo) {
	if len(out) == 0 {
		return
	}
	s.repoMu.Lock()
	defer s.repoMu.Unlock()
	meta := map[string]*object.Commit{}
	paths := map[string]map[string]bool{} // rule+secret -> paths
	for i := range out {
		f := &out[i]
		c, ok := meta[f.Commit]
		if !ok {
			var err error
			c, err = object.GetCommit(s.repo.Storer, plumbing.NewHash(f.Commit))
			if err != nil {
				s.out.Error("commit "+f.Commit, fmt.Errorf("read commit %s for attribution: %w", f.Commit, err))
			}
			meta[f.Commit] = c
		}
		if c != nil {
			f.Author, f.Email = c.Author.Name, c.Author.Email
			f.Date = c.Author.When.UTC().Format(time.RFC3339)
			f.CommitTitle = summary(c.Message)
		}
		k := f.RuleID + "\x00" + f.Secret
		if paths[k] == nil {
			paths[k] = map[string]bool{}
		}
		paths[k][f.Path] = true
	}
	for i := range out {
		out[i].Paths = len(paths[out[i].RuleID+"\x00"+out[i].Secret])
	}
	t := newTreeResolver(s, s.repo)
	s.countCarriers(out, commits)
	if head, err := s.repo.Head(); err == nil {
		if c, err := object.GetCommit(s.repo.Storer, head.Hash()); err == nil {
			var moved []int
			for i := range out {
				in := t.carries(c.TreeHash, &out[i])
				out[i].InHead = &in
				if !in && !strings.Contains(out[i].Secret, "\n") {
					moved = append(moved, i)
				}
			}
			t.elsewhereInHead(c.TreeHash, out, moved)
		}
	}
}

// elsewhereInHead marks findings whose secret HEAD still holds at another
// path (the file was renamed or copied). git grep finds the candidate files;
// the patterns go through stdin, never the command line.
func (t *treeResolver) elsewhereInHead(tree plumbing.Hash, fs []scan.Finding, idx []int) {
	s := t.s
	if len(idx) == 0 || !s.h.o.useGitBin {
		return
	}
	var pats strings.Builder
	for _, i := range idx {
		pats.WriteString(fs[i].Secret + "\n")
	}
	cmd := s.gitCmd(context.Background(), "grep", "-F", "-l", "-z", "-I", "--no-color", "-f", "-", tree.String(), "--")
	cmd.Stdin = strings.NewReader(pats.String())
	outb, err := cmd.Output()
	if err != nil {
		return // exit 1: no match; anything else: leave the path answer
	}
	prefix := tree.String() + ":"
	for _, name := range strings.Split(string(outb), "\x00") {
		path, ok := strings.CutPrefix(name, prefix)
		if !ok || path == "" {
			continue
		}
		data := t.readBlob(t.blobAt(tree, path))
		for _, i := range idx {
			if !*fs[i].InHead && bytes.Contains(data, []byte(fs[i].Secret)) {
				in := true
				fs[i].InHead = &in
			}
		}
	}
}

// summary returns a commit message's first line.
func summary(msg string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(msg), "\n")
	return strings.TrimSpace(line)
}

type treePath struct {
	tree plumbing.Hash
	path string
}

type rawTree struct {
	id      plumbing.Hash
	entries map[string]treeEntry
}

type treeEntry struct {
	mode filemode.FileMode
	hash plumbing.Hash
}

// treeResolver finds the blob at a path in many commits' trees, reusing the
// answer for every subtree that did not change between commits: a path is
// looked up once per distinct (tree, remaining path), not once per commit.
type treeResolver struct {
	s        *scanner
	repo     *gogit.Repository
	memo     map[treePath]plumbing.Hash // (tree, rest of path) -> blob
	recent   [8]rawTree                 // the last trees read
	next     int
	contains map[string]bool          // blob + "\x00" + secret -> carries it
	blobs    map[plumbing.Hash][]byte // small cache of blob contents
	cached   int64
}

func newTreeResolver(s *scanner, repo *gogit.Repository) *treeResolver {
	return &treeResolver{s: s, repo: repo, memo: map[treePath]plumbing.Hash{}, contains: map[string]bool{}, blobs: map[plumbing.Hash][]byte{}}
}

// blobAt returns the blob at path in the tree, or the zero hash.
func (t *treeResolver) blobAt(tree plumbing.Hash, path string) plumbing.Hash {
	return t.lookup(tree, path, true)
}

// lookup resolves path under tree. Root trees differ in nearly every commit,
// so answers are remembered only for subtrees, where they are reused.
func (t *treeResolver) lookup(tree plumbing.Hash, path string, root bool) plumbing.Hash {
	key := treePath{tree, path}
	if !root {
		if h, ok := t.memo[key]; ok {
			return h
		}
	}
	var res plumbing.Hash
	first, rest, deeper := strings.Cut(path, "/")
	if mode, h, ok := t.entry(tree, first); ok {
		if deeper && mode == filemode.Dir {
			res = t.lookup(h, rest, false)
		} else if !deeper && mode.IsFile() {
			res = h
		}
	}
	if !root {
		t.memo[key] = res
	}
	return res
}

// entry finds one name in a tree object. It reads the raw entries ("<mode>
// <name>\x00<id>") rather than decoding the whole tree.
func (t *treeResolver) entry(tree plumbing.Hash, name string) (filemode.FileMode, plumbing.Hash, bool) {
	for _, rt := range t.recent {
		if rt.id == tree && rt.entries != nil {
			e, ok := rt.entries[name]
			return e.mode, e.hash, ok
		}
	}
	obj, err := t.repo.Storer.EncodedObject(plumbing.TreeObject, tree)
	if err != nil {
		return 0, plumbing.ZeroHash, false
	}
	r, err := obj.Reader()
	if err != nil {
		return 0, plumbing.ZeroHash, false
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return 0, plumbing.ZeroHash, false
	}
	entries := parseTree(data, t.hashLen())
	t.recent[t.next] = rawTree{tree, entries}
	t.next = (t.next + 1) % len(t.recent)
	e, ok := entries[name]
	return e.mode, e.hash, ok
}

func (t *treeResolver) hashLen() int { return len(plumbing.ZeroHash) }

// parseTree reads raw tree data ("<mode> <name>\x00<id>" entries). It
// stops at the first malformed entry.
func parseTree(data []byte, hashLen int) map[string]treeEntry {
	out := map[string]treeEntry{}
	for len(data) > 0 {
		sp := bytes.IndexByte(data, ' ')
		if sp < 0 {
			break
		}
		nul := bytes.IndexByte(data[sp+1:], 0)
		if nul < 0 {
			break
		}
		end := sp + 1 + nul + 1 + hashLen
		if end > len(data) {
			break
		}
		m, err := filemode.New(string(data[:sp]))
		if err != nil {
			break
		}
		var h plumbing.Hash
		copy(h[:], data[sp+1+nul+1:end])
		out[string(data[sp+1:sp+1+nul])] = treeEntry{m, h}
		data = data[end:]
	}
	return out
}

// carries reports whether the tree has the finding's secret at its path.
func (t *treeResolver) carries(tree plumbing.Hash, f *scan.Finding) bool {
	b := t.blobAt(tree, f.Path)
	if b.IsZero() {
		return false
	}
	return t.blobCarries(b, f.Secret)
}

// blobCarries reports whether blob b holds secret.
func (t *treeResolver) blobCarries(b plumbing.Hash, secret string) bool {
	key := b.String() + "\x00" + secret
	if v, ok := t.contains[key]; ok {
		return v
	}
	data, ok := t.blobs[b]
	if !ok {
		data = t.readBlob(b)
		if t.cached < 16<<20 {
			t.blobs[b] = data
			t.cached += int64(len(data))
		}
	}
	v := bytes.Contains(data, []byte(secret))
	t.contains[key] = v
	return v
}

func (t *treeResolver) readBlob(h plumbing.Hash) []byte {
	obj, err := t.repo.Storer.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil
	}
	if max := t.s.h.o.maxFileSize; max > 0 && obj.Size() > max {
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

// carrierJobs is how many go-git handles count carriers at once. One: a
// second handle doubled the pack caches (etcd peak RSS 190 -> 290 MB) to save
// about half a second.
var carrierJobs = 1

// carriersFromTrees counts the scans that counted carriers by reading
// every commit's tree, for a test to tell the fast path was taken.
var carriersFromTrees atomic.Int64

// countCarriers sets each finding's Commits: how many of the scanned commits
// have the secret at the finding's path. The commits are split among the
// workers, each with its own go-git handle (go-git's caches are not shared
// safely between goroutines).
func (s *scanner) countCarriers(fs []scan.Finding, commits []commitInfo) {
	if counts, ok := newTreeResolver(s, s.repo).carriersFromRaw(fs, commits, s.raw); ok {
		for i, n := range counts {
			fs[i].Commits = n
		}
		return
	}
	carriersFromTrees.Add(1)
	jobs := carrierJobs
	if len(commits) < 1000 {
		jobs = 1
	}
	size := (len(commits) + jobs - 1) / jobs
	counts := make([][]int, jobs)
	p := pool.New().WithMaxGoroutines(jobs)
	for w := 0; w < jobs; w++ {
		part := commits[min(w*size, len(commits)):min((w+1)*size, len(commits))]
		p.Go(func() {
			repo, closeRepo := s.repo, func() {}
			if w > 0 {
				r, c, err := openRepo(s.h.path)
				if err != nil {
					return
				}
				repo, closeRepo = r, c
			}
			defer closeRepo()
			counts[w] = newTreeResolver(s, repo).countCarriers(fs, part)
		})
	}
	p.Wait()
	for _, c := range counts {
		for i, n := range c {
			fs[i].Commits += n
		}
	}
}

// countCarriers counts, per finding, the commits whose tree has the secret
// at the finding's path.
func (t *treeResolver) countCarriers(fs []scan.Finding, commits []commitInfo) []int {
	counts := make([]int, len(fs))
	byPath := map[string][]int{}
	for i := range fs {
		byPath[fs[i].Path] = append(byPath[fs[i].Path], i)
	}
	paths := make([]string, 0, len(byPath))
	for p := range byPath {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, c := range commits {
		tree := c.tree
		if tree.IsZero() {
			co, err := object.GetCommit(t.repo.Storer, c.hash)
			if err != nil {
				continue
			}
			tree = co.TreeHash
		}
		for _, p := range paths {
			for _, i := range byPath[p] {
				if t.carries(tree, &fs[i]) {
					counts[i]++
				}
			}
		}
	}
	return counts
}
