package content

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// TestNotebookExtractor: a notebook cell that writes a dotenv file holds
// a password on a line of its own; in the raw bytes that line is a quoted,
// indented JSON string and the rule does not see an assignment, in the
// extractor's joined cell it does. The finding points at the raw bytes,
// and what the raw scan found already is not reported twice.
func TestNotebookExtractor(t *testing.T) {
	password := "Zq8w!rT5" + "pLm2vX9k"
	cell := "%%writefile .env\nAWS_ACCESS_KEY_ID=" + testKey + "\nDB_PASS" + "WORD=" + password + "\n"
	nb := map[string]any{
		"cells": []any{
			map[string]any{"cell_type": "markdown", "metadata": map[string]any{}, "source": []string{"# Deploy\n", "Uses the \"ops\" account."}},
			map[string]any{"cell_type": "code", "execution_count": 1, "metadata": map[string]any{}, "outputs": []any{},
				"source": strings.SplitAfter(cell, "\n")},
		},
		"nbformat": 4, "nbformat_minor": 5,
	}
	data, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	e := scan.NewEngine(set)
	type hit struct {
		Rule, Secret         string
		Line, Column, EndCol int
	}
	scanWith := func(opts ...Option) []hit {
		col := &scan.Collector{}
		New(e, opts...).File(scan.Origin{Source: scan.SourceFile, Path: "deploy.ipynb"}, bytes.NewReader(data), int64(len(data)), col)
		var out []hit
		for _, f := range col.Findings() {
			out = append(out, hit{f.RuleID, f.Secret, f.Line, f.Column, f.EndColumn})
		}
		return out
	}
	ls := newLines(data)
	at := func(rule, secret string) hit {
		off := bytes.Index(data, []byte(secret))
		line, col := ls.position(off)
		return hit{rule, secret, line, col, col + len(secret) - 1}
	}
	key := at("aws-access-key-id", testKey)
	if diff := cmp.Diff([]hit{key}, scanWith(WithExtractors())); diff != "" {
		t.Fatalf("raw scan (-want +got); the test assumes the raw bytes hide the password:\n%s", diff)
	}
	want := []hit{key, at("generic-secret", password)}
	if diff := cmp.Diff(want, scanWith()); diff != "" {
		t.Errorf("with the default extractors (-want +got):\n%s", diff)
	}
}

// TestNotebookExtractOffsets: every byte of a piece maps to the raw byte
// it came from, escapes and non-ASCII included; a "text" that is a plain
// string, not an array of lines, is left to the raw scan.
func TestNotebookExtractOffsets(t *testing.T) {
	raw := []byte(`{"cells":[{"source":["a\"b\n","\u00e9\ud83d\ude00x"],"n":1,"text":"not an array"}]}`)
	pieces, err := Notebook{}.Extract(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(pieces) != 1 {
		t.Fatalf("%d pieces, want 1", len(pieces))
	}
	p := pieces[0]
	if want := "a\"b\né😀x"; string(p.Text) != want {
		t.Errorf("text %q, want %q", p.Text, want)
	}
	if len(p.Raw) != len(p.Text)+1 {
		t.Fatalf("%d offsets for %d bytes", len(p.Raw), len(p.Text))
	}
	wantRaw := []int{22, 23, 25, 26, 31}
	if diff := cmp.Diff(wantRaw, p.Raw[:5]); diff != "" {
		t.Errorf("offsets (-want +got):\n%s", diff)
	}
	if raw[p.Raw[len(p.Text)-1]] != 'x' {
		t.Errorf("last byte maps to raw %q, want 'x'", raw[p.Raw[len(p.Text)-1]])
	}
}

// FuzzNotebook: whatever the bytes, Extract returns pieces whose maps
// point inside the input, or an error; it never panics.
func FuzzNotebook(f *testing.F) {
	f.Add([]byte(`{"cells":[{"source":["a\"b\n","\u00e9x"]}]}`))
	f.Add([]byte(`{"cells":[{"source":["\ud83d"]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		pieces, err := Notebook{}.Extract(data)
		if err != nil {
			return
		}
		for _, p := range pieces {
			if len(p.Raw) != len(p.Text)+1 {
				t.Fatalf("%d offsets for %d bytes", len(p.Raw), len(p.Text))
			}
			for _, o := range p.Raw {
				if o < 0 || o >= len(data) {
					t.Fatalf("offset %d outside %d bytes", o, len(data))
				}
			}
		}
	})
}
