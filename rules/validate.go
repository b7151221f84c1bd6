package rules

import (
	"sort"
)

// validators are the named checks a rule may require of its secret. Each is
// a small pure function; the TOML names one with `validator = "name"`.
var validators = map[string]func([]byte) bool{}

// RegisterValidator adds a named validator. It is meant for init functions.
func RegisterValidator(name string, fn func([]byte) bool) {
	if _, dup := validators[name]; dup {
		panic("rules: validator registered twice: " + name)
	}
	validators[name] = fn
}

// ValidatorNames lists the registered validators, sorted.
func ValidatorNames() []string {
	names := make([]string, 0, len(validators))
	for n := range validators {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
