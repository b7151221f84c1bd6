package config

import (
	"regexp"
	"strconv"
	"strings"
)

// locator finds the lines of tables and keys in a TOML file's text, so
// errors can name a line: the decoder's metadata names keys, not positions.
// It reads the text line by line and skips multi-line strings.
type locator struct {
	lines []string // lines[i] is line i+1; lines inside multi-line strings are blank
	// headers caches tables' answers: a file with many rules asks for
	// the same array of tables once per rule.
	headers map[string][]int
}

func newLocator(data []byte) *locator {
	raw := strings.Split(string(data), "\n")
	l := &locator{lines: make([]string, len(raw)), headers: map[string][]int{}}
	open := "" // the delimiter of a multi-line string that is open
	for i, s := range raw {
		if open != "" {
			if strings.Count(s, open)%2 == 1 {
				open = ""
			}
			continue
		}
		l.lines[i] = s
		for _, d := range []string{`'''`, `"""`} {
			if strings.Count(s, d)%2 == 1 {
				open = d
				break
			}
		}
	}
	return l
}

// header reports the table header on a line: its name and whether it is an
// array-of-tables header.
func header(s string) (name string, array bool, ok bool) {
	t := strings.TrimSpace(s)
	if i := strings.Index(t, "#"); i >= 0 && !strings.ContainsAny(t[:i], `"'`) {
		t = strings.TrimSpace(t[:i])
	}
	switch {
	case strings.HasPrefix(t, "[[") && strings.HasSuffix(t, "]]"):
		return normKey(t[2 : len(t)-2]), true, true
	case strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]"):
		return normKey(t[1 : len(t)-1]), false, true
	}
	return "", false, false
}

// normKey removes spaces and quotes from a dotted key.
func normKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// tables returns the 1-based lines of every header named name, in order.
func (l *locator) tables(name string, array bool) []int {
	key := name + "\x00" + strconv.FormatBool(array)
	if out, ok := l.headers[key]; ok {
		return out
	}
	out := []int{}
	defer func() { l.headers[key] = out }()
	for i, s := range l.lines {
		if n, a, ok := header(s); ok && n == name && a == array {
			out = append(out, i+1)
		}
	}
	return out
}

// span returns the lines [from, to) that table element idx of the array of
// tables name covers, including its sub-tables; from is 0 when unknown.
func (l *locator) span(name string, idx int) (from, to int) {
	starts := l.tables(name, true)
	if idx < 0 || idx >= len(starts) {
		return 0, 0
	}
	from = starts[idx]
	for i := from; i < len(l.lines); i++ {
		n, _, ok := header(l.lines[i])
		if ok && n != name && !strings.HasPrefix(n, name+".") || ok && n == name {
			return from, i + 1
		}
	}
	return from, len(l.lines) + 1
}

// tableSpan returns the lines of a plain table [name] up to the next header.
func (l *locator) tableSpan(name string) (from, to int) {
	starts := l.tables(name, false)
	if len(starts) == 0 {
		return 0, 0
	}
	from = starts[0]
	for i := from; i < len(l.lines); i++ {
		if _, _, ok := header(l.lines[i]); ok {
			return from, i + 1
		}
	}
	return from, len(l.lines) + 1
}

// key returns the first line in [from, to) that assigns key, or holds a
// table header ending in it; to 0 means the end of the file. It returns 0
// when the key is not found.
func (l *locator) key(from, to int, key string) int {
	if from <= 0 {
		from = 1
	}
	if to <= 0 || to > len(l.lines)+1 {
		to = len(l.lines) + 1
	}
	assign := regexp.MustCompile(`^\s*(?:[A-Za-z0-9_"'-]+\s*\.\s*)*["']?` + regexp.QuoteMeta(key) + `["']?\s*=`)
	for i := from; i < to; i++ {
		s := l.lines[i-1]
		if assign.MatchString(s) {
			return i
		}
		if n, _, ok := header(s); ok && (n == key || strings.HasSuffix(n, "."+key)) {
			return i
		}
	}
	return 0
}

// value returns the first line in [from, to) that holds the quoted text v,
// to place errors about one element of an array.
func (l *locator) value(from, to int, v string) int {
	if from <= 0 {
		from = 1
	}
	if to <= 0 || to > len(l.lines)+1 {
		to = len(l.lines) + 1
	}
	for i := from; i < to; i++ {
		s := l.lines[i-1]
		for _, q := range []string{`"` + v + `"`, `'` + v + `'`, `'''` + v + `'''`, strconv.Quote(v)} {
			if strings.Contains(s, q) {
				return i
			}
		}
	}
	return 0
}

// lineOfDecodeError digs the line out of a decoder error's text, for the
// type errors that are not toml.ParseError values.
var decodeErrLine = regexp.MustCompile(`^toml: line (\d+)`)

func lineOfDecodeError(msg string) int {
	m := decodeErrLine.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
