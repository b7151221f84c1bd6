package content

import (
	"bytes"
	"path"
	"strings"
)

// XML is the extractor for XML configuration (web.config, app.config,
// Maven settings.xml, Spring and Hibernate files). Entities are decoded and
// three shapes become "key = value": an element holding only text
// (<password>…</password>), an attribute (password="…",
// connectionString="…", split into its pairs), and the appSettings form
// <add key="DbPassword" value="…"/>.
type XML struct{}

var _ Extractor = XML{}

// Match reports whether name ends in .xml or .config.
func (XML) Match(name string, head []byte) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".xml", ".config":
		return true
	}
	return false
}

// Extract scans tags in order; a file it cannot follow yields what it read
// until then.
func (XML) Extract(data []byte) ([]Piece, error) {
	var (
		out     pairs
		open    []byte // the name of the last start tag
		textAt  = -1   // where its text starts
		element text
	)
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '<')
		if j < 0 {
			break
		}
		i += j
		switch {
		case bytes.HasPrefix(data[i:], []byte("<!--")):
			k := bytes.Index(data[i:], []byte("-->"))
			if k < 0 {
				return out.piece(data), nil
			}
			i += k + 3
			continue
		case bytes.HasPrefix(data[i:], []byte("<![CDATA[")):
			k := bytes.Index(data[i:], []byte("]]>"))
			if k < 0 {
				return out.piece(data), nil
			}
			if textAt >= 0 {
				element.append(rawText(data, i+9, i+k))
			}
			i += k + 3
			continue
		case bytes.HasPrefix(data[i:], []byte("<?")), bytes.HasPrefix(data[i:], []byte("<!")):
			k := bytes.IndexByte(data[i:], '>')
			if k < 0 {
				return out.piece(data), nil
			}
			i += k + 1
			continue
		}
		if textAt >= 0 {
			element.append(xmlText(data, textAt, i))
		}
		if i+1 < len(data) && data[i+1] == '/' {
			name, end := xmlName(data, i+2)
			if textAt >= 0 && bytes.Equal(name, open) {
				out.add(rawText(data, i+2, i+2+len(name)), trimSpace(element))
			}
			open, textAt, element = nil, -1, text{}
			k := bytes.IndexByte(data[end:], '>')
			if k < 0 {
				break
			}
			i = end + k + 1
			continue
		}
		name, end := xmlName(data, i+1)
		if len(name) == 0 {
			i++
			continue
		}
		end, closed := xmlAttrs(data, end, &out)
		if end < 0 {
			break
		}
		open, textAt, element = name, -1, text{}
		if !closed {
			textAt = end
		}
		i = end
	}
	return out.piece(data), nil
}

func xmlName(data []byte, i int) ([]byte, int) {
	j := i
	for j < len(data) && !isSpace(data[j]) && data[j] != '>' && data[j] != '/' && data[j] != '=' && data[j] != '<' {
		j++
	}
	return data[i:j], j
}

type xmlAttr struct{ name, val text }

// xmlAttrs reads a start tag's attributes from data[i] to its '>', writes
// them, and returns the offset after the tag and whether it closed itself.
func xmlAttrs(data []byte, i int, out *pairs) (int, bool) {
	var attrs []xmlAttr
	for i < len(data) {
		for i < len(data) && isSpace(data[i]) {
			i++
		}
		if i >= len(data) {
			return -1, false
		}
		switch data[i] {
		case '>':
			writeAttrs(attrs, out)
			return i + 1, false
		case '/':
			if i+1 < len(data) && data[i+1] == '>' {
				writeAttrs(attrs, out)
				return i + 2, true
			}
			i++
			continue
		}
		ns, ne := xmlName(data, i)
		if len(ns) == 0 {
			i++
			continue
		}
		i = ne
		for i < len(data) && isSpace(data[i]) {
			i++
		}
		if i >= len(data) || data[i] != '=' {
			continue
		}
		i++
		for i < len(data) && isSpace(data[i]) {
			i++
		}
		if i >= len(data) || data[i] != '"' && data[i] != '\'' {
			continue
		}
		q := data[i]
		k := bytes.IndexByte(data[i+1:], q)
		if k < 0 {
			return -1, false
		}
		attrs = append(attrs, xmlAttr{rawText(data, ne-len(ns), ne), xmlText(data, i+1, i+1+k)})
		i += k + 2
	}
	return -1, false
}

// writeAttrs writes a tag's attributes; in the appSettings form
// (key="…" or name="…" beside value="…") the value goes under the key's
// value.
func writeAttrs(attrs []xmlAttr, out *pairs) {
	var key, val *text
	for k := range attrs {
		switch strings.ToLower(string(attrs[k].name.b)) {
		case "key", "name":
			key = &attrs[k].val
		case "value":
			val = &attrs[k].val
		}
	}
	if key != nil && val != nil && len(key.b) > 0 {
		out.add(*key, *val)
		return
	}
	for _, a := range attrs {
		out.add(a.name, a.val)
	}
}

// xmlText decodes the entities of data[s:e].
func xmlText(data []byte, s, e int) text {
	if bytes.IndexByte(data[s:e], '&') < 0 {
		return rawText(data, s, e)
	}
	var t text
	for i := s; i < e; {
		if data[i] == '&' {
			if k := bytes.IndexByte(data[i:e], ';'); k > 1 && k < 10 {
				if r, ok := xmlEntity(data[i+1 : i+k]); ok {
					var p Piece
					appendRune(&p, r, i)
					t.append(text{p.Text, p.Raw})
					i += k + 1
					continue
				}
			}
		}
		t.appendByte(data[i], i)
		i++
	}
	return t
}

func xmlEntity(name []byte) (rune, bool) {
	switch string(name) {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(name) > 1 && name[0] == '#' {
		var r rune
		digits, base := name[1:], rune(10)
		if digits[0] == 'x' || digits[0] == 'X' {
			digits, base = digits[1:], 16
		}
		if len(digits) == 0 {
			return 0, false
		}
		for _, c := range digits {
			var d rune
			switch {
			case c >= '0' && c <= '9':
				d = rune(c - '0')
			case base == 16 && c >= 'a' && c <= 'f':
				d = rune(c-'a') + 10
			case base == 16 && c >= 'A' && c <= 'F':
				d = rune(c-'A') + 10
			default:
				return 0, false
			}
			r = r*base + d
		}
		return r, r > 0 && r <= 0x10ffff
	}
	return 0, false
}
