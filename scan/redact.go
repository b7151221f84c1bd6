package scan

import "strings"

// Redact hides a secret for display, keeping a short prefix that helps a
// person recognise the credential type (AKIA, ghp_, sk-) without revealing
// enough to use or guess it. The mask has a fixed length so it does not leak
// the secret's length either.
func Redact(secret string) string {
	if secret == "" {
		return ""
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
	if strings.IndexFunc(p, func(r rune) bool { return r >= 0x80 || r == '\n' }) >= 0 {
		p = ""
	}
	return p + "********"
}
