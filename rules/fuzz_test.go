package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/secretlint/secretlint/rules"
)

// FuzzFind runs the built-in set over arbitrary bytes: no panic, and every
// match lies inside the input with its secret inside its whole match, in
// position order. The fixtures seed it, so every rule's regex and
// validator is reached from the start.
func FuzzFind(f *testing.F) {
	set, err := rules.BuiltinSet()
	if err != nil {
		f.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(fixtureDir, "*"))
	for _, n := range names {
		if data, err := os.ReadFile(n); err == nil {
			f.Add(expand(filepath.Base(n), data))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		prev := 0
		for _, m := range set.Find(data) {
			if m.MatchStart < 0 || m.MatchEnd > len(data) || m.Start < m.MatchStart || m.End > m.MatchEnd || m.Start >= m.End {
				t.Fatalf("%s: bad match bounds %+v in %d bytes", m.Rule.ID, m, len(data))
			}
			if m.Start < prev {
				t.Fatalf("%s: matches out of order", m.Rule.ID)
			}
			prev = m.Start
		}
	})
}
