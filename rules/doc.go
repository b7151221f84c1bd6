// Package rules holds the credential rule model, the built-in rule set (an
// embedded TOML file) and the matcher that runs a compiled rule set over bytes.
//
// Matching is keyword-first: one pass of a case-insensitive Aho-Corasick
// automaton finds every rule keyword, and a rule's regular expression runs
// only on the line around each hit (or, for a multi-line rule, a bounded
// region after it). Validators (checksums, known example values,
// placeholders, entropy floors) reject false positives before a match
// becomes a finding.
//
// Rules marked generic (a named assignment, a URL password, a bearer header)
// give way to specific ones: a generic match is dropped when a specific rule
// matched overlapping bytes, when a token-format rule rejected those bytes
// (a wrong checksum, an example value), when its value starts with a
// specific rule's keyword or is the base64 of such a value, and when an
// earlier-defined generic rule already reported the same value.
package rules
