package git

import (
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/secretlint/secretlint/scan"
)

// carriersFromRaw counts, per finding, the scanned commits whose tree has
// the secret at the finding's path, from the raw diffs the blob pass read
// instead of from every commit's tree: walking the commits parents first,
// a commit has at a path the blob its raw diff names there, or else its
// parent's. A merge's combined raw diff leaves out a path whose blob equals
// some parent's; when the parents disagree on which findings they carry
// there, its tree is read. A parent
// outside the scanned commits is read from its tree too. ok is false when
// the raw diffs or parents are not at hand.
func (t *treeResolver) carriersFromRaw(fs []scan.Finding, commits []commitInfo, raw []rawChange) (counts []int, ok bool) {
	if raw == nil {
		return nil, false
	}
	index := make(map[plumbing.Hash]int32, len(commits))
	for i, c := range commits {
		if c.merge && len(c.parents) < 2 {
			return nil, false // listed without parents
		}
		index[c.hash] = int32(i)
	}
	order := parentsFirst(commits, index)

	byPath := map[string][]int{}
	for i := range fs {
		byPath[fs[i].Path] = append(byPath[fs[i].Path], i)
	}
	// The changes at the findings' paths, per path and commit.
	changes := make(map[string]map[int32]plumbing.Hash, len(byPath))
	for p := range byPath {
		changes[p] = map[int32]plumbing.Hash{}
	}
	for _, e := range raw {
		if m, ok := changes[e.path]; ok {
			b := e.blob
			if e.submodule {
				b = plumbing.ZeroHash
			}
			m[e.commit] = b
		}
	}
	outside := map[plumbing.Hash]plumbing.Hash{} // parent not scanned -> its tree
	treeOf := func(c plumbing.Hash) plumbing.Hash {
		if tr, ok := outside[c]; ok {
			return tr
		}
		var tr plumbing.Hash
		if co, err := object.GetCommit(t.repo.Storer, c); err == nil {
			tr = co.TreeHash
		}
		outside[c] = tr
		return tr
	}
	counts = make([]int, len(fs))
	seen := map[blobFinding]bool{}
	// Per commit, which of a group of findings at one path its tree
	// carries, one bit each. A merge takes its parents' bits when they
	// agree (it has one of their blobs); only when they differ is its tree
	// read.
	at := make([]uint64, len(commits))
	for path, all := range byPath {
		changed := changes[path]
		for len(all) > 0 {
			idx := all[:min(64, len(all))]
			all = all[len(idx):]
			bits := func(b plumbing.Hash) uint64 {
				var v uint64
				if b.IsZero() {
					return 0
				}
				for j, k := range idx {
					key := blobFinding{b, k}
					c, ok := seen[key]
					if !ok {
						c = t.blobCarries(b, fs[k].Secret)
						seen[key] = c
					}
					if c {
						v |= 1 << j
					}
				}
				return v
			}
			for _, i := range order {
				c := &commits[i]
				if b, ok := changed[i]; ok {
					at[i] = bits(b)
				} else {
					at[i] = t.inherited(c, path, at, index, treeOf, bits)
				}
				for j, k := range idx {
					if at[i]&(1<<j) != 0 {
						counts[k]++
					}
				}
			}
		}
	}
	return counts, true
}

type blobFinding struct {
	blob    plumbing.Hash
	finding int
}

// inherited returns which findings commit c carries at path when its raw
// diff does not name the path: what its parents carry, or, for a merge
// whose parents differ there, what its own tree has.
func (t *treeResolver) inherited(c *commitInfo, path string, at []uint64, index map[plumbing.Hash]int32, treeOf func(plumbing.Hash) plumbing.Hash, bits func(plumbing.Hash) uint64) uint64 {
	var v uint64
	for k, p := range c.parents {
		var pv uint64
		if j, ok := index[p]; ok {
			pv = at[j]
		} else if tr := treeOf(p); !tr.IsZero() {
			pv = bits(t.blobAt(tr, path))
		}
		if k == 0 {
			v = pv
		} else if pv != v {
			return bits(t.blobAt(c.tree, path))
		}
	}
	return v // a root commit's raw diff names every path it has
}

// parentsFirst orders the commits' indices so that each commit comes after
// its scanned parents.
func parentsFirst(commits []commitInfo, index map[plumbing.Hash]int32) []int32 {
	order := make([]int32, 0, len(commits))
	state := make([]uint8, len(commits)) // 0 new, 1 open, 2 done
	type frame struct {
		i    int32
		next int
	}
	var stack []frame
	// Oldest first, so the walk mostly runs down the list.
	for start := len(commits) - 1; start >= 0; start-- {
		if state[start] != 0 {
			continue
		}
		stack = append(stack[:0], frame{int32(start), 0})
		state[start] = 1
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			ps := commits[f.i].parents
			if f.next < len(ps) {
				p := ps[f.next]
				f.next++
				if j, ok := index[p]; ok && state[j] == 0 {
					state[j] = 1
					stack = append(stack, frame{j, 0})
				}
				continue
			}
			state[f.i] = 2
			order = append(order, f.i)
			stack = stack[:len(stack)-1]
		}
	}
	return order
}
