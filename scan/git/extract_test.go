package git

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan/scantest"
)

// TestNotebookHistory: a commit adds a cell holding an AWS secret key
// behind JSON-escaped quotes to a notebook; the history finds it in the
// notebook (not in a .txt copy of the same bytes, which is read raw),
// names the commit that added it, not the later one that edits another
// cell, and reports the line and column of the key in the blob. Both the
// git binary's diff path and go-git's whole-blob path.
func TestNotebookHistory(t *testing.T) {
	secret := scantest.FakeAWSSecret(3)
	engines(t, func(t *testing.T, opts ...Option) {
		r := newRepo(t)
		r.write("nb/explore.ipynb", string(scantest.Notebook("import pandas as pd\n")))
		r.commit("start a notebook")
		nb := scantest.Notebook(scantest.NotebookAWSCell(secret))
		r.write("nb/explore.ipynb", string(nb))
		r.write("nb/explore.txt", string(nb))
		added := r.commit("read the bucket")
		r.write("nb/explore.ipynb", string(scantest.Notebook(scantest.NotebookAWSCell(secret)+"df = pd.read_csv(\"x.csv\")\n")))
		r.commit("load the csv")

		col := scanSource(t, New(r.dir, opts...))
		var got []string
		for _, f := range col.Findings() {
			got = append(got, fmt.Sprintf("%s:%d:%d %s %s %v", f.Path, f.Line, f.Column, f.RuleID, f.Commit, f.Secret == secret))
		}
		line, c := scantest.Position(nb, secret)
		want := []string{fmt.Sprintf("nb/explore.ipynb:%d:%d aws-secret-access-key %s true", line, c, added)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("findings (-want +got):\n%s\nerrors: %v", diff, col.Errors())
		}
	})
}

// TestNotebookStaged: the staged-changes scan reads a staged notebook
// through the extractor too.
func TestNotebookStaged(t *testing.T) {
	secret := scantest.FakeAWSSecret(4)
	engines(t, func(t *testing.T, opts ...Option) {
		r := newRepo(t)
		r.write("README", "notebooks\n")
		r.commit("one")
		nb := scantest.Notebook(scantest.NotebookAWSCell(secret))
		r.write("explore.ipynb", string(nb))
		r.git("add", "explore.ipynb")
		col := scanSource(t, NewStaged(r.dir, opts...))
		line, _ := scantest.Position(nb, secret)
		if fs := col.Findings(); len(fs) != 1 || fs[0].Secret != secret || fs[0].Line != line {
			t.Errorf("staged notebook: %+v (errors %v)", fs, col.Errors())
		}
	})
}

// TestStructuredHistory: a password in a YAML folded block scalar (the
// key on one line, the value below it) is found in history by both
// engines, at the value's line, attributed to the commit that added it and
// not to a later commit that edits another key of the file.
func TestStructuredHistory(t *testing.T) {
	pw := "Vq7!mZ2#" + "pL9rKw4T"
	engines(t, func(t *testing.T, opts ...Option) {
		r := newRepo(t)
		body := "db:\n  host: db.internal\n  password: >-\n    " + pw + "\n"
		r.write("charts/app/values.yaml", body)
		added := r.commit("database settings")
		r.write("charts/app/values.yaml", strings.Replace(body, "db.internal", "db.prod.internal", 1))
		r.commit("point at the production database")

		col := scanSource(t, New(r.dir, opts...))
		var got []string
		for _, f := range col.Findings() {
			got = append(got, fmt.Sprintf("%s:%d:%d %s %s %v", f.Path, f.Line, f.Column, f.RuleID, f.Commit, f.Secret == pw))
		}
		want := []string{fmt.Sprintf("charts/app/values.yaml:4:5 generic-secret %s true", added)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("findings (-want +got):\n%s\nerrors: %v", diff, col.Errors())
		}
	})
}
