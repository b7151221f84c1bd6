package scan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"regexp"
	"sort"

	"github.com/secretlint/secretlint/rules"
)

// Identity is a hash of everything in the engine that decides whether a
// text holds a finding: every rule's pattern, keywords, checks and
// allowlist, the global allowlist and decoding. Two engines with the same
// identity (in the same program) find the same secrets in the same text, so
// a cache of texts known to hold none may be keyed by it. Severities,
// descriptions and hints do not take part; the fingerprint key neither.
func (e *Engine) Identity() string {
	h := sha256.New()
	fmt.Fprintf(h, "decode=%t\n", e.decode)
	writeAllow(h, "global", e.allow)
	rs := append([]*rules.Rule(nil), e.set.Rules()...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	for _, r := range rs {
		fmt.Fprintf(h, "rule %q %q group=%d entropy=%g validator=%q multiline=%t window=%d precheck=%q generic=%t priority=%d keep=%t\n",
			r.ID, r.Pattern, r.SecretGroup, r.Entropy, r.ValidatorName, r.Multiline, r.Window, r.PrecheckName, r.Generic, r.Priority, r.KeepPlaceholders)
		fmt.Fprintf(h, "keywords %q requires %q\n", r.Keywords, r.Requires)
		writeAllow(h, r.ID, r.Allow)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeAllow(h hash.Hash, name string, a rules.Allowlist) {
	fmt.Fprintf(h, "allow %q stopwords %q\n", name, a.Stopwords)
	for _, set := range [][]*regexp.Regexp{a.Paths, a.Regexes, a.Matches, a.Lines} {
		for _, re := range set {
			fmt.Fprintf(h, " %q", re.String())
		}
		fmt.Fprintln(h)
	}
}
