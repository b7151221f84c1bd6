package rules

import (
	"bytes"
	"regexp"
)

// IsPlaceholder reports whether a candidate secret is a placeholder, a
// template or variable reference, or a documented example value rather than
// a credential.
func IsPlaceholder(secret []byte) bool {
	s := bytes.ToLower(secret)
	for _, w := range placeholderWords {
		if bytes.Contains(s, w) {
			return true
		}
	}
	return repeated(s) || placeholderShape.Match(s)
}

// repeated reports whether s is one byte repeated.
func repeated(s []byte) bool {
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return len(s) > 1
}

var placeholderWords = bytesList(
	"example", "placeholder", "your-", "your_", "yourtoken", "changeme", "change-me", "change_me",
	"xxxxx", "*****", "redacted", "<", ">", "${", "{{", "}}", "dummy", "sample", "notreal", "not-a-real",
	"fake", "insert", "replace",
)

// placeholderShape matches counting sequences such as 0123456789 and abcdef.
var placeholderShape = regexp.MustCompile(`^(?:0123456789|1234567890|abcdefgh)`)

func bytesList(ws ...string) [][]byte {
	out := make([][]byte, len(ws))
	for i, w := range ws {
		out[i] = []byte(w)
	}
	return out
}
