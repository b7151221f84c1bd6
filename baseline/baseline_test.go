package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
)

func finding(rule, path string, line int, secret string) scan.Finding {
	return scan.Finding{RuleID: rule, Location: scan.Location{Path: path, Line: line}, Secret: secret, Fingerprint: scan.Fingerprint(rule, path, secret)}
}

func TestRoundTrip(t *testing.T) {
	old := []scan.Finding{
		finding("demo-token", "a.py", 3, "s1"),
		finding("demo-token", "a.py", 3, "s1"), // same secret twice: one entry
		finding("demo-key", "b/c.pem", 1, "s2"),
		finding("demo-token", "gone.py", 1, "s3"),
	}
	var buf bytes.Buffer
	if err := Write(&buf, old); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `"s1"`) {
		t.Fatal("baseline holds a raw secret")
	}
	if strings.Contains(buf.String(), "demo-token:") {
		t.Errorf("baseline holds joined fingerprints, which read as assignments:\n%s", buf.String())
	}
	b, err := Parse("bl.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 3 {
		t.Errorf("%d entries, want 3", b.Len())
	}
	now := []scan.Finding{
		finding("demo-token", "a.py", 10, "s1"), // moved down by edits above: still suppressed
		finding("demo-token", "a.py", 10, "s9"), // a new secret on the same line: reported
		finding("demo-key", "b/c.pem", 1, "s2"),
	}
	kept, n, stale := b.Filter(now)
	if n != 2 {
		t.Errorf("suppressed %d, want 2", n)
	}
	if len(kept) != 1 || kept[0].Secret != "s9" {
		t.Errorf("kept %v, want only the new secret", kept)
	}
	if want := []string{scan.Fingerprint("demo-token", "gone.py", "s3")}; !cmp.Equal(stale, want) {
		t.Errorf("stale = %v, want %v", stale, want)
	}
}

func TestJoinedFingerprints(t *testing.T) {
	fp := scan.Fingerprint("demo", "c:/dir:x/a.py", "s")
	b, err := Parse("bl.json", []byte(`{"version":"1","findings":[{"fingerprint":"`+fp+`"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, n, _ := b.Filter([]scan.Finding{finding("demo", "c:/dir:x/a.py", 1, "s")}); n != 1 {
		t.Error("joined fingerprint did not match")
	}
	var buf bytes.Buffer
	Write(&buf, []scan.Finding{finding("demo", "c:/dir:x/a.py", 1, "s")})
	b, err = Parse("bl.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if _, n, _ := b.Filter([]scan.Finding{finding("demo", "c:/dir:x/a.py", 1, "s")}); n != 1 {
		t.Errorf("path with colons does not round-trip:\n%s", buf.String())
	}
}

func TestGitleaksReportAsBaseline(t *testing.T) {
	b, err := Parse("gl.json", []byte(`[{"RuleID":"demo","File":"a.py","Fingerprint":"a.py:demo:3"},
	{"Fingerprint":"0123abcd:b.py:demo:7"},{"Fingerprint":"c.py:demo:1"}]`))
	if err != nil {
		t.Fatal(err)
	}
	fs := []scan.Finding{
		finding("demo", "a.py", 3, "x"),
		{RuleID: "demo", Location: scan.Location{Path: "b.py", Line: 7}, GitInfo: scan.GitInfo{Commit: "0123abcd"}, Fingerprint: "f"},
		finding("demo", "a.py", 4, "y"),
	}
	kept, n, stale := b.Filter(fs)
	if n != 2 || len(kept) != 1 || kept[0].Line != 4 {
		t.Errorf("kept %v, suppressed %d", kept, n)
	}
	if !cmp.Equal(stale, []string{"c.py:demo:1"}) {
		t.Errorf("stale = %v", stale)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"not json", "hello", "bl.json: not a secretlint baseline"},
		{"wrong version", `{"version":"7","findings":[]}`, `baseline version "7"`},
		{"unknown field", `{"version":"1","findings":[],"extra":1}`, "unknown field"},
		{"empty fingerprint", `{"version":"1","findings":[{"rule_id":"x","path":"a"}]}`, "entry 1 has neither a fingerprint nor rule_id, path and hash"},
		{"gitleaks without fingerprint", `[{"RuleID":"x"}]`, "finding 1 has no Fingerprint"},
		{"truncated", `{"version":"1","findings":[{"fingerprint":"a"`, "not a secretlint baseline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("bl.json", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.json")); err == nil || !strings.Contains(err.Error(), "none.json") {
		t.Errorf("missing file: %v", err)
	}
}

func TestGitleaksIgnore(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".gitleaksignore")
	content := "# known\r\n" +
		"a.py:demo:3\r\n" +
		"  0123abcd:b.py:demo:7   # fixture commit\n" +
		scan.Fingerprint("demo", "c.py", "s") + "\n" +
		"src/app.py:aws-access-token:3\n" +
		"c0ffee:src/app.py:aws-access-token:5\n\n"
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	ig, err := LoadGitleaksIgnore(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    scan.Finding
		want bool
	}{
		{finding("demo", "a.py", 3, "x"), true},
		{finding("demo", "a.py", 4, "x"), false},
		{finding("other", "a.py", 3, "x"), false},
		{scan.Finding{RuleID: "demo", Location: scan.Location{Path: "b.py", Line: 7}, GitInfo: scan.GitInfo{Commit: "0123abcd"}}, true},
		{scan.Finding{RuleID: "demo", Location: scan.Location{Path: "b.py", Line: 7}, GitInfo: scan.GitInfo{Commit: "ffff"}}, false},
		{finding("demo", "c.py", 99, "s"), true},
		{finding("demo", "c.py", 99, "t"), false},
		// gitleaks ids stand for the built-in rules that cover them.
		{finding("aws-access-key-id", "src/app.py", 3, "x"), true},
		{scan.Finding{RuleID: "aws-access-key-id", Location: scan.Location{Path: "src/app.py", Line: 5}, GitInfo: scan.GitInfo{Commit: "c0ffee"}}, true},
		{finding("aws-access-key-id", "src/app.py", 4, "x"), false},
		{finding("github-pat", "src/app.py", 3, "x"), false},
	} {
		if got := ig.Matches(tc.f); got != tc.want {
			t.Errorf("Matches(%s:%s:%d %s) = %v, want %v", tc.f.Path, tc.f.RuleID, tc.f.Line, tc.f.Commit, got, tc.want)
		}
	}
	var nilIg *Ignore
	if nilIg.Matches(finding("demo", "a.py", 3, "x")) {
		t.Error("nil ignore matched")
	}
	if m := nilIg.Merge(ig); !m.Matches(finding("demo", "a.py", 3, "x")) {
		t.Error("merge lost entries")
	}
}

// FuzzParse feeds arbitrary bytes to the baseline loader and the
// .gitleaksignore parser: an error or a baseline, never a panic.
func FuzzParse(f *testing.F) {
	var buf bytes.Buffer
	Write(&buf, []scan.Finding{finding("demo", "a.py", 1, "s"), finding("demo", "b.py", 2, "t")})
	f.Add(buf.Bytes())
	f.Add([]byte(`[{"Fingerprint":"a.py:demo:3"}]`))
	f.Add([]byte("# comment\na.py:demo:3\n0123:b.py:demo:7\n"))
	f.Add([]byte(`{"version":"1","findings":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fs := []scan.Finding{finding("demo", "a.py", 3, "s"), {RuleID: "demo", Location: scan.Location{Path: "b.py", Line: 7}, GitInfo: scan.GitInfo{Commit: "0123"}}}
		if b, err := Parse("fuzz.json", data); err == nil {
			kept, n, stale := b.Filter(fs)
			if len(kept)+n != len(fs) || len(stale) > b.Len() {
				t.Fatalf("kept %d + suppressed %d != %d, stale %d of %d", len(kept), n, len(fs), len(stale), b.Len())
			}
		} else if !strings.HasPrefix(err.Error(), "fuzz.json") {
			t.Fatalf("error does not name the file: %v", err)
		}
		ParseGitleaksIgnore(data).Matches(fs[1])
	})
}

// gitleaks lists one credential under two of its rules (a GitHub token in
// a curl header: github-pat and curl-auth-header); secretlint reports it
// once, and the second entry is not stale.
func TestGitleaksIgnoreTwoRulesOnePlace(t *testing.T) {
	const commit = "b510abb93cef31f1751db6d21dc81cba3b9ce948"
	ig := ParseGitleaksIgnore([]byte(commit + ":ci/release.sh:github-pat:2\n" +
		commit + ":ci/release.sh:curl-auth-header:2\n" +
		commit + ":ci/other.sh:curl-auth-header:7\n"))
	f := scan.Finding{RuleID: "github-pat", Location: scan.Location{Path: "ci/release.sh", Line: 2}}
	f.Commit = commit
	if !ig.Matches(f) {
		t.Fatal("the github-pat entry does not suppress the finding")
	}
	if got := ig.Stale(); len(got) != 1 || got[0] != commit+":ci/other.sh:curl-auth-header:7" {
		t.Errorf("stale %v, want only the entry for a place with no finding", got)
	}
	for entry, want := range map[string]string{
		commit + ":a/b.py:generic-api-key:12": commit + ":a/b.py:12",
		"a/b.py:generic-api-key:12":           "a/b.py:12",
		"a/b.py:rule:x":                       "",
		"nocolon":                             "",
	} {
		if got := place(entry); got != want {
			t.Errorf("place(%q) = %q, want %q", entry, got, want)
		}
	}
}

// A gitleaks generic-api-key entry suppresses what secretlint reports at
// its place under a specific rule (gitleaks has no rule for an apilayer
// key and calls it generic-api-key); an entry for another place does not.
func TestGitleaksIgnoreGenericEntry(t *testing.T) {
	const commit = "796df56e6b50460d39ad10bda7622b0b3d95a2ff"
	ig := ParseGitleaksIgnore([]byte(commit + ":app.env:generic-api-key:1\napp.env:generic-api-key:9\n"))
	f := scan.Finding{RuleID: "positionstack-api-key", Location: scan.Location{Path: "app.env", Line: 1}}
	f.Commit = commit
	if !ig.Matches(f) {
		t.Error("the generic-api-key entry does not suppress the specific rule's finding at its place")
	}
	other := scan.Finding{RuleID: "positionstack-api-key", Location: scan.Location{Path: "app.env", Line: 2}}
	other.Commit = commit
	if ig.Matches(other) {
		t.Error("the generic-api-key entry suppresses a finding at another line")
	}
	if got := ig.Stale(); len(got) != 1 || got[0] != "app.env:generic-api-key:9" {
		t.Errorf("stale %v, want the entry for line 9 only", got)
	}
}
