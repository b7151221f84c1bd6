package rules

// keywordMatcher is a case-insensitive Aho-Corasick automaton compiled to a
// dense DFA over an alphabet of byte classes: one table lookup per input byte.
// Bytes that occur in no keyword share class 0, which keeps the table small
// enough to stay in cache.
type keywordMatcher struct {
	class    [256]uint8
	nclass   int
	next     []int32   // next[state*nclass+class]
	out      [][]int32 // keyword indexes that end at a state, fail links folded in
	lens     []int     // keyword lengths, by index
	hasMatch []bool    // out[state] is non-empty
}

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

	// Trie.
	type node struct {
		child map[uint8]int32
		fail  int32
		out   []int32
	}
	nodes := []node{{child: map[uint8]int32{}}}
	for i, kw := range keywords {
		m.lens[i] = len(kw)
		s := int32(0)
		for j := 0; j < len(kw); j++ {
			c := m.class[kw[j]]
			n, ok := nodes[s].child[c]
			if !ok {
				n = int32(len(nodes))
				nodes = append(nodes, node{child: map[uint8]int32{}})
				nodes[s].child[c] = n
			}
			s = n
		}
		nodes[s].out = append(nodes[s].out, int32(i))
	}

	// Breadth-first fail links, folding outputs, then the dense table.
	m.next = make([]int32, len(nodes)*m.nclass)
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < m.nclass; c++ {
		if n, ok := nodes[0].child[uint8(c)]; ok {
			m.next[c] = n
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		nodes[s].out = append(nodes[s].out, nodes[f].out...)
		for c := 0; c < m.nclass; c++ {
			if n, ok := nodes[s].child[uint8(c)]; ok {
				nodes[n].fail = m.next[int(f)*m.nclass+c]
				m.next[int(s)*m.nclass+c] = n
				queue = append(queue, n)
			} else {
				m.next[int(s)*m.nclass+c] = m.next[int(f)*m.nclass+c]
			}
		}
	}
	m.out = make([][]int32, len(nodes))
	m.hasMatch = make([]bool, len(nodes))
	for i := range nodes {
		m.out[i] = nodes[i].out
		m.hasMatch[i] = len(nodes[i].out) > 0
	}
	return m
}

// scan calls hit for every keyword occurrence, with the keyword's index and
// the offset one past its last byte.
func (m *keywordMatcher) scan(data []byte, hit func(kw int, end int)) {
	if len(m.lens) == 0 {
		return
	}
	next, class, nclass, has := m.next, &m.class, int32(m.nclass), m.hasMatch
	s := int32(0)
	for i, b := range data {
		s = next[s*nclass+int32(class[b])]
		if has[s] {
			for _, kw := range m.out[s] {
				hit(int(kw), i+1)
			}
		}
	}
}
