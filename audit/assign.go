package audit

import (
	"cmp"
	"slices"
)

// Assign splits the targets over count shards and returns, for each
// shard, the targets it owns in file order.
//
// It is greedy longest-processing-time-first: targets sorted by weight,
// heaviest first (ties by their normalised line, then position), each
// going to the shard with the least weight so far (ties to the lowest
// index). The plan depends only on the list and count, so every shard,
// run on its own machine from the same file, computes the same plan
// without talking to the others; and LPT's makespan is within 4/3 of the
// optimum, where hashing a target to a shard ignores its size and leaves
// one shard with the big repositories.
func Assign(ts []Target, count int) [][]Target {
	order := slices.Clone(ts)
	slices.SortStableFunc(order, func(a, b Target) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		if c := cmp.Compare(a.String(), b.String()); c != 0 {
			return c
		}
		return cmp.Compare(a.Position, b.Position)
	})
	load := make([]int64, count)
	out := make([][]Target, count)
	for _, t := range order {
		best := 0
		for i := 1; i < count; i++ {
			if load[i] < load[best] {
				best = i
			}
		}
		load[best] += t.Weight
		out[best] = append(out[best], t)
	}
	for _, s := range out {
		slices.SortFunc(s, func(a, b Target) int { return cmp.Compare(a.Position, b.Position) })
	}
	return out
}
