package git

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/scan"
)

const corpusDir = "../../../shared/corpus"

// truthRow is one labeled string of the shared corpus.
type truthRow struct {
	ID       string   `json:"id"`
	Source   string   `json:"source"`
	Path     string   `json:"path"`
	AltPaths []string `json:"alt_paths"`
	Line     int      `json:"line"`
	Secret   string   `json:"secret"`
	Forms    []string `json:"forms"`
	Kind     string   `json:"kind"`
	Label    string   `json:"label"`
	Commit   string   `json:"commit"`
}

var spaces = regexp.MustCompile(`\s+`)

// norm and overlaps follow the corpus scorer's matching rules.
func norm(s string) string {
	s = strings.ReplaceAll(s, `\n`, "\n")
	s = spaces.ReplaceAllString(s, "")
	return strings.Trim(s, "\"'`,;")
}

func overlaps(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return strings.Contains(b, a) && len(a) >= min(8, len(b))
}

func (r *truthRow) matches(f *scan.Finding) bool {
	ok := false
	for _, p := range append([]string{r.Path}, r.AltPaths...) {
		ok = ok || f.Path == p || strings.HasSuffix(f.Path, "/"+p)
	}
	if !ok {
		return false
	}
	for _, form := range append([]string{r.Secret}, r.Forms...) {
		if overlaps(norm(f.Secret), norm(form)) {
			return true
		}
	}
	return false
}

// TestCorpusAccuracy scans the shared corpus repository: every true git row
// the rules can see must be found with the commit that introduced it, and no
// finding may land on a decoy. Rows the rules cannot see in a plain file
// either are rule gaps, logged, not failures of the git source.
func TestCorpusAccuracy(t *testing.T) {
	bundle := filepath.Join(corpusDir, "public", "repo.bundle")
	data, err := os.ReadFile(filepath.Join(corpusDir, "public", "truth.json"))
	if err != nil {
		if os.Getenv("SECRETLINT_REQUIRE_REAL_PARTS") == "1" {
			t.Fatalf("shared corpus missing: %v", err)
		}
		t.Skipf("shared corpus missing: %v", err)
	}
	requireGit(t)
	var rows []truthRow
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "repo")
	if out, err := exec.Command("git", "clone", "-q", bundle, dir).CombinedOutput(); err != nil {
		t.Fatalf("clone %s: %v\n%s", bundle, err, out)
	}
	r := &repo{t: t, dir: dir}
	engines(t, func(t *testing.T, opts ...Option) {
		col := scanSource(t, New(dir, opts...))
		for _, e := range col.Errors() {
			t.Errorf("error: %v", e)
		}
		fs := col.Findings()
		e := engine(t)
		found, gaps := 0, 0
		used := make([]bool, len(fs))
		for _, row := range rows {
			if row.Source != "git" {
				continue
			}
			var hit *scan.Finding
			for i := range fs {
				if row.matches(&fs[i]) {
					used[i] = true
					if hit == nil {
						hit = &fs[i]
					}
				}
			}
			switch {
			case row.Label == "decoy" && hit != nil:
				t.Errorf("%s: finding on a decoy (%s) at %s:%d by %s", row.ID, row.Kind, hit.Path, hit.Line, hit.RuleID)
			case row.Label != "true":
			case hit != nil:
				found++
				if row.Commit != "" && hit.Commit != row.Commit {
					t.Errorf("%s: %s at %s attributed to %s, want %s", row.ID, row.Kind, row.Path, hit.Commit, row.Commit)
				}
			default:
				// Would the rules find it in the file as that commit has it?
				blob := r.git("show", row.Commit+":"+row.Path)
				seen := false
				for _, f := range e.Scan(scan.Fragment{Origin: &scan.Origin{Path: row.Path}, Data: []byte(blob + "\n")}) {
					seen = seen || row.matches(&f)
				}
				if seen {
					t.Errorf("%s: %s at %s:%d is found in the file but not in history", row.ID, row.Kind, row.Path, row.Line)
				} else {
					gaps++
					t.Logf("rule gap: %s %s at %s:%d", row.ID, row.Kind, row.Path, row.Line)
				}
			}
		}
		for i, f := range fs {
			if !used[i] {
				t.Logf("finding with no truth row: %s at %s:%d", f.RuleID, f.Path, f.Line)
			}
		}
		t.Logf("true git rows found %d, rule gaps %d, findings %d", found, gaps, len(fs))
	})
}
