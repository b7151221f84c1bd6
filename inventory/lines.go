package inventory

import (
	"strings"
)

// lineIndex locates [[secret]] tables and their keys in the TOML text, so
// problems found after decoding can name a line. The TOML decoder keeps
// positions to itself, and for arrays of tables it remembers only the last
// occurrence of a key, so this small scanner recovers them: it follows
// multi-line strings and comments well enough to find headers and keys.
type lineIndex struct {
	// tables holds the header line of each [[secret]] table, in order.
	tables []int
	// keys holds every "key =" line, with the [[secret]] table it is in
	// (-1 outside one) and the header it follows.
	keys []keyLine
	// byTable indexes keys by their [[secret]] table.
	byTable map[int][]keyLine
	// headers maps any other table header (e.g. "secrets") to its line.
	headers []keyLine
}

type keyLine struct {
	key   string
	line  int
	table int
}

func indexLines(src string) *lineIndex {
	li := &lineIndex{byTable: map[int][]keyLine{}}
	table := -1
	inML := "" // the delimiter of the multi-line string we are in
	for n, line := range strings.Split(src, "\n") {
		ln := n + 1
		if inML != "" {
			if i := strings.Index(line, inML); i >= 0 {
				line = line[i+len(inML):]
				inML = ""
			} else {
				continue
			}
		}
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		if strings.HasPrefix(t, "[") {
			h := headerName(t)
			if h == "secret" && strings.HasPrefix(t, "[[") {
				table = len(li.tables)
				li.tables = append(li.tables, ln)
			} else {
				if !strings.HasPrefix(h, "secret.") {
					table = -1
				}
				li.headers = append(li.headers, keyLine{key: h, line: ln, table: table})
			}
			continue
		}
		eq := strings.IndexByte(t, '=')
		if eq <= 0 {
			continue
		}
		key := strings.Trim(strings.TrimSpace(t[:eq]), `"'`)
		kl := keyLine{key: key, line: ln, table: table}
		li.keys = append(li.keys, kl)
		li.byTable[table] = append(li.byTable[table], kl)
		rest := t[eq+1:]
		for _, d := range []string{`"""`, `'''`} {
			if i := strings.Index(rest, d); i >= 0 && !strings.Contains(rest[i+3:], d) {
				inML = d
				break
			}
		}
	}
	return li
}

// headerName returns the dotted name of a [table] or [[array]] header.
func headerName(t string) string {
	t = strings.TrimLeft(t, "[")
	if i := strings.IndexByte(t, ']'); i >= 0 {
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// table returns the header line of the i-th [[secret]] table, or 0.
func (li *lineIndex) table(i int) int {
	if i >= 0 && i < len(li.tables) {
		return li.tables[i]
	}
	return 0
}

// key returns the line of key within the i-th [[secret]] table, falling
// back to the table's header line.
func (li *lineIndex) key(i int, key string) int {
	for _, k := range li.byTable[i] {
		if k.key == key {
			return k.line
		}
	}
	for _, h := range li.headers {
		if h.table == i && h.key == "secret."+key {
			return h.line
		}
	}
	return li.table(i)
}

// anywhere returns the first line that sets key or opens a table named
// by the dotted path, or 0. It places unknown keys the decoder reports
// without an entry index.
func (li *lineIndex) anywhere(path []string) int {
	full := strings.Join(path, ".")
	last := path[len(path)-1]
	for _, h := range li.headers {
		if h.key == full {
			return h.line
		}
	}
	for _, k := range li.keys {
		if k.key == last || k.key == full {
			return k.line
		}
	}
	return 0
}
