package rules

import (
	"regexp/syntax"
	"strings"
)

// maxSpan returns the most bytes a regex match can span, or 0 when that is
// unbounded or the pattern anchors to line or text edges (a region that
// starts mid-line must not satisfy ^). Rules with a bounded span search only
// that far either side of a keyword hit: a 40-character token is looked for
// in about 100 bytes, not in the whole line around it.
func maxSpan(re *syntax.Regexp) int {
	n, ok := spanOf(re)
	if !ok || n > lineReach {
		return 0
	}
	return n
}

// spanOf returns the maximum byte length a parsed (not simplified) syntax
// tree matches, and false when it is unbounded or holds an anchor.
func spanOf(re *syntax.Regexp) (int, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0, true
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += runeBytes(r)
		}
		return n, true
	case syntax.OpCharClass:
		hi := rune(0)
		for i := 1; i < len(re.Rune); i += 2 {
			hi = max(hi, re.Rune[i])
		}
		return runeBytes(hi), true
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		return 4, true
	case syntax.OpCapture:
		return spanOf(re.Sub[0])
	case syntax.OpConcat:
		total := 0
		for _, s := range re.Sub {
			n, ok := spanOf(s)
			if !ok {
				return 0, false
			}
			total += n
		}
		return total, true
	case syntax.OpAlternate:
		most := 0
		for _, s := range re.Sub {
			n, ok := spanOf(s)
			if !ok {
				return 0, false
			}
			most = max(most, n)
		}
		return most, true
	case syntax.OpQuest:
		return spanOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max < 0 {
			return 0, false
		}
		n, ok := spanOf(re.Sub[0])
		return n * re.Max, ok
	}
	// Star, plus, and line or text anchors.
	return 0, false
}

func runeBytes(r rune) int {
	switch {
	case r < 0x80:
		return 1
	case r < 0x800:
		return 2
	case r < 0x10000:
		return 3
	}
	return 4
}

// leadingLiteral returns the literal text a regex match must begin with,
// lower-cased (after an optional leading \b, which it reports), or "".
func leadingLiteral(re *syntax.Regexp) (lit string, boundary bool) {
	nodes := flatConcat(re)
	if len(nodes) > 0 && nodes[0].Op == syntax.OpWordBoundary {
		boundary, nodes = true, nodes[1:]
	}
	var b strings.Builder
	for _, n := range nodes {
		if n.Op != syntax.OpLiteral {
			break
		}
		b.WriteString(string(n.Rune))
	}
	return strings.ToLower(b.String()), boundary
}

// flatConcat returns the parts a match of re must go through in order: the
// elements of its top-level concatenation, with capture groups opened.
func flatConcat(re *syntax.Regexp) []*syntax.Regexp {
	var nodes []*syntax.Regexp
	var flatten func(*syntax.Regexp)
	flatten = func(r *syntax.Regexp) {
		switch r.Op {
		case syntax.OpConcat:
			for _, s := range r.Sub {
				flatten(s)
			}
		case syntax.OpCapture:
			flatten(r.Sub[0])
		default:
			nodes = append(nodes, r)
		}
	}
	flatten(re)
	return nodes
}

// opensWithName reports whether every match of re begins at the start of
// a name: at the start of the searched text or on a byte that is not a
// name byte (letters, digits, _ . -), then at least one name byte, as the
// generic assignment rules' (?:^|[^\w.-])[\w.-]*?(?:password|token|…)
// does. Such a match is found by running the regex anchored just before
// the name that holds a keyword hit.
func opensWithName(re *syntax.Regexp) bool {
	nodes := flatConcat(re)
	if len(nodes) < 2 || nodes[0].Op != syntax.OpAlternate || len(nodes[0].Sub) != 2 {
		return false
	}
	edge, class := nodes[0].Sub[0], nodes[0].Sub[1]
	if edge.Op != syntax.OpBeginText || class.Op != syntax.OpCharClass {
		return false
	}
	for c := 0; c < 0x80; c++ {
		if isNameByte(byte(c)) && inClass(class, rune(c)) {
			return false
		}
	}
	// Then name bytes only, up to a part that must match one.
	rest := nodes[1:]
	for len(rest) > 0 && rest[0].Op == syntax.OpStar && nameOnly(rest[0].Sub[0]) {
		rest = rest[1:]
	}
	return len(rest) > 0 && nameOnly(rest[0]) && minLen(rest[0]) > 0
}

// nameOnly reports whether re matches nothing but ASCII name bytes (and the
// non-ASCII runes that case folding adds to k and s).
func nameOnly(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if !nameRune(r) {
				return false
			}
		}
		return true
	case syntax.OpCharClass:
		for i := 0; i < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if !nameRune(r) {
					return false
				}
			}
		}
		return true
	case syntax.OpCapture, syntax.OpConcat, syntax.OpAlternate, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		for _, s := range re.Sub {
			if !nameOnly(s) {
				return false
			}
		}
		return true
	}
	return false
}

// nameRune reports whether r is a name byte, or a rune case folding maps to
// one (ſ for s, the Kelvin sign for k).
func nameRune(r rune) bool {
	return r < 0x80 && isNameByte(byte(r)) || r == 0x17F || r == 0x212A
}

// minLen returns the fewest runes re matches.
func minLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minLen(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minLen(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += minLen(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if m := minLen(s); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0
}

func inClass(class *syntax.Regexp, c rune) bool {
	for i := 0; i < len(class.Rune); i += 2 {
		if class.Rune[i] <= c && c <= class.Rune[i+1] {
			return true
		}
	}
	return false
}

// minRunLen is the shortest required run worth a byte scan before the regex
// (see requiredRun): shorter runs are in almost any text.
const minRunLen = 16

// requiredRun returns a run every match of re holds: at least n
// consecutive bytes for which in is true (the 40 base64 characters of an
// AWS secret key, the 32 of a key body), or n == 0 when re has none of at
// least minRunLen. Bytes from 0x80 up count as in the run whatever the
// class, so a region without such a run holds no match, whatever its
// encoding.
func requiredRun(re *syntax.Regexp) (n int, in *[256]bool) {
	for _, node := range flatConcat(re) {
		if node.Op != syntax.OpRepeat || node.Min < minRunLen || node.Min <= n || node.Sub[0].Op != syntax.OpCharClass {
			continue
		}
		var t [256]bool
		for c := 0; c < 256; c++ {
			t[c] = c >= 0x80 || inClass(node.Sub[0], rune(c))
		}
		n, in = node.Min, &t
	}
	return n, in
}

// holdsRun reports whether b has n consecutive bytes for which in is true.
func holdsRun(b []byte, n int, in *[256]bool) bool {
	run := 0
	for _, c := range b {
		if !in[c] {
			run = 0
			continue
		}
		if run++; run >= n {
			return true
		}
	}
	return false
}

// trailingRun returns the byte class of the last part of re that repeats
// without bound (a name-anchored rule's value, [^\s"'`&]{7,}), with bytes
// from 0x80 up in it, or nil when re has none.
func trailingRun(re *syntax.Regexp) *[256]bool {
	nodes := flatConcat(re)
	for i := len(nodes) - 1; i >= 0; i-- {
		n := nodes[i]
		unbounded := n.Op == syntax.OpStar || n.Op == syntax.OpPlus || n.Op == syntax.OpRepeat && n.Max < 0
		if !unbounded {
			continue
		}
		if n.Sub[0].Op != syntax.OpCharClass {
			return nil
		}
		var t [256]bool
		for c := 0; c < 256; c++ {
			t[c] = c >= 0x80 || inClass(n.Sub[0], rune(c))
		}
		return &t
	}
	return nil
}

// requiredLiterals returns the case-sensitive literals of at least two
// bytes that every match of re holds (the "=>" and "sk_" of
// ["']secret_key["']\s*=>\s*["'](sk_…)), in pattern order.
func requiredLiterals(re *syntax.Regexp) [][]byte {
	var out [][]byte
	for _, node := range flatConcat(re) {
		if node.Op == syntax.OpLiteral && node.Flags&syntax.FoldCase == 0 {
			if lit := []byte(string(node.Rune)); len(lit) >= 2 {
				out = append(out, lit)
			}
		}
	}
	return out
}
