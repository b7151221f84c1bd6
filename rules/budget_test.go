package rules_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/rules"
)

// fakeFrom returns n characters drawn from alphabet, seeded, so the value
// is format-valid for its rule and never a real credential.
func fakeFrom(r *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// Joining a rule's overlapping regions and skipping hits inside the joined
// one (Find's work budget) must not lose a secret that sits among dense
// keyword hits: before, between and after them, on one line and on short
// lines.
func TestFindDenseInputKeepsFindings(t *testing.T) {
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 11))
	akia := "AKIA" + fakeFrom(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
	pass := fakeFrom(r, "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 14) + "#7q"
	for _, tc := range []struct {
		name, noise, secret, rule, assign string
	}{
		{"AKIA", "AKIA", akia, "aws-access-key-id", " "},
		{"password=", "password=", pass, "generic-secret", " db_password="},
	} {
		for _, sep := range []string{"", "\n"} {
			noise := func(n int) string {
				if sep == "" {
					return strings.Repeat(tc.noise, n)
				}
				return strings.Repeat(strings.Repeat(tc.noise, 8)+sep, n/8)
			}
			for _, at := range []string{"start", "middle", "end"} {
				before, after := noise(20000), noise(20000)
				switch at {
				case "start":
					before = ""
				case "end":
					after = ""
				}
				text := before + tc.assign + tc.secret + " " + after
				found := 0
				for _, m := range set.Find([]byte(text)) {
					if m.Rule.ID == tc.rule && string(m.Secret([]byte(text))) == tc.secret {
						found++
					}
				}
				if found != 1 {
					t.Errorf("%s, newline %q, secret at the %s: found %d times, want once", tc.name, sep, at, found)
				}
			}
		}
	}
}
