package logs

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// maxMarks bounds the offset map of one window. Past it the rest of the
// window is passed through untransformed, so a pathological line (all
// escapes) cannot grow the map without limit.
const maxMarks = 1 << 18

// mark records where the view and the raw bytes fall out of step. At view
// offset v a start maps to raw offset ra and an end (exclusive) to raw
// offset rb; between marks both advance together.
type mark struct{ v, rb, ra int32 }

// view is the text the rules see for a window of raw log bytes: ANSI escape
// sequences removed and JSON string escapes resolved. Newlines are never
// added or removed, so line numbers agree with the raw bytes.
type view struct {
	data  []byte // the text to match; the raw bytes when nothing changed
	marks []mark
	buf   []byte // reused output buffer
}

// reset prepares the view of raw. The view's data is valid until the next
// call.
func (x *view) reset(raw []byte) {
	x.marks = x.marks[:0]
	sp := specials{b: raw, esc: -1, bs: -1}
	first := sp.next(0)
	if first < 0 {
		x.data = raw
		return
	}
	out := x.buf[:0]
	if cap(out) < len(raw) {
		out = make([]byte, 0, len(raw))
	}
	out = append(out, raw[:first]...)
	for i := first; i < len(raw); {
		if len(x.marks) >= maxMarks {
			out = append(out, raw[i:]...)
			break
		}
		var j int
		var dec []byte
		var ok bool
		switch raw[i] {
		case 0x1b:
			j, ok = ansiEnd(raw, i)
		case '\\':
			j, dec, ok = unescape(raw, i)
		}
		if !ok {
			out = append(out, raw[i])
			i++
		} else {
			x.add(mark{v: int32(len(out)), rb: int32(i), ra: int32(i)})
			if len(dec) == 0 {
				// A deletion: an end here stays before it, a start moves past it.
				x.marks[len(x.marks)-1].ra = int32(j)
			} else {
				out = append(out, dec...)
				x.add(mark{v: int32(len(out)), rb: int32(j), ra: int32(j)})
			}
			i = j
		}
		n := sp.next(i)
		if n < 0 {
			out = append(out, raw[i:]...)
			break
		}
		out = append(out, raw[i:n]...)
		i = n
	}
	x.buf = out
	x.data = out
}

// add appends a mark, merging it with a previous one at the same view
// offset: the earlier end and the later start win.
func (x *view) add(m mark) {
	if n := len(x.marks); n > 0 && x.marks[n-1].v == m.v {
		x.marks[n-1].ra = m.ra
		return
	}
	x.marks = append(x.marks, m)
}

// start maps a view offset where a match starts to a raw offset.
func (x *view) start(v int) int {
	i := sort.Search(len(x.marks), func(i int) bool { return int(x.marks[i].v) > v }) - 1
	if i < 0 {
		return v
	}
	m := x.marks[i]
	return int(m.ra) + v - int(m.v)
}

// end maps a view offset where a match ends (exclusive) to a raw offset.
func (x *view) end(v int) int {
	i := sort.Search(len(x.marks), func(i int) bool { return int(x.marks[i].v) > v }) - 1
	if i < 0 {
		return v
	}
	m := x.marks[i]
	if int(m.v) == v {
		return int(m.rb)
	}
	return int(m.ra) + v - int(m.v)
}

// specials finds ESC and backslash bytes with the vectorised IndexByte,
// remembering the next of each so neither is searched for twice.
type specials struct {
	b       []byte
	esc, bs int // next index of each at or after the last search; -1 unknown
	noEsc   bool
	noBS    bool
}

// next returns the index of the next ESC or backslash at or after i, or -1.
func (s *specials) next(i int) int {
	if !s.noEsc && s.esc < i {
		if k := bytes.IndexByte(s.b[i:], 0x1b); k >= 0 {
			s.esc = i + k
		} else {
			s.noEsc = true
		}
	}
	if !s.noBS && s.bs < i {
		if k := bytes.IndexByte(s.b[i:], '\\'); k >= 0 {
			s.bs = i + k
		} else {
			s.noBS = true
		}
	}
	switch {
	case s.noEsc && s.noBS:
		return -1
	case s.noEsc:
		return s.bs
	case s.noBS:
		return s.esc
	}
	return min(s.esc, s.bs)
}

const (
	maxCSI = 64
	maxOSC = 2048
)

// ansiEnd returns the end of the ANSI escape sequence at b[i] (an ESC). It
// never consumes a newline.
func ansiEnd(b []byte, i int) (int, bool) {
	if i+1 >= len(b) {
		return 0, false
	}
	switch c := b[i+1]; {
	case c == '[': // CSI: parameters, intermediates, one final byte
		j := i + 2
		for j < len(b) && j-i < maxCSI && b[j] >= 0x30 && b[j] <= 0x3f {
			j++
		}
		for j < len(b) && j-i < maxCSI && b[j] >= 0x20 && b[j] <= 0x2f {
			j++
		}
		if j < len(b) && b[j] >= 0x40 && b[j] <= 0x7e {
			return j + 1, true
		}
		return j, true // malformed: drop what was read
	case c == ']': // OSC: up to BEL or ESC \
		for j := i + 2; j < len(b) && j-i < maxOSC; j++ {
			switch b[j] {
			case 0x07:
				return j + 1, true
			case 0x1b:
				if j+1 < len(b) && b[j+1] == '\\' {
					return j + 2, true
				}
				return j, true
			case '\n':
				return j, true
			}
		}
		return 0, false
	case c >= 0x20 && c <= 0x2f: // nF: intermediates then a final byte
		j := i + 2
		for j < len(b) && b[j] >= 0x20 && b[j] <= 0x2f {
			j++
		}
		if j < len(b) && b[j] >= 0x30 && b[j] <= 0x7e {
			return j + 1, true
		}
		return 0, false
	case c >= 0x40 && c <= 0x7e: // Fe, Fp, Fs: one byte
		return i + 2, true
	}
	return 0, false
}

// unescape resolves the JSON-style escape at b[i] (a backslash). A run of
// backslashes is taken as one escape, so a string nested in a string in a
// string is resolved in one pass. Escaped newlines and tabs become a space:
// the view must not gain lines, and a space still ends a token.
func unescape(b []byte, i int) (end int, dec []byte, ok bool) {
	j := i
	for j < len(b) && b[j] == '\\' {
		j++
	}
	if j == len(b) {
		return 0, nil, false
	}
	switch c := b[j]; c {
	case '"', '/', '\'':
		return j + 1, b[j : j+1], true
	case 'n', 'r', 't', 'b', 'f':
		return j + 1, space, true
	case 'u':
		r, k, ok := hex4(b, j+1)
		if !ok {
			break
		}
		if utf16IsHigh(r) {
			// A surrogate pair: \uD83D\uDE00, each with its own backslashes.
			m := k
			for m < len(b) && b[m] == '\\' {
				m++
			}
			if m > k && m < len(b) && b[m] == 'u' {
				if lo, k2, ok := hex4(b, m+1); ok && lo >= 0xdc00 && lo <= 0xdfff {
					r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
					k = k2
				}
			}
		}
		if r < 0x20 || r == 0x7f {
			return k, space, true
		}
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		var tmp [utf8.UTFMax]byte
		n := utf8.EncodeRune(tmp[:], r)
		return k, append([]byte(nil), tmp[:n]...), true
	}
	if j-i > 1 {
		return j, b[i : i+1], true // \\\\ collapses to one backslash
	}
	return 0, nil, false
}

var space = []byte{' '}

func utf16IsHigh(r rune) bool { return r >= 0xd800 && r <= 0xdbff }

func hex4(b []byte, i int) (rune, int, bool) {
	if i+4 > len(b) {
		return 0, 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, i + 4, true
}
