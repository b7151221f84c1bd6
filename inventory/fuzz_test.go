package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the loader: it must never panic, every
// failure must be an *Error whose problems name the file, and every entry of
// a loaded inventory must hold the invariants Parse promises.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(dir, "*.toml"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := Parse("fuzz.toml", data)
		if err != nil {
			var ie *Error
			if !errors.As(err, &ie) || len(ie.Problems) == 0 {
				t.Fatalf("error is not a non-empty *Error: %v", err)
			}
			for _, p := range ie.Problems {
				if p.Path != "fuzz.toml" || p.Msg == "" || p.Line < 0 {
					t.Fatalf("bad problem %#v", p)
				}
			}
			return
		}
		seen := map[string]bool{}
		for _, e := range inv.Entries {
			if e.Name == "" {
				t.Fatalf("entry without a name loaded")
			}
			for _, n := range e.Names() {
				if seen[Normalize(n)] && Normalize(n) != Normalize(e.Name) {
					t.Fatalf("duplicate name %q loaded", n)
				}
			}
			seen[Normalize(e.Name)] = true
			if e.Fingerprint != "" && !hexFingerprint.MatchString(e.Fingerprint) {
				t.Fatalf("bad fingerprint loaded")
			}
			if e.RotationDays < 0 || e.TTL < 0 {
				t.Fatalf("negative rotation or ttl loaded")
			}
			for _, c := range e.Consumers {
				if c.Name == "" || (c.Access != AccessRead && c.Access != AccessWrite) {
					t.Fatalf("bad consumer %#v", c)
				}
			}
		}
	})
}
