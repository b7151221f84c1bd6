package logs

import (
	"bytes"
	_ "embed"
	"sync"

	"github.com/secretlint/secretlint/rules"
)

//go:embed rules.toml
var rulesTOML []byte

// validators are the checks only the log rules use; they are handed to the
// rule file's compiler, not added to the built-in validators, so a
// configuration cannot name them and importing this package changes no
// other rule set.
var validators = rules.Validators{
	"log-token-shape":        tokenShape,
	"http-basic-credentials": basicCredentials,
}

var logRules = sync.OnceValues(func() ([]*rules.Rule, error) {
	return rules.ParseFile("scan/logs/rules.toml", rulesTOML, validators)
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
	d, _ := rules.DecodeBase64(b)
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
