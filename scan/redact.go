package scan

import "strings"

// Redact hides a secret for display, keeping a short prefix that helps a
// person recognise the credential type (AKIA, ghp_, sk-) without revealing
// enough to use or guess it. The mask has a fixed length so it does not leak
// the secret's length either.
//
// A value already in redacted form is returned as it is, so a report read
// back (report.ReadJSON) renders the same masks again rather than a
// shorter prefix of the mask.
func Redact(secret string) string {
	if secret == "" || isRedacted(secret) {
		return secret
	}
	keep := 0
	switch n := len(secret); {
	case n >= 20:
		keep = 4
	case n >= 12:
		keep = 2
	}
	// Keep whole bytes of ASCII only; never split a multi-byte rune.
	p := secret[:keep]
	if !plain(p) {
		p = ""
	}
	return p + mask
}

// mask replaces the hidden part of a redacted secret.
const mask = "********"

// isRedacted reports whether s has the form Redact gives: a plain prefix of
// 0, 2 or 4 bytes and the mask.
func isRedacted(s string) bool {
	p, ok := strings.CutSuffix(s, mask)
	return ok && (len(p) == 0 || len(p) == 2 || len(p) == 4) && plain(p)
}

// plain reports whether a kept prefix is printable as is: ASCII, no newline.
func plain(p string) bool {
	return strings.IndexFunc(p, func(r rune) bool { return r >= 0x80 || r == '\n' }) < 0
}
