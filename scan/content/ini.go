package content

import (
	"bytes"
	"path"
	"strings"
)

// INI is the extractor for INI-style files: .ini and .cfg, ~/.trussrc,
// ~/.pypirc, AWS credentials and config, .s3cfg, .boto. Each key's value,
// unquoted and with its indented continuation lines, is written as
// "key = value".
type INI struct{}

// Properties is the extractor for Java .properties files: key=value,
// key: value and "key value", with backslash escapes (\:, \=, \uXXXX) and
// a trailing backslash continuing a value on the next line.
type Properties struct{}

// TOML is the extractor for TOML files: basic strings with their escapes,
// literal strings and both multi-line forms, under their (last) key.
type TOML struct{}

var (
	_ Extractor = INI{}
	_ Extractor = Properties{}
	_ Extractor = TOML{}
)

// iniNames are INI-style files named without an .ini or .cfg extension.
var iniNames = map[string]bool{".trussrc": true, ".pypirc": true, "credentials": true, ".s3cfg": true, ".boto": true}

// Match reports whether name is an INI-style file.
func (INI) Match(name string, head []byte) bool {
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	low := strings.ToLower(base)
	switch path.Ext(low) {
	case ".ini", ".cfg":
		return true
	}
	return iniNames[low] || low == "config" && strings.Contains(name, ".aws/")
}

// Match reports whether name ends in .properties.
func (Properties) Match(name string, head []byte) bool {
	return strings.HasSuffix(strings.ToLower(name), ".properties")
}

// Match reports whether name ends in .toml.
func (TOML) Match(name string, head []byte) bool {
	return strings.HasSuffix(strings.ToLower(name), ".toml")
}

// Extract writes every key's value.
func (INI) Extract(data []byte) ([]Piece, error) {
	ls := splitLines(data)
	var out pairs
	for li := 0; li < len(ls); li++ {
		l := ls[li]
		s := l.start + indentOf(data, l)
		if s >= l.end || strings.IndexByte(";#[", data[s]) >= 0 || s > l.start {
			continue
		}
		sep := bytes.IndexAny(data[s:l.end], "=:")
		if sep <= 0 {
			continue
		}
		key := trimSpace(rawText(data, s, s+sep))
		val := trimSpace(rawText(data, s+sep+1, l.end))
		// configparser continues a value on lines indented below it.
		for li+1 < len(ls) && !blank(data, ls[li+1]) && indentOf(data, ls[li+1]) > 0 {
			li++
			n := ls[li]
			if len(val.b) > 0 {
				val.appendByte('\n', ls[li-1].end)
			}
			val.append(trimSpace(rawText(data, n.start, n.end)))
		}
		out.add(key, unquoteSimple(val))
	}
	return out.piece(data), nil
}

// unquoteSimple drops one pair of matching quotes around t.
func unquoteSimple(t text) text {
	if n := len(t.b); n >= 2 && (t.b[0] == '"' || t.b[0] == '\'') && t.b[n-1] == t.b[0] {
		return t.slice(1, n-1)
	}
	return t
}

// Extract writes every key's value, escapes decoded, continuations joined.
func (Properties) Extract(data []byte) ([]Piece, error) {
	ls := splitLines(data)
	var out pairs
	for li := 0; li < len(ls); li++ {
		l := ls[li]
		i := l.start
		for i < l.end && (data[i] == ' ' || data[i] == '\t' || data[i] == '\f') {
			i++
		}
		if i >= l.end || data[i] == '#' || data[i] == '!' {
			continue
		}
		var key, val text
		inKey, sepSeen := true, false
		for {
			for ; i < l.end; i++ {
				c := data[i]
				if c == '\\' && i+1 < l.end {
					dst := &val
					if inKey {
						dst = &key
					}
					r, n := propEscape(data, i)
					var p Piece
					appendRune(&p, r, i)
					dst.append(text{p.Text, p.Raw})
					i += n - 1
					continue
				}
				if c == '\\' && i+1 == l.end {
					break // a continuation
				}
				if inKey {
					if c == '=' || c == ':' || c == ' ' || c == '\t' {
						inKey = false
						sepSeen = c != ' ' && c != '\t'
						for i+1 < l.end && (data[i+1] == ' ' || data[i+1] == '\t' || !sepSeen && (data[i+1] == '=' || data[i+1] == ':')) {
							if data[i+1] == '=' || data[i+1] == ':' {
								sepSeen = true
							}
							i++
						}
						continue
					}
					key.appendByte(c, i)
					continue
				}
				val.appendByte(c, i)
			}
			cont := l.end > l.start && data[l.end-1] == '\\' && trailingBackslashes(data, l)%2 == 1
			if !cont || li+1 >= len(ls) {
				break
			}
			li++
			l = ls[li]
			i = l.start
			for i < l.end && (data[i] == ' ' || data[i] == '\t' || data[i] == '\f') {
				i++
			}
		}
		if len(key.b) > 0 {
			out.add(key, trimSpace(val))
		}
	}
	return out.piece(data), nil
}

func trailingBackslashes(data []byte, l span) int {
	n := 0
	for j := l.end - 1; j >= l.start && data[j] == '\\'; j-- {
		n++
	}
	return n
}

// propEscape decodes the .properties escape at data[i] (a backslash): the
// rune and the escape's length. An unknown escape stands for its letter.
func propEscape(data []byte, i int) (rune, int) {
	switch c := data[i+1]; c {
	case 't':
		return '\t', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 'f':
		return '\f', 2
	case 'u':
		if r := hexN(data, i+2, 4); r >= 0 {
			return r, 6
		}
		return 'u', 2
	default:
		return rune(c), 2
	}
}

// Extract writes every string value under its key (the last part of a
// dotted key).
func (TOML) Extract(data []byte) ([]Piece, error) {
	ls := splitLines(data)
	var out pairs
	for li := 0; li < len(ls); li++ {
		l := ls[li]
		s := l.start + indentOf(data, l)
		if s >= l.end || data[s] == '#' || data[s] == '[' {
			continue
		}
		eq := bytes.IndexByte(data[s:l.end], '=')
		if eq <= 0 {
			continue
		}
		key := unquoteSimple(trimSpace(rawText(data, s, s+eq)))
		if d := bytes.LastIndexByte(key.b, '.'); d >= 0 && d+1 < len(key.b) {
			key = trimSpace(key.slice(d+1, len(key.b)))
			key = unquoteSimple(key)
		}
		v := s + eq + 1
		for v < l.end && (data[v] == ' ' || data[v] == '\t') {
			v++
		}
		if v >= l.end {
			continue
		}
		val, end, ok := tomlString(data, v)
		if !ok {
			continue
		}
		out.add(key, val)
		for li+1 < len(ls) && ls[li+1].start < end {
			li++
		}
	}
	return out.piece(data), nil
}

// tomlString reads the TOML string starting at data[v]: its decoded text
// and the offset after it.
func tomlString(data []byte, v int) (text, int, bool) {
	q := data[v]
	if q != '"' && q != '\'' {
		return text{}, 0, false
	}
	multi := bytes.HasPrefix(data[v:], []byte{q, q, q})
	i := v + 1
	if multi {
		i = v + 3
		if i < len(data) && data[i] == '\n' {
			i++ // a newline right after the opening delimiter is trimmed
		} else if i+1 < len(data) && data[i] == '\r' && data[i+1] == '\n' {
			i += 2
		}
	}
	var t text
	for i < len(data) {
		c := data[i]
		switch {
		case multi && bytes.HasPrefix(data[i:], []byte{q, q, q}):
			return t, i + 3, true
		case !multi && c == q:
			return t, i + 1, true
		case !multi && c == '\n':
			return text{}, 0, false
		case c == '\\' && q == '"' && i+1 < len(data):
			if multi && (data[i+1] == '\n' || data[i+1] == '\r' || data[i+1] == ' ') {
				// A line-ending backslash joins the lines.
				j := i + 1
				for j < len(data) && isSpace(data[j]) {
					j++
				}
				i = j
				continue
			}
			r, n := yamlEscape(data, i)
			if n == 0 {
				switch data[i+1] {
				case 'b':
					r, n = '\b', 2
				case 'f':
					r, n = '\f', 2
				case 'e':
					r, n = 0x1b, 2
				default:
					return text{}, 0, false
				}
			}
			var p Piece
			appendRune(&p, r, i)
			t.append(text{p.Text, p.Raw})
			i += n
		default:
			t.appendByte(c, i)
			i++
		}
	}
	return text{}, 0, false
}
