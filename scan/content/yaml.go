package content

import (
	"bytes"
	"path"
	"strings"
)

// YAML is the extractor for YAML files (Kubernetes manifests, Helm values,
// CI and app configs). Values the raw lines do not show whole are joined
// and written as "key = value": block scalars (|, >, with chomping and
// indent indicators), double-quoted scalars continued over lines (with or
// without a trailing backslash) and their escapes, single-quoted and plain
// scalars that run over several lines. Connection strings in any value
// are split into their pairs.
type YAML struct{}

var _ Extractor = YAML{}

// Match reports whether name ends in .yaml or .yml.
func (YAML) Match(name string, head []byte) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".yaml", ".yml":
		return true
	}
	return false
}

// maxScalarLines bounds how far a quoted scalar is followed before the
// line is taken for something else (an unbalanced quote in a template).
const maxScalarLines = 64

// Extract reads the file line by line; what it does not recognise it
// leaves to the raw scan.
func (YAML) Extract(data []byte) ([]Piece, error) {
	ls := splitLines(data)
	var out pairs
	for li := 0; li < len(ls); li++ {
		l := ls[li]
		ind, key, v, ok := yamlKey(data, l)
		if !ok {
			continue
		}
		rest := bytes.TrimRight(data[v:l.end], " \t\r")
		if len(rest) == 0 {
			continue
		}
		var (
			val  text
			next = li
			full bool // the value is not what the raw line shows
		)
		switch rest[0] {
		case '|', '>':
			if !blockHeader(rest) {
				continue
			}
			val, next = yamlBlock(data, ls, li, ind, rest[0] == '>')
			full = true
		case '"', '\'':
			val, next, full = yamlQuoted(data, ls, li, v)
		default:
			val, next = yamlPlain(data, ls, li, ind, v)
			full = next > li
		}
		val = trimSpace(val)
		if len(val.b) > 0 {
			if full {
				out.add(key, val)
			} else {
				connPairs(val, out.line)
			}
		}
		li = next
	}
	return out.piece(data), nil
}

type span struct{ start, end int } // a line, without its newline

func splitLines(data []byte) []span {
	var ls []span
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			ls = append(ls, span{i, len(data)})
			break
		}
		ls = append(ls, span{i, i + j})
		i += j + 1
	}
	return ls
}

func indentOf(data []byte, l span) int {
	n := 0
	for l.start+n < l.end && data[l.start+n] == ' ' {
		n++
	}
	return n
}

func blank(data []byte, l span) bool {
	return len(bytes.TrimSpace(data[l.start:l.end])) == 0
}

// yamlKey finds "key:" on a line (after a "- " list marker, quoted or
// not) and returns the key's indentation, the key and where its value
// starts.
func yamlKey(data []byte, l span) (ind int, key text, v int, ok bool) {
	i := l.start + indentOf(data, l)
	for i+1 < l.end && data[i] == '-' && data[i+1] == ' ' {
		i += 2
		for i < l.end && data[i] == ' ' {
			i++
		}
	}
	ind = i - l.start
	if i >= l.end || data[i] == '#' {
		return 0, text{}, 0, false
	}
	ks, ke := i, -1
	if q := data[i]; q == '"' || q == '\'' {
		j := bytes.IndexByte(data[i+1:l.end], q)
		if j < 0 {
			return 0, text{}, 0, false
		}
		ks, ke = i+1, i+1+j
		i = ke + 1
		if i >= l.end || data[i] != ':' {
			return 0, text{}, 0, false
		}
	} else {
		for j := i; j < l.end; j++ {
			if data[j] == ':' && (j+1 == l.end || data[j+1] == ' ' || data[j+1] == '\t') {
				ke = j
				break
			}
			if data[j] == '#' && j > i && data[j-1] == ' ' {
				break
			}
		}
		if ke <= ks {
			return 0, text{}, 0, false
		}
		i = ke
	}
	v = i + 1
	for v < l.end && (data[v] == ' ' || data[v] == '\t') {
		v++
	}
	return ind, rawText(data, ks, ke), v, true
}

// blockHeader reports whether rest is a block scalar header: | or >, an
// optional indentation and chomping indicator, an optional comment.
func blockHeader(rest []byte) bool {
	i := 1
	for i < len(rest) && i < 3 && (rest[i] == '-' || rest[i] == '+' || rest[i] >= '1' && rest[i] <= '9') {
		i++
	}
	tail := bytes.TrimSpace(rest[i:])
	return len(tail) == 0 || tail[0] == '#'
}

// yamlBlock reads the block scalar whose header ends line li: the lines
// below it indented deeper than its key. Folded blocks join lines with a
// space. It returns the value and the last line it used.
func yamlBlock(data []byte, ls []span, li, keyInd int, folded bool) (text, int) {
	var t text
	bi, last := -1, li
	for j := li + 1; j < len(ls); j++ {
		l := ls[j]
		if blank(data, l) {
			continue
		}
		in := indentOf(data, l)
		if in <= keyInd {
			break
		}
		if bi < 0 {
			bi = in
		}
		if in < bi {
			break
		}
		if last > li {
			sep := byte('\n')
			if folded && j == last+1 && in == bi {
				sep = ' '
			}
			t.appendByte(sep, ls[j-1].end)
		}
		t.append(rawText(data, l.start+bi, l.end))
		last = j
	}
	return t, last
}

// yamlQuoted reads a quoted scalar starting at data[v], over as many lines
// as it runs: line breaks fold to a space, a backslash before one (double
// quotes) joins the lines, escapes are decoded. full says whether the value
// differs from its raw bytes (it ran over lines or held an escape).
func yamlQuoted(data []byte, ls []span, li, v int) (text, int, bool) {
	q := data[v]
	var t text
	line, full := li, false
	for i := v + 1; i < len(data); {
		c := data[i]
		switch {
		case c == q && q == '\'' && i+1 < len(data) && data[i+1] == '\'':
			t.appendByte('\'', i)
			i += 2
			full = true
		case c == q:
			return t, line, full
		case c == '\\' && q == '"' && i+1 < len(data):
			full = true
			e := data[i+1]
			if e == '\n' || e == '\r' {
				i = skipBreak(data, i+1)
				line++
				if line-li > maxScalarLines {
					return text{}, li, false
				}
				continue
			}
			if r, n := yamlEscape(data, i); n > 0 {
				var p Piece
				appendRune(&p, r, i)
				t.append(text{p.Text, p.Raw})
				i += n
				continue
			}
			t.appendByte(e, i)
			i += 2
		case c == '\n' || c == '\r':
			full = true
			// Folding: trailing blanks go, a line break is a space, an
			// empty line a newline.
			for len(t.b) > 0 && (t.b[len(t.b)-1] == ' ' || t.b[len(t.b)-1] == '\t') {
				t = t.slice(0, len(t.b)-1)
			}
			at, sep := i, byte(' ')
			i = skipBreak(data, i)
			line++
			for i < len(data) && (data[i] == '\n' || data[i] == '\r') {
				sep = '\n'
				i = skipBreak(data, i)
				line++
			}
			if line-li > maxScalarLines {
				return text{}, li, false
			}
			t.appendByte(sep, at)
		default:
			t.appendByte(c, i)
			i++
		}
	}
	return text{}, li, false
}

// skipBreak skips the line break at data[i] and the blanks that indent the
// next line.
func skipBreak(data []byte, i int) int {
	if data[i] == '\r' {
		i++
	}
	if i < len(data) && data[i] == '\n' {
		i++
	}
	for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
		i++
	}
	return i
}

// yamlEscape decodes the double-quoted escape at data[i] (a backslash):
// the rune and the escape's length, or 0 for one it does not know.
func yamlEscape(data []byte, i int) (rune, int) {
	switch data[i+1] {
	case 'n':
		return '\n', 2
	case 't', '\t':
		return '\t', 2
	case 'r':
		return '\r', 2
	case '0':
		return 0, 2
	case ' ', '"', '/', '\\':
		return rune(data[i+1]), 2
	case 'x':
		if r := hexN(data, i+2, 2); r >= 0 {
			return r, 4
		}
	case 'u':
		if r := hexN(data, i+2, 4); r >= 0 {
			return r, 6
		}
	case 'U':
		if r := hexN(data, i+2, 8); r >= 0 && r <= 0x10ffff {
			return r, 10
		}
	}
	return 0, 0
}

// yamlPlain reads a plain scalar starting at data[v] and the lines below
// it that continue it: indented deeper than the key, not a key or a list
// item or a comment themselves. Lines join with a space.
func yamlPlain(data []byte, ls []span, li, keyInd, v int) (text, int) {
	t := rawText(data, v, plainEnd(data, v, ls[li].end))
	switch data[v] {
	case '[', '{', '&', '*', '!', '#', '%', '@', '`':
		return t, li
	}
	last := li
	for j := li + 1; j < len(ls) && j-li <= maxScalarLines; j++ {
		l := ls[j]
		if blank(data, l) || indentOf(data, l) <= keyInd {
			break
		}
		s := l.start + indentOf(data, l)
		line := data[s:l.end]
		if line[0] == '#' || line[0] == '-' && (len(line) == 1 || line[1] == ' ') || bytes.Contains(line, []byte(": ")) || bytes.HasSuffix(bytes.TrimRight(line, " \t\r"), []byte(":")) {
			break
		}
		t.appendByte(' ', ls[j-1].end)
		t.append(rawText(data, s, plainEnd(data, s, l.end)))
		last = j
	}
	return t, last
}

// plainEnd is where a plain scalar's text on a line ends: before a " #"
// comment and trailing blanks.
func plainEnd(data []byte, s, e int) int {
	if j := bytes.Index(data[s:e], []byte(" #")); j >= 0 {
		e = s + j
	}
	for e > s && (data[e-1] == ' ' || data[e-1] == '\t' || data[e-1] == '\r') {
		e--
	}
	return e
}
