package rules

import (
	"sort"
)

// Validators maps validator names to the checks a rule may require of its
// secret: small pure functions, named in TOML with `validator = "name"`.
type Validators map[string]func([]byte) bool

// validators are the built-in validators, which every rule may name. A
// rule file with checks of its own (the log rules) hands them to
// ParseFile; nothing adds to this map at run time.
var validators = Validators{
	"jwt":                 jwtValid,
	"generic-secret":      genericSecret,
	"url-credential":      urlPassword,
	"pem-private-key":     pemPrivateKey,
	"discord-bot-token":   discordBotToken,
	"basic-auth-header":   basicAuthHeader,
	"mixed-case-digits":   mixedCaseDigits,
	"github-fine-grained": githubFineGrained,
	"github-crc32":        githubChecksum,
	"npm-crc32":           npmChecksum,
	"bech32":              bech32Valid,
}

// lookup returns the validator named name: one of extra, else a built-in.
func (extra Validators) lookup(name string) (func([]byte) bool, bool) {
	if fn, ok := extra[name]; ok {
		return fn, true
	}
	fn, ok := validators[name]
	return fn, ok
}

// names lists the built-in validators and extra's, sorted.
func (extra Validators) names() []string {
	names := make([]string, 0, len(validators)+len(extra))
	for n := range validators {
		names = append(names, n)
	}
	for n := range extra {
		if _, dup := validators[n]; !dup {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// ValidatorNames lists the built-in validators, sorted.
func ValidatorNames() []string { return Validators(nil).names() }
