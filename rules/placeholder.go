package rules

import (
	"bytes"
	"sync"
)

// IsPlaceholder reports whether a candidate secret is a placeholder, a
// template or variable reference, or a documented example value rather than
// a credential. It runs for every rule, so it only rejects shapes a random
// token cannot plausibly take: marker words of five letters or more (four
// letters where the word is distinctive), template syntax, masks, runs of
// one character and counting sequences.
func IsPlaceholder(secret []byte) bool {
	s := bytes.ToLower(secret)
	// One automaton pass rather than a search per word: a long candidate
	// (a keyword run on dense input) costs one pass too.
	if placeholderMatcher().holdsAny(s) {
		return true
	}
	if knownExamples[string(secret)] {
		return true
	}
	return repeated(s) || longRun(s, 8)
}

// placeholderMatcher finds placeholderWords in one pass.
var placeholderMatcher = sync.OnceValue(func() *keywordMatcher {
	ws := make([]string, len(placeholderWords))
	for i, w := range placeholderWords {
		ws[i] = string(w)
	}
	return newKeywordMatcher(ws)
})

// repeated reports whether s is one byte repeated.
func repeated(s []byte) bool {
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return len(s) > 1
}

// longRun reports whether s holds a run of n or more equal bytes, like the
// zeros and X's of a masked or made-up value.
func longRun(s []byte, n int) bool {
	run := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

var placeholderWords = bytesList(
	// Documentation and template words.
	"example", "placeholder", "your-", "your_", "yourtoken", "yourkey", "yourapi", "yoursecret", "your.",
	"changeme", "change-me", "change_me", "replace_me", "replace-me", "replaceme", "insert_", "insert-",
	"redacted", "dummy", "sample", "notreal", "not-a-real", "not_a_real", "fake_", "fake-", "_fake", "-fake",
	"fakefake", "secretvalue", "tokenhere", "token_here", "token-here", "key_here", "key-here", "keyhere",
	// Masks.
	"xxxx", "****", "•••", "...", "<", ">",
	// Templates and references to values held elsewhere.
	"${", "$(", "{{", "}}", "%(", "os.environ", "getenv", "process.env", "env.", "secrets.",
	// Counting sequences.
	"0123456789", "1234567890", "12345678", "abcdefgh", "qwerty",
)

// knownExamples are credentials published in vendors' documentation, which
// tutorials and tests copy verbatim. Values containing "EXAMPLE" (AWS's) are
// caught by the word list.
var knownExamples = map[string]bool{
	"sk_test_4eC39HqLyjWDarjtT1zdp7dc":            true, // Stripe API reference
	"pk_test_TYooMQauvdEDq54NiTphI7jx":            true, // Stripe API reference
	"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c": true, // jwt.io signature
	"sk_test_BQokikJOvBiI2HlWgH4olfQ2":            true, // Stripe documentation (older)
	"pk_test_6pRNASCoBOKtIshFeQd4XMUh":            true, // Stripe documentation (older)
	// The Azure Storage emulator's (Azurite, devstoreaccount1) published key.
	"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==": true,
}

func bytesList(ws ...string) [][]byte {
	out := make([][]byte, len(ws))
	for i, w := range ws {
		out[i] = []byte(w)
	}
	return out
}
