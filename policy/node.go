package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxDocs bounds how many YAML documents one file may hold.
const maxDocs = 10000

// parseYAML decodes every document of a YAML stream into nodes with line
// numbers. Empty documents are dropped.
func parseYAML(data []byte) (docs []*yaml.Node, err error) {
	defer func() {
		if p := recover(); p != nil {
			docs, err = nil, fmt.Errorf("yaml parser failed: %v", p)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for len(docs) < maxDocs {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			return nil, fmt.Errorf("parse yaml: %w", err)
		}
		if r := root(&n); r != nil {
			docs = append(docs, r)
		}
	}
	return docs, nil
}

// parseJSON decodes a JSON document with encoding/json into the same node
// tree the YAML checks walk, keeping each value's line and column.
func parseJSON(data []byte) (n *yaml.Node, err error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jsonTree{data: data, dec: dec, lines: newLines(data)}
	n, err = p.value()
	if err != nil {
		return nil, fmt.Errorf("parse json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse json: unexpected data after the top-level value at line %d", p.lines.line(int(dec.InputOffset())))
	}
	return n, nil
}

type jsonTree struct {
	data  []byte
	dec   *json.Decoder
	lines lineIndex
	prev  int
	depth int
}

// next reads a token and the offset where it starts.
func (p *jsonTree) next() (json.Token, int, error) {
	start := p.prev
	for start < len(p.data) {
		c := p.data[start]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' {
			start++
			continue
		}
		break
	}
	t, err := p.dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, 0, err
	}
	p.prev = int(p.dec.InputOffset())
	return t, start, nil
}

func (p *jsonTree) value() (*yaml.Node, error) {
	t, off, err := p.next()
	if err != nil {
		return nil, err
	}
	return p.build(t, off)
}

func (p *jsonTree) build(t json.Token, off int) (*yaml.Node, error) {
	line, col := p.lines.pos(off)
	n := &yaml.Node{Line: line, Column: col}
	switch v := t.(type) {
	case json.Delim:
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > 500 {
			return nil, fmt.Errorf("nesting deeper than 500 at line %d", line)
		}
		switch v {
		case '{':
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
			for {
				kt, koff, err := p.next()
				if err != nil {
					return nil, err
				}
				if d, ok := kt.(json.Delim); ok && d == '}' {
					return n, nil
				}
				k, err := p.build(kt, koff)
				if err != nil {
					return nil, err
				}
				val, err := p.value()
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, k, val)
			}
		case '[':
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
			for {
				it, ioff, err := p.next()
				if err != nil {
					return nil, err
				}
				if d, ok := it.(json.Delim); ok && d == ']' {
					return n, nil
				}
				val, err := p.build(it, ioff)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, val)
			}
		}
		return nil, fmt.Errorf("unexpected %q at line %d", v, line)
	case string:
		n.Kind, n.Tag, n.Value, n.Style = yaml.ScalarNode, "!!str", v, yaml.DoubleQuotedStyle
	case json.Number:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", v.String()
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", fmt.Sprint(v)
	case nil:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!null", "null"
	}
	return n, nil
}

// lineIndex maps byte offsets to 1-based lines and columns.
type lineIndex []int

func newLines(data []byte) lineIndex {
	ix := lineIndex{0}
	for i, c := range data {
		if c == '\n' {
			ix = append(ix, i+1)
		}
	}
	return ix
}

func (ix lineIndex) line(off int) int {
	l, _ := ix.pos(off)
	return l
}

func (ix lineIndex) pos(off int) (line, col int) {
	lo, hi := 0, len(ix)
	for lo+1 < hi {
		m := (lo + hi) / 2
		if ix[m] <= off {
			lo = m
		} else {
			hi = m
		}
	}
	return lo + 1, off - ix[lo] + 1
}

// root returns the content of a document node, resolving an alias.
func root(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = n.Content[0]
	}
	return deref(n)
}

// deref follows aliases (bounded, so a hostile file cannot loop).
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// get returns the value under key in a mapping, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := deref(m.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
			return deref(m.Content[i+1])
		}
	}
	return nil
}

// keyNode returns the key node of key in a mapping, or nil.
func keyNode(m *yaml.Node, key string) *yaml.Node {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return k
		}
	}
	return nil
}

// dig follows keys through nested mappings.
func dig(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if m = get(m, k); m == nil {
			return nil
		}
	}
	return m
}

// pairs calls fn for every key and value of a mapping.
func pairs(m *yaml.Node, fn func(k, v *yaml.Node)) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := deref(m.Content[i]), deref(m.Content[i+1])
		if k == nil || v == nil {
			continue
		}
		fn(k, v)
	}
}

// items returns a sequence's elements; a single value counts as a sequence
// of one, as IAM documents allow.
func items(n *yaml.Node) []*yaml.Node {
	n = deref(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		return []*yaml.Node{n}
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if c = deref(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// str returns a scalar's text; ok is false for non-scalars and nulls.
func str(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", false
	}
	return n.Value, true
}

// strs returns the scalar strings of a value or list of values.
func strs(n *yaml.Node) []string {
	var out []string
	for _, it := range items(n) {
		if s, ok := str(it); ok {
			out = append(out, s)
		}
	}
	return out
}

// isNull reports whether a node is absent, null or "~".
func isNull(n *yaml.Node) bool {
	n = deref(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// walk visits every node under n depth-first without following aliases, so
// an alias bomb costs no more than its text.
func walk(n *yaml.Node, fn func(n *yaml.Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for _, c := range n.Content {
		walk(c, fn)
	}
}
