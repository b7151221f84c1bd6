package content

import (
	"bytes"
	"path"
	"strings"
)

// Literals is the extractor for source code: a string written as several
// adjacent literals, joined by + or by Python's implicit concatenation
// (inside parentheses, over lines), is joined again and written as
// "name = value" under the name it is assigned to, so
// SECRET = ("ZgW7…" + "xzvb…") reaches the rules whole. A single literal is
// left to the raw scan, which reads it in place.
//
// SingleQuotes picks the languages where ' quotes strings (Python,
// JavaScript, Ruby, PHP, HCL) over those where it quotes one character
// (Go, Java, C#, Rust, the C family): Extractors has one of each.
type Literals struct{ SingleQuotes bool }

var _ Extractor = Literals{}

// literalExts are the languages read, and whether ' quotes strings in them
// (in Rust, Java, C# and the C family it quotes one character). Go is left
// out: Go code that splits a key-shaped literal does it on purpose, in
// test fixtures that keep a fake key from matching (this repository's
// among them), and Go trees are large.
var literalExts = map[string]bool{
	".py": true, ".js": true, ".mjs": true, ".cjs": true, ".ts": true, ".jsx": true, ".tsx": true,
	".rb": true, ".php": true, ".groovy": true, ".gradle": true, ".tf": true, ".tfvars": true, ".hcl": true,
	".java": false, ".kt": false, ".scala": false, ".cs": false, ".swift": false, ".rs": false,
	".c": false, ".cc": false, ".cpp": false, ".h": false,
}

// Match reports whether name is source code in one of its languages.
func (l Literals) Match(name string, head []byte) bool {
	sq, ok := literalExts[strings.ToLower(path.Ext(name))]
	return ok && sq == l.SingleQuotes
}

// Extract finds runs of two or more literals. It tracks only strings and
// comments, not the grammar, so it can be fooled by odd code but never
// skips the file: the raw scan stands.
func (l Literals) Extract(data []byte) ([]Piece, error) {
	return literals(data, l.SingleQuotes), nil
}

// literals finds the runs in data; sq says whether ' quotes strings.
func literals(data []byte, sq bool) []Piece {
	var out pairs
	for i := 0; i < len(data); {
		j := bytes.IndexAny(data[i:], "\"'`/#")
		if j < 0 {
			break
		}
		i += j
		c := data[i]
		switch {
		case c == '/' && i+1 < len(data) && data[i+1] == '/', c == '#':
			k := bytes.IndexByte(data[i:], '\n')
			if k < 0 {
				return out.piece(data)
			}
			i += k
			continue
		case c == '/' && i+1 < len(data) && data[i+1] == '*':
			k := bytes.Index(data[i+2:], []byte("*/"))
			if k < 0 {
				return out.piece(data)
			}
			i += k + 4
			continue
		case c == '/':
			i++
			continue
		case c == '`':
			k := bytes.IndexByte(data[i+1:], '`')
			if k < 0 {
				return out.piece(data)
			}
			i += k + 2
			continue
		}
		first, end, ok := literal(data, i)
		if ok && c == '\'' && !sq {
			i = end // a character literal
			continue
		}
		if !ok {
			i++
			continue
		}
		run, n := first, 1
		for {
			k := skipJoin(data, end)
			if k >= len(data) || data[k] != '"' && (data[k] != '\'' || !sq) {
				break
			}
			next, e, ok := literal(data, k)
			if !ok {
				break
			}
			run.append(next)
			end, n = e, n+1
		}
		if n >= 2 && len(run.b) > 0 {
			if key, ok := literalKey(data, i); ok {
				out.add(key, run)
			} else {
				out.line(text{}, run)
			}
		}
		i = end
	}
	return out.piece(data)
}

// skipJoin skips what may stand between two literals of one string: blanks
// and line breaks, a +, a backslash continuing the line, and comments
// (Python allows them between the literals of a parenthesised string).
func skipJoin(data []byte, k int) int {
	for k < len(data) {
		switch c := data[k]; {
		case isSpace(c) || c == '+':
			k++
		case c == '\\' && k+1 < len(data) && (data[k+1] == '\n' || data[k+1] == '\r'):
			k++
		case c == '#' || c == '/' && k+1 < len(data) && data[k+1] == '/':
			e := bytes.IndexByte(data[k:], '\n')
			if e < 0 {
				return len(data)
			}
			k += e
		default:
			return k
		}
	}
	return k
}

// literal reads the one-line string literal starting with the quote at
// data[i], escapes decoded: its text and the offset after it. A quote
// that does not close on its line is not a literal.
func literal(data []byte, i int) (text, int, bool) {
	q := data[i]
	var t text
	for k := i + 1; k < len(data); k++ {
		c := data[k]
		switch c {
		case q:
			return t, k + 1, true
		case '\n':
			return text{}, 0, false
		case '\\':
			if k+1 >= len(data) || data[k+1] == '\n' {
				return text{}, 0, false
			}
			if r, n := yamlEscape(data, k); n > 0 {
				var p Piece
				appendRune(&p, r, k)
				t.append(text{p.Text, p.Raw})
				k += n - 1
				continue
			}
			t.appendByte(data[k+1], k)
			k++
		default:
			t.appendByte(c, k)
		}
	}
	return text{}, 0, false
}

// literalKey finds the name a run of literals starting at data[i] is
// assigned to: NAME = (, NAME := , "NAME": , NAME => , name= (a keyword
// argument), looking back over blanks and opening parentheses.
func literalKey(data []byte, i int) (text, bool) {
	k := i - 1
	back := func() {
		for k >= 0 && (isSpace(data[k]) || data[k] == '(') {
			k--
		}
	}
	back()
	if k < 0 {
		return text{}, false
	}
	switch {
	case data[k] == '=' && k > 0 && (data[k-1] == ':' || data[k-1] == '>'):
		k -= 2
	case data[k] == '>' && k > 0 && data[k-1] == '=':
		k -= 2
	case data[k] == '=' || data[k] == ':':
		if k > 0 && bytes.IndexByte([]byte("=!<>"), data[k-1]) >= 0 {
			return text{}, false // a comparison
		}
		k--
	default:
		return text{}, false
	}
	back()
	if k >= 0 && (data[k] == '"' || data[k] == '\'') {
		q := data[k]
		s := bytes.LastIndexByte(data[:k], q)
		if s < 0 || bytes.IndexByte(data[s:k], '\n') >= 0 {
			return text{}, false
		}
		return rawText(data, s+1, k), true
	}
	e := k + 1
	for k >= 0 && (isWord(data[k]) || data[k] == '.' || data[k] == '-') {
		k--
	}
	if k+1 >= e {
		return text{}, false
	}
	return rawText(data, k+1, e), true
}

func isWord(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
