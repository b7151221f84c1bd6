package git

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const sampleDiff = `5e878183e900c43e5f0dcb05abc10fbdaa9bfa79
diff --git a/f b/f
index 422c2b7ab3b3c668038da977e4e93a5fc623169c..55dce135f5939fc45738aec42a917794a39cbfce 100644
--- a/f
+++ b/f
@@ -2 +2 @@ a
-b
+B
@@ -10,2 +10,3 @@
--- a removed line that looks like a header
-++ another
+++ an added line that looks like a header
+x
+y
3c569d3d80ddb8bd3d696038acb0e02ec458c7aa
diff --git a/sp ace b/sp ace
new file mode 100644
index 0000000000000000000000000000000000000000..74b863c56ab04893aa85966554a48add58cdee08
--- /dev/null
+++ b/sp ace	
@@ -0,0 +1 @@
+x y
\ No newline at end of file
diff --git "a/q\"uote\303\251" "b/q\"uote\303\251"
new file mode 100644
index 0000000000000000000000000000000000000000..74b863c56ab04893aa85966554a48add58cdee08
--- /dev/null
+++ "b/q\"uote\303\251"
@@ -0,0 +1 @@
+quoted
diff --git a/old.txt b/new.txt
similarity index 90%
rename from old.txt
rename to new.txt
index 1111111111111111111111111111111111111111..2222222222222222222222222222222222222222 100644
--- a/old.txt
+++ b/new.txt
@@ -3,0 +4 @@
+renamed and edited
diff --git a/gone.txt b/gone.txt
deleted file mode 100644
index 3333333333333333333333333333333333333333..0000000000000000000000000000000000000000
--- a/gone.txt
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git a/img.png b/img.png
new file mode 100644
index 0000000000000000000000000000000000000000..4444444444444444444444444444444444444444
Binary files /dev/null and b/img.png differ
diff --git a/vendor/lib b/vendor/lib
new file mode 160000
index 0000000000000000000000000000000000000000..5555555555555555555555555555555555555555
--- /dev/null
+++ b/vendor/lib
@@ -0,0 +1 @@
+Subproject commit 5555555555555555555555555555555555555555
c8bd375a5b73ec198987e8918f1ff86fc164b0eb
diff --cc f
index de980441c3ab03a8c07dda1ad27b8a11f39deb1e,55dce135f5939fc45738aec42a917794a39cbfce..232ad875e5f88bdf8c4f23e69ada5d1826cacbec
--- a/f
+++ b/f
@@@ -2,2 -2,1 +2,4 @@@
 -B
 +b
 +c
++EVIL
++EVIL2
`

func parseAll(t testing.TB, in string, max int64) []fileDiff {
	var out []fileDiff
	var commits []string
	p := newDiffParser(strings.NewReader(in), max)
	p.onCommit = func(id string) { commits = append(commits, id) }
	p.onFile = func(f *fileDiff) {
		c := *f
		c.Hunks = nil
		for _, h := range f.Hunks { // the parser reuses hunk memory
			c.Hunks = append(c.Hunks, hunk{Line: h.Line, Data: append([]byte(nil), h.Data...)})
		}
		out = append(out, c)
	}
	if err := p.parse(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDiffParser(t *testing.T) {
	got := parseAll(t, sampleDiff, 0)
	const (
		c1 = "5e878183e900c43e5f0dcb05abc10fbdaa9bfa79"
		c2 = "3c569d3d80ddb8bd3d696038acb0e02ec458c7aa"
		c3 = "c8bd375a5b73ec198987e8918f1ff86fc164b0eb"
	)
	want := []fileDiff{
		{Commit: c1, Path: "f", Blob: "55dce135f5939fc45738aec42a917794a39cbfce", Hunks: []hunk{
			{Line: 2, Data: []byte("B\n")},
			{Line: 10, Data: []byte("++ an added line that looks like a header\nx\ny\n")},
		}},
		{Commit: c2, Path: "sp ace", Blob: "74b863c56ab04893aa85966554a48add58cdee08", Hunks: []hunk{{Line: 1, Data: []byte("x y\n")}}},
		{Commit: c2, Path: "q\"uote\u00e9", Blob: "74b863c56ab04893aa85966554a48add58cdee08", Hunks: []hunk{{Line: 1, Data: []byte("quoted\n")}}},
		{Commit: c2, Path: "new.txt", Blob: "2222222222222222222222222222222222222222", Hunks: []hunk{{Line: 4, Data: []byte("renamed and edited\n")}}},
		{Commit: c2, Path: ""},
		{Commit: c2, Path: "img.png", Blob: "4444444444444444444444444444444444444444", Binary: true},
		{Commit: c2, Path: "vendor/lib", Blob: "5555555555555555555555555555555555555555", Submodule: true, Hunks: []hunk{{Line: 1, Data: []byte("Subproject commit 5555555555555555555555555555555555555555\n")}}},
		// In a merge only lines new to every parent count.
		{Commit: c3, Path: "f", Blob: "232ad875e5f88bdf8c4f23e69ada5d1826cacbec", Hunks: []hunk{{Line: 4, Data: []byte("EVIL\nEVIL2\n")}}},
	}
	if d := cmp.Diff(want, got, cmp.AllowUnexported(fileDiff{}, hunk{})); d != "" {
		t.Errorf("parse (-want +got):\n%s", d)
	}
}

func TestDiffParserLimits(t *testing.T) {
	long := "abc\n@@ -0,0 +1,2 @@\n+" + strings.Repeat("x", 3000) + "\n+short\n"
	in := "diff --git a/f b/f\n--- /dev/null\n+++ b/f\n" + long[4:]
	got := parseAll(t, in, 100)
	if len(got) != 1 || !got[0].Truncated {
		t.Fatalf("over-long added text not marked: %+v", got)
	}
	for _, h := range got[0].Hunks {
		if len(h.Data) > 101 {
			t.Errorf("hunk of %d bytes kept past a 100-byte limit", len(h.Data))
		}
	}
	// Without a size cap a line over 1 MB is cut, and the next lines still read.
	in2 := "diff --git a/f b/f\n--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+" + strings.Repeat("y", 2<<20) + "\n+next\n"
	got = parseAll(t, in2, 0)
	if len(got) != 1 || !got[0].Truncated || len(got[0].Hunks) != 1 || !strings.HasSuffix(string(got[0].Hunks[0].Data), "\nnext\n") || len(got[0].Hunks[0].Data) > 1<<20+10 {
		t.Fatalf("long line: truncated=%v hunks=%d", got[0].Truncated, len(got[0].Hunks))
	}
	// Malformed headers and stray lines are skipped, not fatal.
	for _, in := range []string{"@@ -x +y @@\n+a\n", "diff --git a/f b/f\n@@ -1 +1\n+a\n", "diff --git\n+++ \n@@@ -1 +1 @@@\n+\n", "diff --cc x\n@@@ -1,1 -1,1 +1,1 @@@\n+\n"} {
		parseAll(t, in, 0)
	}
}

func FuzzDiffParser(f *testing.F) {
	f.Add([]byte(sampleDiff))
	f.Add([]byte("diff --git a/f b/f\n--- /dev/null\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n"))
	f.Add([]byte("diff --cc f\n@@@ -1,1 -1,1 +1,2 @@@\n ++x\n+ y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := newDiffParser(strings.NewReader(string(data)), 1<<12)
		p.onFile = func(fd *fileDiff) {
			var total int
			for _, h := range fd.Hunks {
				if h.Line < 1 && len(h.Data) > 0 {
					t.Fatalf("hunk at line %d", h.Line)
				}
				if len(h.Data) == 0 || h.Data[len(h.Data)-1] != '\n' {
					t.Fatalf("hunk data %q does not end a line", h.Data)
				}
				total += len(h.Data)
			}
			if total > 1<<12+1 {
				t.Fatalf("%d added bytes kept past the cap", total)
			}
		}
		if err := p.parse(); err != nil {
			t.Fatal(err)
		}
	})
}
