package rules

// keywordMatcher is a case-insensitive Aho-Corasick automaton compiled to a
// dense DFA over an alphabet of byte classes: one table lookup per input byte.
// Bytes that occur in no keyword share class 0, which keeps the table small
// enough to stay in cache.
type keywordMatcher struct {
	class  [256]uint8
	nclass int
	// next[state*nclass+class] is the next state, premultiplied by nclass so
	// the hot loop needs no multiply, with matchBit set when keywords end
	// there.
	next []uint32
	out  [][]int32 // keyword indexes that end at a state, fail links folded in
	lens []int     // keyword lengths, by index
	// maxLen is the longest keyword's length.
	maxLen int
}

const matchBit = 1 << 31

func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

func newKeywordMatcher(keywords []string) *keywordMatcher {
	m := &keywordMatcher{lens: make([]int, len(keywords))}
	// Alphabet: each distinct lower-cased keyword byte gets a class; upper-case
	// letters share their lower-case class.
	for _, kw := range keywords {
		for i := 0; i < len(kw); i++ {
			c := lower(kw[i])
			if m.class[c] == 0 {
				m.nclass++
				m.class[c] = uint8(m.nclass)
			}
		}
	}
	m.nclass++ // class 0
	for c := 'A'; c <= 'Z'; c++ {
		m.class[c] = m.class[c+'a'-'A']
	}

	// Trie, written straight into the dense table: next[s*nclass+c] is the
	// child of s on class c, or 0 (the root, which is no one's child) when
	// there is none. A map per node made the table pass below cost a map
	// lookup per state and class, the most expensive part of loading rules.
	type node struct {
		fail int32
		out  []int32
	}
	nodes := []node{{}}
	next := make([]int32, m.nclass)
	for i, kw := range keywords {
		m.lens[i] = len(kw)
		m.maxLen = max(m.maxLen, len(kw))
		s := int32(0)
		for j := 0; j < len(kw); j++ {
			at := int(s)*m.nclass + int(m.class[kw[j]])
			n := next[at]
			if n == 0 {
				n = int32(len(nodes))
				nodes = append(nodes, node{})
				next = append(next, make([]int32, m.nclass)...)
				next[at] = n
			}
			s = n
		}
		nodes[s].out = append(nodes[s].out, int32(i))
	}

	// Breadth-first fail links, folding outputs, completing the table: a
	// state's row still holds only its children when it is dequeued, and
	// the rows of its (shallower) fail state are already complete.
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < m.nclass; c++ {
		if n := next[c]; n != 0 {
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := 0; c < m.nclass; c++ {
			if n := next[int(s)*m.nclass+c]; n != 0 {
				nodes[n].fail = next[int(f)*m.nclass+c]
				queue = append(queue, n)
			} else {
				next[int(s)*m.nclass+c] = next[int(f)*m.nclass+c]
			}
		}
	}
	m.out = make([][]int32, len(nodes))
	for i := range nodes {
		m.out[i] = nodes[i].out
	}
	m.next = make([]uint32, len(next))
	for i, n := range next {
		v := uint32(int(n) * m.nclass)
		if len(nodes[n].out) > 0 {
			v |= matchBit
		}
		m.next[i] = v
	}
	return m
}

// minSplit is the input size from which scan runs several automata over
// parts of the input at once: each step's table load depends on the last,
// so interleaving independent walks keeps the processor busy.
const minSplit = 4 << 10

// scan calls hit for every keyword occurrence, in order of end offset, with
// the keyword's index and the offset one past its last byte.
func (m *keywordMatcher) scan(data []byte, hit func(kw int, end int)) {
	if len(m.lens) == 0 {
		return
	}
	if len(data) < minSplit {
		m.walk(data, 0, len(data), 0, hit)
		return
	}
	// Four walks over four quarters. A walk starts maxLen-1 bytes before its
	// quarter so it sees keywords that straddle the edge, and reports only
	// hits that end inside its quarter; the later quarters' hits are held
	// and delivered after the first's, keeping end order.
	q := len(data) / 4
	bounds := [5]int{0, q, 2 * q, 3 * q, len(data)}
	back := m.maxLen - 1
	var held [3][]int64
	next, class := m.next, &m.class
	nclass := uint32(m.nclass)
	var st [4]uint32
	var pos [4]int
	for k := 1; k < 4; k++ {
		pos[k] = max(bounds[k]-back, 0)
	}
	emit := func(k int, s uint32, end int) {
		for _, kw := range m.out[(s&^matchBit)/nclass] {
			if end <= bounds[k] {
				continue // the previous walk reports it
			}
			if k == 0 {
				hit(int(kw), end)
			} else {
				held[k-1] = append(held[k-1], int64(end)<<20|int64(kw))
			}
		}
	}
	// Run all four in lockstep for as long as the shortest lasts.
	n := q
	for j := 0; j < n; j++ {
		s0 := next[st[0]&^matchBit+uint32(class[data[pos[0]+j]])]
		s1 := next[st[1]&^matchBit+uint32(class[data[pos[1]+j]])]
		s2 := next[st[2]&^matchBit+uint32(class[data[pos[2]+j]])]
		s3 := next[st[3]&^matchBit+uint32(class[data[pos[3]+j]])]
		st[0], st[1], st[2], st[3] = s0, s1, s2, s3
		if (s0|s1|s2|s3)&matchBit != 0 {
			for k, s := range [4]uint32{s0, s1, s2, s3} {
				if s&matchBit != 0 {
					emit(k, s, pos[k]+j+1)
				}
			}
		}
	}
	// Finish each walk to its quarter's end.
	for k := 0; k < 4; k++ {
		s := st[k]
		for i := pos[k] + n; i < bounds[k+1]; i++ {
			s = next[s&^matchBit+uint32(class[data[i]])]
			if s&matchBit != 0 {
				emit(k, s, i+1)
			}
		}
	}
	for _, hs := range held {
		for _, h := range hs {
			hit(int(h&(1<<20-1)), int(h>>20))
		}
	}
}

// walk runs the automaton over data[from:to] from state s.
func (m *keywordMatcher) walk(data []byte, from, to int, s uint32, hit func(kw int, end int)) {
	next, class := m.next, &m.class
	nclass := uint32(m.nclass)
	for i := from; i < to; i++ {
		s = next[s&^matchBit+uint32(class[data[i]])]
		if s&matchBit != 0 {
			for _, kw := range m.out[(s&^matchBit)/nclass] {
				hit(int(kw), i+1)
			}
		}
	}
}

// holdsAny reports whether data holds any keyword.
func (m *keywordMatcher) holdsAny(data []byte) bool {
	if len(m.lens) == 0 {
		return false
	}
	s := uint32(0)
	for _, c := range data {
		s = m.next[s&^matchBit+uint32(m.class[c])]
		if s&matchBit != 0 {
			return true
		}
	}
	return false
}
