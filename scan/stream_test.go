package scan

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	mrand "math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secretlint/secretlint/rules"
)

// pemKey returns a freshly generated RSA private key in PEM.
func pemKey(t testing.TB) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}

// multilineFixture is a text a multi-line rule reports once.
type multilineFixture struct{ rule, text string }

// multilineFixtures holds texts for each multi-line built-in rule, each
// spread over several lines (one over more than a single-line window's
// overlap), generated so no file holds a secret.
func multilineFixtures(t testing.TB) []multilineFixture {
	t.Helper()
	r := mrand.New(mrand.NewPCG(7, 11))
	rnd := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	key := pemKey(t)
	quoted, err := json.Marshal(key)
	if err != nil {
		t.Fatal(err)
	}
	sa := "{\n  \"type\": \"service_account\",\n  \"project_id\": \"demo\",\n  \"private_key\": " + string(quoted) + "\n}\n"
	putty := "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: fixture\nPublic-Lines: 1\n" +
		base64.StdEncoding.EncodeToString([]byte(rnd(alnum, 48))) + "\nPrivate-Lines: 1\n" +
		base64.StdEncoding.EncodeToString([]byte(rnd(alnum, 36))) + "\nPrivate-MAC: " + rnd("0123456789abcdef", 64) + "\n"
	return []multilineFixture{
		{"private-key", key},
		{"gcp-service-account-key", sa},
		{"putty-private-key", putty},
		{"netrc-password", "machine git.corp.invalid\n  login ci\n  password " + rnd(alnum, 20) + "\n"},
		{"netrc-password", "machine git.corp.invalid\n  login ci\n" + strings.Repeat("\n", 20<<10) + "  password " + rnd(alnum, 20) + "\n"},
		{"env-list-secret", "env:\n  - name: DB_PASSWORD\n    value: " + rnd(alnum, 24) + "\n"},
	}
}

func builtinEngine(t testing.TB) *Engine {
	t.Helper()
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	return NewEngine(set)
}

type spanPos struct {
	Rule                       string
	Line, Col, EndLine, EndCol int
}

func spans(fs []Finding) []spanPos {
	var out []spanPos
	for _, f := range fs {
		out = append(out, spanPos{f.RuleID, f.Line, f.Column, f.EndLine, f.EndColumn})
	}
	return out
}

// Every multi-line rule's fixture, placed across the cut between stream
// chunks at many offsets (before, on and after the carried tail, and on
// one line longer than a chunk), is reported once, where a scan of the
// whole text reports it.
func TestScanReaderFindsMultilineMatchAcrossChunksOnce(t *testing.T) {
	defer func(n int) { chunkSize = n }(chunkSize)
	chunkSize = 128 << 10
	e := builtinEngine(t)
	carry := max(overlap, e.set.MultilineSpan())
	if carry < 32<<10 {
		t.Fatalf("carried tail %d bytes, shorter than a multi-line match may span", carry)
	}
	filler := "an ordinary log line with nothing in it at all\n"
	fixtures := multilineFixtures(t)
	for _, fix := range fixtures {
		rule, fx := fix.rule, fix.text
		for _, long := range []bool{false, true} {
			// The first cut falls near chunkSize (or chunkSize+carry, the
			// buffer's end); the fixture straddles it at each offset.
			for _, at := range []int{chunkSize - len(fx)/2, chunkSize - 3, chunkSize + carry - len(fx)/2, chunkSize + carry - 1, chunkSize - carry, chunkSize - carry - len(fx)/2, 2*chunkSize - len(fx)/3} {
				var b strings.Builder
				if long {
					// No line end until the fixture: windows cut mid-line.
					b.WriteString(strings.Repeat("x", at-1) + "\n")
				} else {
					for b.Len()+len(filler) <= at {
						b.WriteString(filler)
					}
				}
				b.WriteString(fx)
				for b.Len() < 3*chunkSize {
					b.WriteString(filler)
				}
				data := []byte(b.String())
				whole := spans(e.Scan(Fragment{Data: data}))
				n := 0
				for _, s := range whole {
					if s.Rule == rule {
						n++
					}
				}
				if n != 1 {
					t.Fatalf("%s: whole scan reports %d matches, want 1: %v", rule, n, whole)
				}
				var got []Finding
				if _, err := e.ScanReader(bytes.NewReader(data), &Origin{}, func(fs []Finding) { got = append(got, fs...) }); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(whole, spans(got)); diff != "" {
					t.Errorf("%s at %d (long line %v): streamed findings differ from a whole scan (-whole +streamed):\n%s", rule, at, long, diff)
				}
			}
		}
	}
}
