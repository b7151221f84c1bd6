package scan

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secretlint/secretlint/rules"
)

// testKey is a format-valid fake AWS access key ID, assembled so the source
// file itself holds no match.
var testKey = "AKIA" + "QH746YNG" + "7BY3A4RO"

func testEngine(t testing.TB, opts ...Option) *Engine {
	t.Helper()
	r, err := rules.Spec{
		ID:          "aws-access-key-id",
		Description: "AWS access key ID",
		Keywords:    []string{"akia"},
		Regex:       `\b(AKIA[A-Z2-7]{16})\b`,
		SecretGroup: 1,
	}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	set, err := rules.NewSet([]*rules.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	return NewEngine(set, opts...)
}

type pos struct {
	Line, Col int
	Enc       string
}

func positions(fs []Finding) []pos {
	var out []pos
	for _, f := range fs {
		out = append(out, pos{f.Line, f.Column, f.Encoding})
	}
	return out
}

func TestEngineReportsLineColumnAndSuppressions(t *testing.T) {
	e := testEngine(t)
	b64 := base64.StdEncoding.EncodeToString([]byte("aws_access_key_id=" + testKey))
	wrapped := base64.StdEncoding.EncodeToString([]byte("# the deploy user, rotated by the platform team\naws_access_key_id=" + testKey + "\nregion=eu-west-1\n"))
	tests := []struct {
		name string
		data string
		want []pos
	}{
		{"plain", "a\nkey = " + testKey + "\n", []pos{{2, 7, ""}}},
		{"second on a line", "x " + testKey + " " + testKey, []pos{{1, 3, ""}, {1, 24, ""}}},
		{"inline allow", "key = " + testKey + " # secretlint:allow\n", nil},
		{"gitleaks allow", "key = " + testKey + " // gitleaks:allow\n", nil},
		{"detect-secrets allow", "key = " + testKey + "  # pragma: allowlist secret\n", nil},
		{"trufflehog allow", "key = " + testKey + "  # trufflehog:ignore\n", nil},
		{"base64", "data:\n  creds: " + b64 + "\n", []pos{{2, 10, "base64"}}},
		{"hex", "h=" + hex.EncodeToString([]byte("id="+testKey+"  ")) + "\n", []pos{{1, 3, "hex"}}},
		{"percent", "u=" + url.QueryEscape("k="+testKey+"&x=1") + "\n", []pos{{1, 1, "percent"}}},
		{"wrong alphabet", "key = AKIA0000000000000001\n", nil},
		// `cat creds | base64` wraps at 76, PEM at 64: pasted into a YAML
		// block scalar, the run is joined over its lines and decoded whole,
		// the key found once where the run starts, even when it straddles
		// a wrap.
		{"base64 wrapped at 76", "data:\n  creds: |\n" + wrap(wrapped, 76, "    ", "\n") + "\nkind: Secret\n", []pos{{3, 5, "base64"}}},
		{"base64 wrapped at 64, CRLF", "creds: |\r\n" + wrap(wrapped, 64, "  ", "\r\n") + "\r\n", []pos{{2, 3, "base64"}}},
		{"base64 wrapped, no indent", wrap(wrapped, 76, "", "\n") + "\n", []pos{{1, 1, "base64"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := positions(e.Scan(Fragment{Origin: &Origin{Source: SourceFile, Path: "f"}, Data: []byte(tt.data)}))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings differ (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEngineFindingCarriesOriginAndStableFingerprint(t *testing.T) {
	e := testEngine(t)
	scanAt := func(prefix string) Finding {
		fs := e.Scan(Fragment{Origin: &Origin{Source: SourceFile, Path: "app/settings.py"}, Data: []byte(prefix + "KEY='" + testKey + "'\n")})
		if len(fs) != 1 {
			t.Fatalf("want 1 finding, got %d", len(fs))
		}
		return fs[0]
	}
	a, b := scanAt(""), scanAt("# a new line above\n\n")
	if a.Path != "app/settings.py" || a.Source != SourceFile || a.Secret != testKey || a.RuleID != "aws-access-key-id" {
		t.Errorf("finding = %+v", a)
	}
	if a.Line == b.Line {
		t.Fatalf("lines should differ")
	}
	if a.Fingerprint != b.Fingerprint {
		t.Errorf("fingerprint changed with line: %q vs %q", a.Fingerprint, b.Fingerprint)
	}
	if strings.Contains(a.Fingerprint, testKey) {
		t.Errorf("fingerprint leaks the secret: %q", a.Fingerprint)
	}
	if a.EndColumn-a.Column+1 != len(testKey) {
		t.Errorf("span %d..%d, want length %d", a.Column, a.EndColumn, len(testKey))
	}
}

func TestEngineGlobalAllowlist(t *testing.T) {
	al, err := rules.AllowlistSpec{Paths: []string{`^vendor/`}, Stopwords: []string{"7BY3"}}.Compile()
	if err != nil {
		t.Fatal(err)
	}
	e := testEngine(t, WithAllowlist(al))
	for _, path := range []string{"vendor/x.go", "main.go"} {
		if fs := e.Scan(Fragment{Origin: &Origin{Path: path}, Data: []byte(testKey)}); len(fs) != 0 {
			t.Errorf("%s: allowlisted finding reported", path)
		}
	}
	if !e.SkipPath("vendor/x.go") || e.SkipPath("main.go") {
		t.Errorf("SkipPath disagrees with the path allowlist")
	}
}

func TestScanReaderMatchesWholeScanAcrossChunks(t *testing.T) {
	e := testEngine(t)
	var buf bytes.Buffer
	var want []pos
	line := 1
	for buf.Len() < 3*chunkSize {
		if line%997 == 0 {
			buf.WriteString("k=" + testKey + "\n")
			want = append(want, pos{line, 3, ""})
		} else {
			buf.WriteString("just an ordinary log line without anything in it\n")
		}
		line++
	}
	var got []pos
	n, err := e.ScanReader(bytes.NewReader(buf.Bytes()), &Origin{Path: "log"}, func(fs []Finding) { got = append(got, positions(fs)...) })
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("ScanReader = %d, %v; want %d bytes", n, err, buf.Len())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings differ (-want +got):\n%s", diff)
	}
}

func TestScanReaderLongLineWindowsFindEachSecretOnce(t *testing.T) {
	e := testEngine(t)
	// One line far longer than a chunk, with secrets placed across window
	// edges: every one is found exactly once at its true column.
	line := bytes.Repeat([]byte("a"), 3*chunkSize)
	var want []pos
	for _, at := range []int{10, chunkSize - 5, chunkSize + overlap - 3, 2*chunkSize - overlap - 10, 3*chunkSize - 40} {
		copy(line[at:], " "+testKey+" ")
		want = append(want, pos{2, at + 2, ""})
	}
	data := append([]byte("first\n"), line...)
	var got []pos
	if _, err := e.ScanReader(bytes.NewReader(data), &Origin{}, func(fs []Finding) { got = append(got, positions(fs)...) }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings differ (-want +got):\n%s", diff)
	}
}

func TestRedactNeverShowsTheSecret(t *testing.T) {
	for _, s := range []string{testKey, "short", "hunter2hunter2", "ünïcødé-sëcret-välue-long"} {
		r := Redact(s)
		if strings.Contains(r, s) || len(r) > 12 {
			t.Errorf("Redact(%q) = %q", s, r)
		}
	}
	if got := Redact(testKey); !strings.HasPrefix(got, "AKIA") {
		t.Errorf("Redact keeps no recognisable prefix: %q", got)
	}
}

// A report read back holds masks; redacting them again must not shorten
// the kept prefix (ghp_******** would become gh********).
func TestRedactKeepsARedactedValue(t *testing.T) {
	for _, s := range []string{testKey, "short", "hunter2hunter2", "ünïcødé-sëcret-välue-long", "0123456789abcdefghij"} {
		once := Redact(s)
		if twice := Redact(once); twice != once {
			t.Errorf("Redact(Redact(%q)) = %q, want %q", s, twice, once)
		}
	}
	// A value that only ends like a mask is still redacted.
	for _, s := range []string{"abc********", "abcdef********", "ü********"} {
		if got := Redact(s); got == s {
			t.Errorf("Redact(%q) kept the value", s)
		}
	}
}

func TestDecodedSecretReplacesGenericMatchOfItsEncodedForm(t *testing.T) {
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(set)
	enc := base64.StdEncoding.EncodeToString([]byte(testKey))
	doc := "apiVersion: v1\nkind: Secret\ndata:\n  aws_access_key_id: " + enc + "\n  api_token: " + enc + "\n"
	fs := e.Scan(Fragment{Origin: &Origin{Path: "secret.yaml"}, Data: []byte(doc)})
	var got []string
	for _, f := range fs {
		got = append(got, f.RuleID+"/"+f.Encoding+"/"+strconv.Itoa(f.Line))
	}
	want := []string{"aws-access-key-id/base64/4", "aws-access-key-id/base64/5"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings differ (-want +got):\n%s", diff)
	}
}

func TestPercentEncodedPasswordIsReportedOnce(t *testing.T) {
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	e := NewEngine(set)
	// The password's %3D%3D decodes to ==: the decoded URL matches too,
	// with a different secret, yet it is the same credential.
	line := "DATABASE_URL=postgres://app:" + "Zk8qrT5w9LmX" + "%3D%3D@db.internal:5432/app\n"
	fs := e.Scan(Fragment{Origin: &Origin{Path: ".env"}, Data: []byte(line)})
	if len(fs) != 1 || fs[0].RuleID != "db-connection-string" || fs[0].Encoding != "" {
		var got []string
		for _, f := range fs {
			got = append(got, f.RuleID+"/"+f.Encoding)
		}
		t.Errorf("findings = %v, want one direct db-connection-string", got)
	}
}

// wrap cuts s into lines of width bytes, each after indent, joined by nl,
// as base64(1) and PEM write long runs.
func wrap(s string, width int, indent, nl string) string {
	var lines []string
	for len(s) > width {
		lines = append(lines, indent+s[:width])
		s = s[width:]
	}
	return strings.Join(append(lines, indent+s), nl)
}
