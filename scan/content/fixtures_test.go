package content

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// The extraction fixtures live in testdata/extract/<context>/ (repository
// root), one directory per kind of structure. A line ending in
// `secretlint:want RULE` holds a secret the rule must report on that line
// (where the secret starts); `secretlint:nowant RULE` marks a decoy the
// rule must not report. Both markers are blanked before scanning, so they
// neither match nor change the structure (a marker after a JSON value
// becomes white space). Where the line a secret starts on cannot carry a
// marker (it ends in a backslash that continues the value), the marker
// goes on a later line with one ^ per line up: secretlint:want^ RULE.
const extractFixtures = "../../testdata/extract"

var markRE = regexp.MustCompile(`secretlint:(want|nowant)(\^*)((?:[ \t]+[a-z0-9][a-z0-9._-]*)+)`)

type fixtureLine struct {
	path string
	line int
	rule string
}

// extractCase is what one context's fixtures hold and what a scan found.
type extractCase struct {
	want, decoy    map[fixtureLine]bool
	tp, fn, fp     int
	rawTP          int // found by the raw scan alone
	missing, extra []string
}

// TestExtractFixtures scans every fixture with the default extractors and
// requires exactly the wanted findings; it logs recall and precision per
// context, and the recall of the raw scan alone, which the extractors
// exist to raise. A context with fewer than three true and three decoy
// cases fails: the set is the specification of what extraction reads.
func TestExtractFixtures(t *testing.T) {
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	e := scan.NewEngine(set)
	full, raw := New(e), New(e, WithExtractors())
	cases := map[string]*extractCase{}
	err = filepath.WalkDir(extractFixtures, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(extractFixtures, p)
		rel = filepath.ToSlash(rel)
		ctx := strings.SplitN(rel, "/", 2)[0]
		c := cases[ctx]
		if c == nil {
			c = &extractCase{want: map[fixtureLine]bool{}, decoy: map[fixtureLine]bool{}}
			cases[ctx] = c
		}
		blanked := blankMarks(rel, data, c)
		o := scan.Origin{Source: scan.SourceFile, Path: rel}
		found := map[fixtureLine]int{}
		for _, f := range full.Text(o, blanked) {
			found[fixtureLine{rel, f.Line, f.RuleID}]++
		}
		for k, n := range found {
			switch {
			case n > 1:
				c.fp += n - 1
				c.extra = append(c.extra, fmt.Sprintf("%s:%d: %s reported %d times", k.path, k.line, k.rule, n))
				fallthrough
			case c.want[k]:
				if c.want[k] {
					c.tp++
				}
			default:
				c.fp++
				c.extra = append(c.extra, fmt.Sprintf("%s:%d: %s: unexpected finding", k.path, k.line, k.rule))
			}
		}
		for k := range c.want {
			if k.path == rel && found[k] == 0 {
				c.fn++
				c.missing = append(c.missing, fmt.Sprintf("%s:%d: %s: missing finding", k.path, k.line, k.rule))
			}
		}
		rawFound := map[fixtureLine]bool{}
		for _, f := range raw.Text(o, blanked) {
			rawFound[fixtureLine{rel, f.Line, f.RuleID}] = true
		}
		for k := range c.want {
			if k.path == rel && rawFound[k] {
				c.rawTP++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	sort.Strings(names)
	var tot extractCase
	t.Logf("%-11s %5s %6s %3s %3s %3s %7s %9s %10s", "context", "true", "decoys", "tp", "fn", "fp", "recall", "precision", "raw recall")
	for _, n := range names {
		c := cases[n]
		for _, m := range append(c.missing, c.extra...) {
			t.Error(m)
		}
		if len(c.want) < 3 || len(c.decoy) < 3 {
			t.Errorf("%s: %d true and %d decoy cases, want at least 3 of each", n, len(c.want), len(c.decoy))
		}
		t.Logf("%-11s %5d %6d %3d %3d %3d %7.3f %9.3f %10.3f", n, len(c.want), len(c.decoy), c.tp, c.fn, c.fp,
			ratio(c.tp, c.tp+c.fn), ratio(c.tp, c.tp+c.fp), ratio(c.rawTP, len(c.want)))
		tot.tp, tot.fn, tot.fp, tot.rawTP = tot.tp+c.tp, tot.fn+c.fn, tot.fp+c.fp, tot.rawTP+c.rawTP
	}
	t.Logf("%-11s %5d %6s %3d %3d %3d %7.3f %9.3f %10.3f", "all", tot.tp+tot.fn, "", tot.tp, tot.fn, tot.fp,
		ratio(tot.tp, tot.tp+tot.fn), ratio(tot.tp, tot.tp+tot.fp), ratio(tot.rawTP, tot.tp+tot.fn))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// blankMarks returns data with its markers blanked and records them in c.
func blankMarks(path string, data []byte, c *extractCase) []byte {
	out := append([]byte(nil), data...)
	line, off := 1, 0
	for _, l := range strings.SplitAfter(string(data), "\n") {
		for _, m := range markRE.FindAllStringSubmatchIndex(l, -1) {
			for _, id := range strings.Fields(l[m[6]:m[7]]) {
				k := fixtureLine{path, line - (m[5] - m[4]), id}
				if l[m[2]:m[3]] == "want" {
					c.want[k] = true
				} else {
					c.decoy[k] = true
				}
			}
			for i := off + m[0]; i < off+m[1]; i++ {
				out[i] = ' '
			}
		}
		off += len(l)
		line++
	}
	return out
}
