package content

import (
	"bytes"
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
	return []Extractor{Notebook{}}
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
	pieces, err := x.Extract(data)
	if err != nil {
		return nil
	}
	raw := newLines(data)
	var out []scan.Finding
	for _, p := range pieces {
		if len(p.Raw) != len(p.Text)+1 {
			continue // a broken map would point at the wrong bytes
		}
		text := newLines(p.Text)
		for _, f := range s.e.Scan(scan.Fragment{Origin: &o, Data: p.Text}) {
			last := len(p.Raw) - 1
			start := p.Raw[min(text.offset(f.Line, f.Column), last)]
			end := p.Raw[min(text.offset(f.EndLine, f.EndColumn), last)]
			f.Line, f.Column = raw.position(start)
			f.EndLine, f.EndColumn = raw.position(end)
			if !foundAt(have, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// foundAt reports whether the raw scan found f's rule on f's lines
// already (with the escapes in its secret, perhaps): the raw finding
// stands, so fingerprints stay as they were.
func foundAt(have []scan.Finding, f scan.Finding) bool {
	for _, g := range have {
		if g.RuleID == f.RuleID && g.Line <= f.EndLine && f.Line <= g.EndLine {
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

func (l lines) position(off int) (line, col int) {
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	return i + 1, off - l.starts[i] + 1
}
