package rules

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Set is a compiled rule set with its keyword automaton. It is immutable and
// safe for concurrent use.
type Set struct {
	rules     []*Rule
	byID      map[string]*Rule
	kw        *keywordMatcher
	kwRules   [][]kwRule // keyword index -> the rules it triggers
	noKeyword []int      // rules that run on the whole input
	// prefixes are the keywords of specific rules: a generic rule does not
	// report a value that starts with one, since that value is in a known
	// format that its own rule rejected or did not match (truncated, a
	// placeholder, a wrong checksum).
	prefixes [][]byte
}

// Match is one rule match inside the scanned bytes.
type Match struct {
	Rule *Rule
	// Start and End delimit the secret.
	Start, End int
	// MatchStart and MatchEnd delimit the whole regex match.
	MatchStart, MatchEnd int
}

// Secret returns the matched secret within data.
func (m Match) Secret(data []byte) []byte { return data[m.Start:m.End] }

// NewSet compiles a set from rules. Rule ids must be unique.
func NewSet(rs []*Rule) (*Set, error) {
	s := &Set{byID: make(map[string]*Rule, len(rs))}
	kwIndex := map[string]int{}
	var kws []string
	for i, r := range rs {
		if _, dup := s.byID[r.ID]; dup {
			return nil, fmt.Errorf("rule %q defined twice", r.ID)
		}
		s.byID[r.ID] = r
		s.rules = append(s.rules, r)
		if len(r.Keywords) == 0 {
			s.noKeyword = append(s.noKeyword, i)
			continue
		}
		for _, kw := range r.Keywords {
			if !r.Generic && len(kw) >= 3 {
				s.prefixes = append(s.prefixes, []byte(kw))
			}
			k, ok := kwIndex[kw]
			if !ok {
				k = len(kws)
				kwIndex[kw] = k
				kws = append(kws, kw)
				s.kwRules = append(s.kwRules, nil)
			}
			if n := len(s.kwRules[k]); n == 0 || s.kwRules[k][n-1].rule != int32(i) {
				s.kwRules[k] = append(s.kwRules[k], kwRule{rule: int32(i), anchored: strings.HasPrefix(r.lead, kw)})
			}
		}
	}
	s.kw = newKeywordMatcher(kws)
	return s, nil
}

// Rules returns the rules in definition order.
func (s *Set) Rules() []*Rule { return s.rules }

// Rule returns the rule with the given id, or nil.
func (s *Set) Rule(id string) *Rule { return s.byID[id] }

// Len returns the number of rules.
func (s *Set) Len() int { return len(s.rules) }

const (
	// lineReach bounds how far a region extends from a keyword hit on one
	// long line (minified code, a 1 GB log line).
	lineReach = 2048
	// multilineReach bounds how far a multi-line rule looks past its keyword.
	multilineReach = 32 << 10
	// regionOverlap is how much of a rule's previous region a new region
	// searches again.
	regionOverlap = 256
)

// kwRule is a rule a keyword triggers. anchored says the rule's regex
// starts with that keyword (after an optional \b), so a match must begin at
// the hit: the regex runs from there, and not at all where \b fails.
type kwRule struct {
	rule     int32
	anchored bool
}

// maxPending caps the text one regex call searches when a rule's regions
// are joined (see Find): past it, the joined region is searched and a new
// one begins, overlapping it by regionOverlap as separate regions do.
const maxPending = 64 << 10

// pending is a rule's joined region waiting to be searched, and the end
// of what its earlier joined regions searched.
type pending struct {
	start, end   int
	live, listed bool
	done         int
}

// Find returns every accepted match in data, sorted by position. It runs
// each rule's regex only on the lines around its keyword hits.
//
// The work per byte is bounded, whatever the input: a rule's regions that
// overlap are joined and searched by one regex call when the next hit
// falls past them (or at maxPending), and a hit whose region lies inside
// the one already pending adds nothing and costs no region computation.
// On ordinary text regions rarely overlap, so this changes nothing; on
// dense input (password=password=…, a line of AKIAAKIA…) it turns one
// regex call per keyword hit, over text mostly searched before, into about
// one pass of each triggered rule over the text. Three things make that
// pass cheap:
//
//   - A rule whose every match opens a name (the generic assignment
//     rules, see opensWithName) runs its regex anchored just before the
//     name that holds a hit, on at most its window past the hit, once per
//     name; hits inside the last match, accepted or not, are skipped as a
//     search for every match would skip them. The short anchored input
//     keeps the regex in the backtracker, not the slower NFA that an
//     unanchored search of a joined region takes.
//   - A rule whose every match holds a run of at least 16 bytes of one
//     class (the 40 base64 characters of an AWS secret key), or a literal
//     of two bytes or more, skips a region without it after a byte scan
//     (see Rule.mayMatch).
//   - The line around a hit is found incrementally, so back-to-back hits
//     on one long line do not each search 2 KB either way for it.
//
// Nothing is cut short: each hit is looked at by its rule's regex, over
// the window it gets in ordinary text, or lies where that regex cannot
// match, so a secret among dense hits is found as it is in ordinary text.
func (s *Set) Find(data []byte) []Match {
	var (
		f    finder
		pend []pending // per rule
		live []int32   // rules with a region pending
		ln   = lines{data: data, nl: -1}
	)
	flush := func(ri int32) {
		p, r := &pend[ri], s.rules[ri]
		switch {
		case r.nameAnchored:
			p.done = f.matchAt(s, r, data, p.start, p.end)
		case r.mayMatch(data[p.start:p.end]):
			f.matchRegion(s, r, data, p.start, p.end)
			p.done = p.end
		default:
			p.done = p.end
		}
		p.live = false
	}
	s.kw.scan(data, func(kw, end int) {
		start := end - s.kw.lens[kw]
		for _, kr := range s.kwRules[kw] {
			if pend == nil {
				pend = make([]pending, len(s.rules))
			}
			ri, r := kr.rule, s.rules[kr.rule]
			p := &pend[ri]
			if kr.anchored && r.leadBoundary && start > 0 && isWordByte(data[start-1]) {
				continue // "task_" holds "sk_", but no token starts there
			}
			if r.nameAnchored {
				// One regex run per name, anchored just before it; a hit
				// inside the last match, or in a name already tried, adds
				// nothing.
				if start < p.done || (r.Precheck != nil && !r.Precheck(data, start, end)) {
					continue
				}
				a, hi := nameRegion(&ln, start, end, r)
				switch {
				case p.live && a == p.start:
					p.end = max(p.end, hi) // another keyword in the same name
					continue
				case p.live:
					flush(ri)
				case !p.listed:
					live, p.listed = append(live, ri), true
				}
				if a >= p.done && holdsRequired(data[a:hi], r.Requires) {
					p.start, p.end, p.live = a, hi, true
				}
				continue
			}
			// A bounded match around this hit lies within span bytes of
			// it: when that lies inside the pending region, skip the hit
			// before widening a region to word edges (up to lineReach
			// bytes each way, per hit, on a line of back-to-back keywords).
			if p.live && r.span > 0 && r.Window == 0 && !r.Multiline && start-r.span >= p.start && end+r.span <= p.end {
				continue
			}
			var rs, re int
			if kr.anchored {
				rs, re = anchoredRegion(&ln, start, end, r)
			} else {
				rs, re = region(&ln, start, end, r)
			}
			if re <= p.done || (p.live && rs >= p.start && re <= p.end) ||
				!holdsRequired(data[rs:re], r.Requires) || (r.Precheck != nil && !r.Precheck(data, start, end)) {
				continue
			}
			if p.live && rs <= p.end && re-min(rs, p.start) <= maxPending {
				p.start, p.end = min(rs, p.start), max(re, p.end)
				continue
			}
			if p.live {
				flush(ri)
			} else {
				live = append(live, ri)
			}
			// Do not search again what this rule's last region covered,
			// but for an overlap wide enough for a match that straddles
			// its end.
			if c := p.done - regionOverlap; rs < c {
				rs = c
			}
			p.start, p.end, p.live = rs, re, true
		}
	})
	for _, ri := range live {
		if pend[ri].live {
			flush(ri)
		}
	}
	for _, ri := range s.noKeyword {
		f.matchRegion(s, s.rules[ri], data, 0, len(data))
	}
	return s.resolve(f.ms, f.vetoes)
}

// finder accumulates the matches of one Find call, and the spans where a
// token-format rule's regex matched but the rule rejected the candidate (a
// bad checksum, a placeholder, an example value): generic rules must not
// report those spans either.
type finder struct {
	ms     []Match
	vetoes []span
}

type span struct{ start, end int }

// region returns the lines around a keyword hit, bounded on long lines.
// A rule with a window searches from just before the name that holds the
// keyword (the assignment rules' regexes start there) to window bytes past
// it, so a hit costs the same on a long line as on a short one.
func region(ln *lines, start, end int, r *Rule) (int, int) {
	data := ln.data
	back, reach := lineReach, lineReach
	if r.Multiline {
		reach = multilineReach
	}
	switch {
	case r.Window > 0:
		back, reach = start-nameStart(data, start, r.Window)+nameContext, min(reach, r.Window)
	case r.span > 0 && !r.Multiline:
		// A bounded match lies within span bytes of the hit. Widen to the
		// edges of the words there, so \b at the region's edges means what
		// it means in the whole text.
		lo, hi := wordEdges(data, max(start-r.span, 0), min(end+r.span, len(data)))
		return ln.clip(start, end, lo, hi)
	}
	lo, hi := max(start-back, 0), min(end+reach, len(data))
	if r.Multiline {
		return max(lo, ln.startOf(start)), hi
	}
	return ln.clip(start, end, lo, hi)
}

// anchoredRegion is the region for a hit where a match must begin: from
// the hit to the rule's span, or to the end of the line.
func anchoredRegion(ln *lines, start, end int, r *Rule) (int, int) {
	data := ln.data
	reach := lineReach
	if r.Multiline {
		reach = multilineReach
	}
	if r.span > 0 {
		reach = r.span
	}
	hi := max(min(start+reach, len(data)), end)
	if r.Multiline {
		return start, hi
	}
	if r.span > 0 {
		_, hi = wordEdges(data, start, hi)
	}
	return ln.clip(start, end, start, hi)
}

// nameRegion is the text a name-anchored rule's regex runs on for a hit:
// from just before the name that holds it (the byte that ends the name
// before, or the start of the line) to window bytes past the hit, within
// the line. A name longer than the window is cut, and its match then
// begins inside it, at the start of the text searched, as it does in a
// windowed region.
func nameRegion(ln *lines, start, end int, r *Rule) (int, int) {
	data := ln.data
	a := nameStart(data, start, r.Window)
	if a > 0 && data[a-1] != '\n' && !isNameByte(data[a-1]) {
		a--
	}
	return a, min(end+min(r.Window, lineReach), ln.endOf(end))
}

// holdsRequired reports whether region holds one of the required strings
// (true when there are none).
func holdsRequired(region []byte, req [][]byte) bool {
	if len(req) == 0 {
		return true
	}
	for _, q := range req {
		if bytes.Contains(region, q) {
			return true
		}
	}
	return false
}

func isWordByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// wordEdges moves lo back and hi forward off the middle of a token (a run
// of bytes other than spaces, quotes and brackets), at most lineReach bytes
// each way, so no match is cut short at a region edge.
func wordEdges(data []byte, lo, hi int) (int, int) {
	for stop := max(lo-lineReach, 0); lo > stop && tokenByte[data[lo-1]] && tokenByte[data[lo]]; lo-- {
	}
	for stop := min(hi+lineReach, len(data)); hi < stop && hi > 0 && tokenByte[data[hi-1]] && tokenByte[data[hi]]; hi++ {
	}
	return lo, hi
}

var tokenByte = func() (t [256]bool) {
	for c := '!'; c <= '~'; c++ {
		t[c] = true
	}
	for _, c := range "\"'`,;()[]{}<>" {
		t[c] = false
	}
	return t
}()

// lines finds the line around a keyword hit. Hits come in order, so it
// remembers the last line start and newline it found and scans only the
// bytes between one hit and the next: a line dense with hits costs one
// pass, not a 2 KB search each way per hit.
type lines struct {
	data []byte
	// No newline lies in data[start:from], nor in data[nlFrom:nl]; nl is a
	// newline's offset, len(data), or -1 before the first search.
	start, from int
	nlFrom, nl  int
}

// startOf returns the start of the line that holds offset pos.
func (l *lines) startOf(pos int) int {
	switch {
	case pos >= l.from:
		if i := bytes.LastIndexByte(l.data[l.from:pos], '\n'); i >= 0 {
			l.start = l.from + i + 1
		}
		l.from = pos
	case pos < l.start:
		return bytes.LastIndexByte(l.data[:pos], '\n') + 1
	}
	return l.start
}

// endOf returns the offset of the first newline at or after pos, or
// len(data).
func (l *lines) endOf(pos int) int {
	if pos < l.nlFrom || pos > l.nl {
		l.nlFrom, l.nl = pos, len(l.data)
		if i := bytes.IndexByte(l.data[pos:], '\n'); i >= 0 {
			l.nl = pos + i
		}
	}
	return l.nl
}

// clip narrows [lo, hi) to the line holding the hit [start, end).
func (l *lines) clip(start, end, lo, hi int) (int, int) {
	return max(lo, l.startOf(start)), min(hi, l.endOf(end))
}

// nameContext is how much text before a name a windowed region keeps, for
// patterns that quote the name (key="db_password" value=...).
const nameContext = 16

// nameStart walks back from a keyword hit over the identifier it sits in
// (letters, digits, _ . -), at most limit bytes.
func nameStart(data []byte, start, limit int) int {
	i := start
	for i > 0 && start-i < limit && isNameByte(data[i-1]) {
		i--
	}
	return i
}

func isNameByte(c byte) bool {
	return c == '_' || c == '.' || c == '-' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// matchRegion searches [rs, re) for every match of r.
func (f *finder) matchRegion(s *Set, r *Rule, data []byte, rs, re int) {
	for _, loc := range r.Regexp().FindAllSubmatchIndex(data[rs:re], -1) {
		f.consider(s, r, data, rs, loc)
	}
}

// matchAt tries the one match of a name-anchored rule that begins at a,
// within hi, and returns where the next try may begin: past the match
// (accepted or not), as a search for every match would go on, or past a.
//
// A match cut short by hi (its value runs on) is passed with the rest of
// its value: the keywords in a long value (password=password=… as one
// token) are part of it, not names that start assignments, and trying
// them would read the value differently from how it reads in one piece.
func (f *finder) matchAt(s *Set, r *Rule, data []byte, a, hi int) int {
	loc := r.anchored().FindSubmatchIndex(data[a:hi])
	if loc == nil {
		return a + 1
	}
	f.consider(s, r, data, a, loc)
	next := a + max(loc[1], 1)
	if next == hi && r.valueRun != nil {
		for next < len(data) && data[next] != '\n' && r.valueRun[data[next]] {
			next++
		}
	}
	return next
}

// consider keeps a regex match of r (loc, relative to rs) that passes the
// rule's filters, and notes the span of one a token-format rule rejected.
func (f *finder) consider(s *Set, r *Rule, data []byte, rs int, loc []int) {
	g := 2 * r.SecretGroup
	if loc[g] < 0 {
		return
	}
	m := Match{Rule: r, Start: rs + loc[g], End: rs + loc[g+1], MatchStart: rs + loc[0], MatchEnd: rs + loc[1]}
	if m.Start == m.End {
		return
	}
	if !accept(r, data[m.Start:m.End]) || (len(r.Allow.Matches) > 0 && r.Allow.AllowsMatch(data[m.MatchStart:m.MatchEnd])) ||
		(len(r.Allow.Lines) > 0 && r.Allow.AllowsLine(linesOf(data, m.MatchStart, m.MatchEnd))) ||
		(r.Generic && s.knownFormat(data[m.Start:m.End])) {
		if !r.Generic && startsWithKeyword(r, data[m.Start:m.End]) {
			f.vetoes = append(f.vetoes, span{m.Start, m.End})
		}
		return
	}
	f.ms = append(f.ms, m)
}

// startsWithKeyword reports whether a rule's candidate begins with one of
// the rule's keywords: the rule recognized a token format (a prefix), so its
// rejection means "not a valid token" for every rule. A rule that keys on
// a variable name instead rejects only its own reading of the value.
func startsWithKeyword(r *Rule, secret []byte) bool {
	for _, k := range r.Keywords {
		if len(secret) >= len(k) && bytes.EqualFold(secret[:len(k)], []byte(k)) {
			return true
		}
	}
	return false
}

// knownFormat reports whether a generic rule's candidate is, or is the
// base64 of, a value that starts with a specific rule's keyword. Such a
// value is left to the specific rule (on the decoded text, for base64).
func (s *Set) knownFormat(secret []byte) bool {
	if s.knownPrefix(secret) {
		return true
	}
	if len(secret) < 16 {
		return false
	}
	for _, c := range secret {
		if !isBase64Byte(c) {
			return false
		}
	}
	d, ok := DecodeBase64(secret)
	return ok && s.knownPrefix(d)
}

func isBase64Byte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_' || c == '='
}

// knownPrefix reports whether secret starts, case-insensitively, with the
// keyword of a specific rule.
func (s *Set) knownPrefix(secret []byte) bool {
	for _, p := range s.prefixes {
		if len(secret) >= len(p) && bytes.EqualFold(secret[:len(p)], p) {
			return true
		}
	}
	return false
}

// accept applies the cheap false-positive filters to a candidate secret.
func accept(r *Rule, secret []byte) bool {
	if r.Entropy > 0 && Entropy(secret) < r.Entropy {
		return false
	}
	if !r.KeepPlaceholders && IsPlaceholder(secret) {
		return false
	}
	if r.Validator != nil && !r.Validator(secret) {
		return false
	}
	return !r.Allow.AllowsSecret(secret)
}

// resolve sorts matches, drops duplicates found through overlapping regions,
// and drops generic matches that overlap a specific match, a span a specific
// rule rejected, or a generic match that takes precedence (see Precedes).
func (s *Set) resolve(ms []Match, vetoes []span) []Match {
	if len(ms) < 2 && len(vetoes) == 0 {
		return ms
	}
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].Start != ms[j].Start {
			return ms[i].Start < ms[j].Start
		}
		if ms[i].End != ms[j].End {
			return ms[i].End > ms[j].End
		}
		return ms[i].Rule.ID < ms[j].Rule.ID
	})
	// One finding per secret span: duplicates found through overlapping
	// regions go, and of two rules reporting the same span the one that
	// takes precedence stays.
	out := ms[:0]
	for _, m := range ms {
		if n := len(out); n > 0 && m.Start == out[n-1].Start && m.End == out[n-1].End {
			if Precedes(m.Rule, out[n-1].Rule) {
				out[n-1] = m
			}
			continue
		}
		out = append(out, m)
	}
	hasGeneric := false
	for _, m := range out {
		if m.Rule.Generic {
			hasGeneric = true
			break
		}
	}
	if !hasGeneric {
		return out
	}
	// Matches are sorted by start and none is longer than longest, so the
	// matches that can overlap a span lie in a window found by binary
	// search: a file dense with keywords stays linear, not quadratic.
	longest := 0
	for _, m := range out {
		longest = max(longest, m.End-m.Start, m.MatchEnd-m.MatchStart)
	}
	near := func(from, to int) []Match {
		lo := sort.Search(len(out), func(i int) bool { return out[i].Start > from-longest })
		hi := sort.Search(len(out), func(i int) bool { return out[i].Start >= to })
		if lo > hi {
			return nil
		}
		return out[lo:hi]
	}
	sort.Slice(vetoes, func(i, j int) bool { return vetoes[i].start < vetoes[j].start })
	longestVeto := 0
	for _, v := range vetoes {
		longestVeto = max(longestVeto, v.end-v.start)
	}
	keep := out[:0:0]
	for _, m := range out {
		if m.Rule.Generic {
			around := near(min(m.Start, m.MatchStart), max(m.End, m.MatchEnd))
			if overlapsSpecific(m, around) || vetoed(m, vetoes, longestVeto) || yieldsToGeneric(m, around) {
				continue
			}
		}
		keep = append(keep, m)
	}
	return keep
}

// linesOf returns the whole line(s) of data that hold [start, end).
func linesOf(data []byte, start, end int) []byte {
	from := bytes.LastIndexByte(data[:start], '\n') + 1
	to := len(data)
	if i := bytes.IndexByte(data[end:], '\n'); i >= 0 {
		to = end + i
	}
	return data[from:to]
}

// Precedes reports whether rule a is reported rather than rule b where
// both match the same secret: a specific rule before a generic one, then
// the higher Priority, then the smaller id. It is a strict order on rules
// with distinct ids, so which rule wins never depends on the order of the
// rule files or of the rules in them.
func Precedes(a, b *Rule) bool {
	if a.Generic != b.Generic {
		return !a.Generic
	}
	if a.Priority != b.Priority {
		return a.Priority > b.Priority
	}
	return a.ID < b.ID
}

func overlapsSpecific(g Match, ms []Match) bool {
	for _, m := range ms {
		if !m.Rule.Generic && m.Start < g.MatchEnd && g.MatchStart < m.End {
			return true
		}
	}
	return false
}

// vetoed reports whether a span a specific rule rejected overlaps g's
// secret; vetoes are sorted by start and none is longer than longest.
func vetoed(g Match, vetoes []span, longest int) bool {
	lo := sort.Search(len(vetoes), func(i int) bool { return vetoes[i].start > g.Start-longest })
	for _, v := range vetoes[lo:] {
		if v.start >= g.End {
			break
		}
		if g.Start < v.end {
			return true
		}
	}
	return false
}

// yieldsToGeneric reports whether another generic rule that precedes g's
// matched a secret overlapping g's: one finding per value.
func yieldsToGeneric(g Match, ms []Match) bool {
	for _, m := range ms {
		if m.Rule != g.Rule && m.Rule.Generic && m.Start < g.End && g.Start < m.End && Precedes(m.Rule, g.Rule) {
			return true
		}
	}
	return false
}

// MultilineSpan returns the most bytes one match of a multi-line rule can
// span, or 0 when the set has none: such a match lies within lineReach of
// the start of its keyword's line and multilineReach past the keyword. A
// stream cut into chunks must carry this much from one chunk into the next
// for a PEM block that straddles the cut to be seen whole. (A multi-line
// rule without keywords runs on whole fragments; the same bound is assumed
// for it.)
func (s *Set) MultilineSpan() int {
	longest := 0
	for _, r := range s.rules {
		if !r.Multiline {
			continue
		}
		longest = max(longest, 1)
		for _, kw := range r.Keywords {
			longest = max(longest, len(kw))
		}
	}
	if longest == 0 {
		return 0
	}
	return lineReach + multilineReach + longest
}
