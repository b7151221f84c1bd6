package logs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/scantest"
)

// fixtureDir holds log fixtures in every format the source must read; each
// line that must be reported carries a secretlint:want marker, fakes are
// @@NAME@@ (see fakes_test.go).
const fixtureDir = "../../testdata/logs"

func defaultEngine(t testing.TB) *scan.Engine {
	t.Helper()
	// The built-in rules, as config.Default has them (config imports the
	// catalog, which imports this package).
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	return scan.NewEngine(set)
}

// prepareFixtures writes the fixtures, filled and with markers blanked, to
// a temporary directory and returns it with the expectations.
func prepareFixtures(t *testing.T) (string, []scantest.Expectation) {
	t.Helper()
	ents, err := os.ReadDir(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fk := newFakes(1)
	var want []scantest.Expectation
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(fixtureDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		blanked, w := scantest.Prepare(e.Name(), fk.fill(t, data))
		want = append(want, w...)
		if err := os.WriteFile(filepath.Join(dir, e.Name()), blanked, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, want
}

func relFindings(dir string, fs []scan.Finding) []scan.Finding {
	prefix := filepath.ToSlash(dir) + "/"
	for i := range fs {
		fs[i].Path = strings.TrimPrefix(fs[i].Path, prefix)
	}
	return fs
}

func TestFixtures(t *testing.T) {
	dir, want := prepareFixtures(t)
	for _, window := range []int{DefaultWindow, minWindow} {
		col := &scan.Collector{}
		if err := New([]string{dir}, WithWindow(window)).Scan(context.Background(), defaultEngine(t), col); err != nil {
			t.Fatal(err)
		}
		fs := relFindings(dir, col.Findings())
		for _, f := range fs {
			if f.Source != scan.SourceLog {
				t.Errorf("%s:%d: source %q, want %q", f.Path, f.Line, f.Source, scan.SourceLog)
			}
		}
		scantest.Check(t, want, fs)
		if errs := col.Errors(); len(errs) > 0 {
			t.Errorf("errors: %v", errs)
		}
	}
}
