package files

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/scantest"
)

// TestNotebookCellsInFilesAndArchives: a notebook's cell hides an AWS
// secret key behind JSON-escaped quotes; the files source finds it in a
// directory and inside a zip and a tarball, at the line and column of the
// key in the notebook's bytes, while the same bytes under a .txt name are
// only scanned raw (where the escapes hide the assignment).
func TestNotebookCellsInFilesAndArchives(t *testing.T) {
	secret := scantest.FakeAWSSecret(1)
	nb := scantest.Notebook(scantest.NotebookAWSCell(secret))
	dir := t.TempDir()
	write(t, filepath.Join(dir, "explore.ipynb"), nb)
	write(t, filepath.Join(dir, "explore.txt"), nb)
	write(t, filepath.Join(dir, "bundle.zip"), zipped(t, map[string][]byte{"nb/explore.ipynb": nb}))
	write(t, filepath.Join(dir, "bundle.tgz"), gz(tarball(t, map[string][]byte{"explore.ipynb": nb})))

	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	col := &scan.Collector{}
	if err := New([]string{dir}).Scan(context.Background(), scan.NewEngine(set), col); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range col.Findings() {
		if f.Secret != secret {
			t.Errorf("%s: secret %q, want the key", f.Path, f.Secret)
		}
		rel, _ := filepath.Rel(dir, f.Path)
		got = append(got, fmt.Sprintf("%s:%d:%d %s", filepath.ToSlash(rel), f.Line, f.Column, f.RuleID))
	}
	sort.Strings(got)
	line, col1 := scantest.Position(nb, secret)
	at := fmt.Sprintf(":%d:%d aws-secret-access-key", line, col1)
	want := []string{"bundle.tgz!explore.ipynb" + at, "bundle.zip!nb/explore.ipynb" + at, "explore.ipynb" + at}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
