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

// A secret placed at every offset after a run of keywords, so that it
// falls right after the run, inside the window of a match the rule tried
// and rejected, and where that window ends, must be found as it is on its
// own: the same rule, the same secret, once. It covers the name-anchored
// search (generic-secret), the markup precheck (markup-secret) and the
// required-run skip (aws-secret-access-key, 40 base64 characters).
func TestFindSecretAfterKeywordRun(t *testing.T) {
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 5))
	pass := fakeFrom(r, "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 15) + "#7q"
	awsKey := fakeFrom(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+", 36) + "aZ9/"
	for _, tc := range []struct {
		name, noise, before, secret, after, rule string
	}{
		// A ; ends the run: after a bare "password= " the next assignment
		// would be its value, on its own as well.
		{"assignment", "password=", "; api_token=", pass, " ", "generic-secret"},
		{"assignment after secret_key=", "secret_key=", "; db_password: ", pass, "\n", "generic-secret"},
		{"assignment glued to a quote", "password=", `"token":"`, pass, `"`, "generic-secret"},
		{"XML element", "password=", " <db_password>", pass, "</db_password>", "markup-secret"},
		{"AWS secret key", "secret_key=", " aws_secret_access_key=", awsKey, " ", "aws-secret-access-key"},
	} {
		alone := countFound(set, tc.before+tc.secret+tc.after, tc.secret, tc.rule)
		if alone != 1 {
			t.Fatalf("%s: found %d times on its own, want once", tc.name, alone)
		}
		for n := 0; n <= 300/len(tc.noise)+2; n++ {
			for _, trail := range []int{0, 50} {
				text := strings.Repeat(tc.noise, n) + tc.before + tc.secret + tc.after + strings.Repeat(tc.noise, trail)
				if got := countFound(set, text, tc.secret, tc.rule); got != 1 {
					t.Errorf("%s after %d keywords, %d after: found %d times, want once", tc.name, n, trail, got)
				}
			}
		}
	}
}

// countFound counts the matches of rule that report exactly secret in text.
func countFound(set *rules.Set, text, secret, rule string) int {
	n := 0
	for _, m := range set.Find([]byte(text)) {
		if m.Rule.ID == rule && string(m.Secret([]byte(text))) == secret {
			n++
		}
	}
	return n
}
