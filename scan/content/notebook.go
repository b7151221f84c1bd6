package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Notebook is the extractor for Jupyter notebooks (.ipynb). A notebook
// stores each cell's source and each output's text as a JSON array of
// lines, so a key pasted into a cell is cut into quoted, escaped pieces
// ("-----BEGIN…\n", "MIIE…\n", …) that no multi-line rule matches in the
// raw bytes. Each such array becomes one piece of text, the lines joined
// and unescaped, mapped back to the raw bytes.
type Notebook struct{}

var _ Extractor = Notebook{}

// Match reports whether name ends in .ipynb.
func (Notebook) Match(name string, head []byte) bool {
	return strings.HasSuffix(strings.ToLower(name), ".ipynb")
}

// Extract returns one piece per "source" or "text" array of strings.
func (Notebook) Extract(data []byte) ([]Piece, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	// The stack holds, per open object or array, the key it sits under.
	type frame struct {
		array bool
		key   string
	}
	var (
		stack  []frame
		key    string // the last object key read, for the value after it
		expect = true // in an object: the next string is a key
		piece  *Piece
		pieces []Piece
	)
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return pieces, nil
		}
		if err != nil {
			return nil, err
		}
		inObject := len(stack) > 0 && !stack[len(stack)-1].array
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				under := ""
				if inObject {
					under = key
				}
				stack = append(stack, frame{array: t == '[', key: under})
				expect = t == '{'
				if t == '[' && (under == "source" || under == "text") {
					piece = &Piece{}
				}
			case '}', ']':
				if t == ']' && piece != nil {
					piece.Raw = append(piece.Raw, int(dec.InputOffset())-1)
					if len(piece.Text) > 0 {
						pieces = append(pieces, *piece)
					}
					piece = nil
				}
				stack = stack[:len(stack)-1]
				expect = len(stack) > 0 && !stack[len(stack)-1].array
			}
			continue
		case string:
			if inObject && expect {
				key, expect = t, false
				continue
			}
			top := len(stack) > 0 && stack[len(stack)-1].array
			if piece != nil && top {
				start := before + int64(bytes.IndexByte(data[before:], '"'))
				if _, ok := unquote(data, int(start), piece); !ok {
					return nil, errors.New("notebook: cannot map a string back to its bytes")
				}
			}
		}
		if inObject {
			expect = true
		}
	}
}

// unquote appends the JSON string starting with the quote at data[start]
// to p, with the raw offset of each byte it appends, and returns the offset
// after the closing quote.
func unquote(data []byte, start int, p *Piece) (int, bool) {
	if start < 0 || start >= len(data) || data[start] != '"' {
		return 0, false
	}
	for i := start + 1; i < len(data); {
		c := data[i]
		switch {
		case c == '"':
			return i + 1, true
		case c != '\\':
			p.Text = append(p.Text, c)
			p.Raw = append(p.Raw, i)
			i++
			continue
		}
		if i+1 >= len(data) {
			return 0, false
		}
		var r rune
		n := 2
		switch data[i+1] {
		case 'n':
			r = '\n'
		case 't':
			r = '\t'
		case 'r':
			r = '\r'
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case '"', '\\', '/':
			r = rune(data[i+1])
		case 'u':
			r, n = hex4(data, i+2), 6
			if utf16.IsSurrogate(r) {
				if r2 := hex4(data, i+8); i+7 < len(data) && data[i+6] == '\\' && data[i+7] == 'u' && r2 >= 0 {
					r, n = utf16.DecodeRune(r, r2), 12
				}
			}
			if r < 0 {
				return 0, false
			}
		default:
			return 0, false
		}
		appendRune(p, r, i)
		i += n
	}
	return 0, false
}

// appendRune appends r, UTF-8 encoded, to p, every byte mapped to raw
// offset at.
func appendRune(p *Piece, r rune, at int) {
	var buf [utf8.UTFMax]byte
	for _, b := range buf[:utf8.EncodeRune(buf[:], r)] {
		p.Text = append(p.Text, b)
		p.Raw = append(p.Raw, at)
	}
}

// hex4 decodes four hex digits at data[i:], or returns -1.
func hex4(data []byte, i int) rune { return hexN(data, i, 4) }

// hexN decodes n hex digits at data[i:], or returns -1.
func hexN(data []byte, i, n int) rune {
	if i < 0 || i+n > len(data) {
		return -1
	}
	var r rune
	for _, c := range data[i : i+n] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return -1
		}
	}
	return r
}
