package rules

import (
	"bytes"
	"math"
	"regexp"
	"strings"
)

// Rule is one compiled credential rule.
type Rule struct {
	ID          string
	Description string
	Severity    Severity
	// Keywords are matched case-insensitively; the regex runs only around
	// their hits. A rule without keywords runs on whole fragments.
	Keywords []string
	// Pattern is the rule's regular expression as written; Regexp compiles
	// it.
	Pattern string
	// regex compiles Pattern on first use. Loading checks the pattern's
	// syntax, but compiling every rule's program up front cost more than
	// the rest of start-up together, and a scan runs only the rules whose
	// keywords occur in what it reads.
	regex func() *regexp.Regexp
	// SecretGroup is the regex group holding the secret; 0 is the whole match.
	SecretGroup int
	// Entropy is the minimum Shannon entropy, in bits per byte, of the secret.
	Entropy float64
	// Validator, when set, must accept the secret (a checksum, a structure).
	Validator     func(secret []byte) bool
	ValidatorName string
	// Multiline rules may match across lines (PEM blocks).
	Multiline bool
	// Window, when set, bounds the text searched to this many bytes either
	// side of a keyword hit (still within the line for single-line rules).
	// Rules whose regex must scan a whole name around the keyword (the
	// generic assignment rules) cost time in proportion to the region, so
	// a long line must not make each hit search kilobytes.
	Window int
	// Precheck, when set, must accept a keyword hit (data, and the hit's
	// start and end) before the regex runs around it.
	Precheck     func(data []byte, start, end int) bool
	PrecheckName string
	// Requires lists strings of which one must occur in a region for the
	// regex to run there: a cheap byte search that spares the regex most
	// keyword hits (a URL without an @ holds no basic-auth password).
	Requires [][]byte
	// span is the most bytes a match can span (0: unbounded), computed from
	// the regex; it bounds the region the same way.
	span int
	// nameAnchored says every match begins just before a name (see
	// opensWithName): the regex runs anchored there, once per name that
	// holds a keyword hit, and anchored is that regex with a leading ^.
	nameAnchored bool
	anchored     func() *regexp.Regexp
	// valueRun is the class of the unbounded run a name-anchored rule's
	// match ends with (its value), or nil.
	valueRun *[256]bool
	// runLen, when set, is how many consecutive bytes for which runIn is
	// true every match holds (see requiredRun): a region without such a
	// run is not searched.
	runLen int
	runIn  *[256]bool
	// literals are strings every match holds (see requiredLiterals): a
	// region without one of them is not searched either.
	literals [][]byte
	// lead is the lower-cased literal every match begins with, and
	// leadBoundary says a \b comes before it.
	lead         string
	leadBoundary bool
	// Generic rules yield to a specific rule that matched the same bytes.
	Generic bool
	// Priority orders rules of the same kind (specific, or generic) that
	// report the same or overlapping secrets: the higher one is reported,
	// and of equal priorities the smaller id. The order of rules in their
	// files never decides.
	Priority int
	// KeepPlaceholders turns off the shared placeholder and example-value
	// rejection, for rules whose secrets legitimately look like placeholders.
	KeepPlaceholders bool
	Allow            Allowlist
	Hint             string
	Tags             []string
}

// Regexp returns the rule's compiled regular expression.
func (r *Rule) Regexp() *regexp.Regexp { return r.regex() }

// mayMatch reports whether region holds what every match of the rule
// holds: its required run and literals. A joined region of dense keyword
// hits (secret_key=secret_key=…) usually does not, and is skipped after
// a byte scan instead of searched by the regex.
func (r *Rule) mayMatch(region []byte) bool {
	if r.runLen > 0 && !holdsRun(region, r.runLen, r.runIn) {
		return false
	}
	for _, lit := range r.literals {
		if !bytes.Contains(region, lit) {
			return false
		}
	}
	return true
}

// Allowlist suppresses matches of a rule, or of every rule when global.
type Allowlist struct {
	// Paths are regexes matched against the finding's path.
	Paths []*regexp.Regexp
	// Regexes are matched against the secret.
	Regexes []*regexp.Regexp
	// Stopwords suppress a secret that contains one of them (case-insensitive).
	Stopwords []string
	// Matches are matched against the rule's whole match (the name a value
	// is assigned to, for instance), not only the secret.
	Matches []*regexp.Regexp
	// Lines are matched against the whole line (or lines) the match is on:
	// a marker comment such as "# docs-example" allows what the line holds.
	Lines []*regexp.Regexp
	// Tally, when set, counts each suppression by an entry it knows.
	Tally *Tally
}

// AllowsPath reports whether path is allowlisted.
func (a *Allowlist) AllowsPath(path string) bool {
	for _, re := range a.Paths {
		if re.MatchString(path) {
			a.Tally.Regexp(re).Hit()
			return true
		}
	}
	return false
}

// AllowsSecret reports whether the secret is allowlisted by regex or stopword.
func (a *Allowlist) AllowsSecret(secret []byte) bool {
	for _, re := range a.Regexes {
		if re.Match(secret) {
			a.Tally.Regexp(re).Hit()
			return true
		}
	}
	if len(a.Stopwords) > 0 {
		s := strings.ToLower(string(secret))
		for _, w := range a.Stopwords {
			if strings.Contains(s, w) {
				a.Tally.Word("stopwords", w).Hit()
				return true
			}
		}
	}
	return false
}

// AllowsMatch reports whether a rule's whole match is allowlisted.
func (a *Allowlist) AllowsMatch(match []byte) bool {
	for _, re := range a.Matches {
		if re.Match(match) {
			a.Tally.Regexp(re).Hit()
			return true
		}
	}
	return false
}

// AllowsLine reports whether the line(s) holding a match are allowlisted.
func (a *Allowlist) AllowsLine(line []byte) bool {
	for _, re := range a.Lines {
		if re.Match(line) {
			a.Tally.Regexp(re).Hit()
			return true
		}
	}
	return false
}

// Empty reports whether the allowlist allows nothing.
func (a *Allowlist) Empty() bool {
	return len(a.Paths) == 0 && len(a.Regexes) == 0 && len(a.Stopwords) == 0 && len(a.Matches) == 0 && len(a.Lines) == 0
}

// Entropy returns the Shannon entropy of b in bits per byte.
func Entropy(b []byte) float64 {
	if len(b) == 0 {
		return 0
	}
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	n := float64(len(b))
	var h float64
	for _, c := range counts {
		if c == 0 {
			continue
		}
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h
}
