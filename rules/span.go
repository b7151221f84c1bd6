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
