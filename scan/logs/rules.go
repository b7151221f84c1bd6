package logs

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"sync"

	"github.com/secretlint/secretlint/rules"
)

//go:embed rules.toml
var rulesTOML []byte

func init() {
	rules.RegisterValidator("log-token-shape", tokenShape)
	rules.RegisterValidator("http-basic-credentials", basicCredentials)
}

var logRules = sync.OnceValues(func() ([]*rules.Rule, error) {
	return rules.ParseFile("scan/logs/rules.toml", rulesTOML)
})

// Rules returns the log-specific rules that run beside the configured set.
// They are shared: callers must not modify them.
func Rules() ([]*rules.Rule, error) { return logRules() }

// tokenShape accepts an opaque token: letters and digits both, so words
// after "Bearer" in prose are not taken for one.
func tokenShape(b []byte) bool {
	var letter, digit bool
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			letter = true
		}
	}
	return letter && digit
}

// basicCredentials accepts base64 that decodes to printable user:password
// with a password that is not a placeholder.
func basicCredentials(b []byte) bool {
	var d []byte
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
		if x, err := enc.DecodeString(string(b)); err == nil {
			d = x
			break
		}
	}
	i := bytes.IndexByte(d, ':')
	if i < 0 || len(d)-i-1 < 4 {
		return false
	}
	for _, c := range d {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return !rules.IsPlaceholder(d[i+1:])
}
