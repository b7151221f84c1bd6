package content

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/secretlint/secretlint/scan"
)

// Extractor turns a file of one kind (a notebook, a JSON or YAML document)
// into text the rules read better than the raw bytes: values unescaped,
// pieces split by the format joined again. The raw bytes are scanned as
// well; the extractor adds what only its text shows.
type Extractor interface {
	// Match reports whether the extractor reads the file, from its name
	// and first bytes (up to SniffLen).
	Match(name string, head []byte) bool
	// Extract returns the pieces of text in data. An error means the file
	// is not of the extractor's kind after all; the raw scan stands.
	Extract(data []byte) ([]Piece, error)
}

// Extractors returns the built-in extractors, the ones a Stage uses
// unless told otherwise, in the order they are tried.
func Extractors() []Extractor {
	return []Extractor{Notebook{}, JSON{}, YAML{}, TOML{}, INI{}, Properties{}, XML{}, Literals{SingleQuotes: true}, Literals{}}
}

// extractLimit is the size above which a file is only scanned raw: the
// config files and notebooks extractors are for are far smaller, and a
// multi-megabyte JSON is data whose structure would double the work.
const extractLimit = 4 << 20

// Piece is text an extractor made, with the way back to the raw bytes.
type Piece struct {
	Text []byte
	// Raw holds, for each byte of Text, the offset in the raw data of the
	// byte it came from (for an escape such as \n, the backslash), and one
	// more entry for the end of Text.
	Raw []int
}

// extract scans the pieces x makes of data and returns their findings at
// raw positions, leaving out what the raw scan (have) already found.
func (s *Stage) extract(x Extractor, o scan.Origin, data []byte, have []scan.Finding) []scan.Finding {
	pieces, err := safeExtract(x, data)
	if err != nil {
		return nil
	}
	raw := newLines(data)
	var out []scan.Finding
	// One finding per rule, secret and place: a value is written once as
	// itself and again as the pairs of a connection string in it.
	type at struct {
		rule, secret string
		line, col    int
	}
	seen := map[at]bool{}
	for _, p := range pieces {
		if len(p.Raw) != len(p.Text)+1 {
			continue // a broken map would point at the wrong bytes
		}
		text := newLines(p.Text)
		for _, f := range s.e.Scan(scan.Fragment{Origin: &o, Data: p.Text, Derived: true}) {
			last := len(p.Raw) - 1
			start := p.Raw[min(text.offset(f.Line, f.Column), last)]
			end := p.Raw[min(text.offset(f.EndLine, f.EndColumn), last)]
			f.Line, f.Column = raw.position(start)
			f.EndLine, f.EndColumn = raw.position(end)
			k := at{f.RuleID, f.Secret, f.Line, f.Column}
			if !seen[k] && !s.foundAt(have, f) && !scan.HasAllowMarker(raw.span(data, f.Line, f.EndLine)) {
				seen[k] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// foundAt reports whether the raw scan found f already: its rule on f's
// lines (with the escapes in its secret, perhaps), or, for a generic rule,
// any rule at the same place (a specific rule that read the raw bytes
// needs no generic echo). The raw finding stands, so fingerprints stay as
// they were.
func (s *Stage) foundAt(have []scan.Finding, f scan.Finding) bool {
	generic := false
	if r := s.e.Rules().Rule(f.RuleID); r != nil {
		generic = r.Generic
	}
	for _, g := range have {
		if g.Line > f.EndLine || f.Line > g.EndLine {
			continue
		}
		if g.RuleID == f.RuleID || generic && overlaps(g, f) {
			return true
		}
	}
	return false
}

// overlaps reports whether two findings' spans share a byte.
func overlaps(a, b scan.Finding) bool {
	before := func(l1, c1, l2, c2 int) bool { return l1 < l2 || l1 == l2 && c1 < c2 }
	return !before(a.EndLine, a.EndColumn, b.Line, b.Column) && !before(b.EndLine, b.EndColumn, a.Line, a.Column)
}

// superseded reports whether raw finding g, a generic rule's, is what an
// extracted finding of a specific rule found better at the same place: the
// first literal of a split key, or a key still JSON-escaped.
func (s *Stage) superseded(g scan.Finding, fs []scan.Finding) bool {
	r := s.e.Rules().Rule(g.RuleID)
	if r == nil || !r.Generic {
		return false
	}
	for _, f := range fs {
		fr := s.e.Rules().Rule(f.RuleID)
		if fr != nil && !fr.Generic && f.Line == g.Line && f.Column == g.Column {
			return true
		}
	}
	return false
}

// lines converts between byte offsets and 1-based line and column numbers
// (columns in bytes), as the engine reports them.
type lines struct{ starts []int }

func newLines(data []byte) lines {
	ls := lines{starts: []int{0}}
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return ls
		}
		i += j + 1
		ls.starts = append(ls.starts, i)
	}
}

func (l lines) offset(line, col int) int {
	if line < 1 {
		line = 1
	}
	if line > len(l.starts) {
		line = len(l.starts)
	}
	return l.starts[line-1] + max(col, 1) - 1
}

// span returns lines first to last of data, without the last newline:
// where an allow marker for a finding on them would be.
func (l lines) span(data []byte, first, last int) []byte {
	s := l.offset(first, 1)
	e := len(data)
	if last < len(l.starts) {
		e = l.starts[max(last, first)] - 1
	}
	return data[min(s, e):e]
}

func (l lines) position(off int) (line, col int) {
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	return i + 1, off - l.starts[i] + 1
}

// safeExtract runs x on data; a defect that panics in an extractor costs
// the file its structure-aware pass only, never the scan: the raw scan has
// already read every byte.
func safeExtract(x Extractor, data []byte) (pieces []Piece, err error) {
	defer func() {
		if v := recover(); v != nil {
			pieces, err = nil, fmt.Errorf("extractor %T: internal error", x)
		}
	}()
	return x.Extract(data)
}
