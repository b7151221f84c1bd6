package content

import (
	"bytes"
	"errors"
	"path"
	"strings"
)

// JSON is the extractor for JSON documents (config files, .NET
// appsettings*.json, cloud credentials): each string value is unescaped and
// written as "key = value" under the nearest object key, so a password
// behind \" or \u escapes, or inside a connection string, reaches the
// assignment rules. Notebooks have their own extractor.
type JSON struct{}

var _ Extractor = JSON{}

// Match reports whether name ends in .json (or a JSON-with-comments or
// JSON-lines name).
func (JSON) Match(name string, head []byte) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".json", ".jsonc", ".json5", ".jsonl", ".ndjson":
		return true
	}
	return false
}

var errJSON = errors.New("json: unterminated string")

// Extract walks the document's tokens; it does not validate the rest of
// the grammar, so a file with comments or a trailing comma still yields
// its strings.
func (JSON) Extract(data []byte) ([]Piece, error) {
	var (
		out   pairs
		keys  []text // per open object or array, the key it sits under
		arr   []bool // per open object or array, whether it is an array
		key   text   // the key of the value being read
		isKey bool   // in an object, before the colon
	)
	for i := 0; i < len(data); {
		switch c := data[i]; c {
		case '{', '[':
			keys, arr = append(keys, key), append(arr, c == '[')
			isKey = c == '{'
			i++
		case '}', ']':
			if len(keys) > 0 {
				key = keys[len(keys)-1]
				keys, arr = keys[:len(keys)-1], arr[:len(arr)-1]
			}
			isKey = false
			i++
		case ',':
			isKey = len(arr) > 0 && !arr[len(arr)-1]
			if len(keys) > 0 && isKey {
				key = text{}
			} else if len(keys) > 0 {
				key = keys[len(keys)-1]
			}
			i++
		case ':':
			isKey = false
			i++
		case '"':
			var p Piece
			end, ok := unquote(data, i, &p)
			if !ok {
				return nil, errJSON
			}
			s := text{p.Text, p.Raw}
			if isKey {
				key = s
			} else if len(key.b) > 0 {
				out.add(key, s)
			}
			i = end
		case '/':
			// A comment (JSONC): skip it, so its quotes do not pair up.
			if i+1 < len(data) && data[i+1] == '/' {
				for i < len(data) && data[i] != '\n' {
					i++
				}
			} else if i+1 < len(data) && data[i+1] == '*' {
				j := bytes.Index(data[i+2:], []byte("*/"))
				if j < 0 {
					return out.piece(data), nil
				}
				i += j + 4
			} else {
				i++
			}
		default:
			i++
		}
	}
	return out.piece(data), nil
}
