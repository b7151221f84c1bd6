// Package scantest checks scanners against annotated fixture files, in the
// manner of go/analysis' analysistest: every line that must be reported ends
// with a `secretlint:want <rule-id> [<rule-id>...]` marker, and the check
// fails both on a missing finding and on an unexpected one.
package scantest

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/scan"
)

var wantRE = regexp.MustCompile(`secretlint:want((?:[ \t]+[a-z0-9][a-z0-9._-]*)+)`)

// Expectation is one wanted finding: a file, a line and a rule id.
type Expectation struct {
	Path   string
	Line   int
	RuleID string
}

func (e Expectation) String() string { return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.RuleID) }

// Prepare reads a fixture, returns its bytes with every want marker blanked
// (replaced by spaces, so columns stay and the marker cannot match), and the
// expectations it declared. path is used in the expectations.
func Prepare(path string, data []byte) ([]byte, []Expectation) {
	out := append([]byte(nil), data...)
	var want []Expectation
	line := 1
	for off := 0; off < len(out); {
		end := bytes.IndexByte(out[off:], '\n')
		if end < 0 {
			end = len(out)
		} else {
			end += off
		}
		for _, m := range wantRE.FindAllSubmatchIndex(out[off:end], -1) {
			for _, id := range strings.Fields(string(out[off+m[2] : off+m[3]])) {
				want = append(want, Expectation{Path: path, Line: line, RuleID: id})
			}
			for i := off + m[0]; i < off+m[1]; i++ {
				out[i] = ' '
			}
		}
		off = end + 1
		line++
	}
	return out, want
}

// Check compares findings with expectations and reports every difference.
func Check(t testing.TB, want []Expectation, findings []scan.Finding) {
	t.Helper()
	have := map[Expectation]int{}
	for _, f := range findings {
		have[Expectation{Path: f.Path, Line: f.Line, RuleID: f.RuleID}]++
	}
	wanted := map[Expectation]bool{}
	for _, w := range want {
		wanted[w] = true
		if have[w] == 0 {
			t.Errorf("%s: missing finding", w)
		}
	}
	var extra []string
	for h := range have {
		if !wanted[h] {
			extra = append(extra, h.String())
		}
	}
	sort.Strings(extra)
	for _, e := range extra {
		t.Errorf("%s: unexpected finding", e)
	}
}

// Run scans every file under dir with the engine, one fragment per file,
// and checks the findings against the files' want markers. Paths are
// relative to dir, with forward slashes.
func Run(t testing.TB, e *scan.Engine, dir string) {
	t.Helper()
	var want []Expectation
	var findings []scan.Finding
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		blanked, w := Prepare(rel, data)
		want = append(want, w...)
		findings = append(findings, e.Scan(scan.Fragment{
			Origin: &scan.Origin{Source: scan.SourceFile, Path: rel},
			Data:   blanked,
		})...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	Check(t, want, findings)
}
