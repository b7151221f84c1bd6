// Package rules holds the credential rule model, the built-in rule set (an
// embedded TOML file) and the matcher that runs a compiled rule set over bytes.
//
// Matching is keyword-first: one pass of a case-insensitive Aho-Corasick
// automaton finds every rule keyword, and a rule's regular expression runs
// only on the line around each hit. Validators (checksums, known example
// values, placeholders, entropy floors) reject false positives before a match
// becomes a finding.
package rules
