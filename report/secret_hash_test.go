package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/scan"
)

// secret_hash stays in redacted reports (that is what it is for: telling
// the same secret apart without showing it), in JSON, JSONL and SARIF.
func TestSecretHashSurvivesRedaction(t *testing.T) {
	k, err := fingerprint.NewKey([]byte("report-test-key-0123456789"), "test")
	if err != nil {
		t.Fatal(err)
	}
	secret := sample("dmo_", 21, 28)
	var fs []scan.Finding
	for _, p := range []string{"a/one.env", "b/two.env"} {
		fs = append(fs, scan.Finding{RuleID: "demo-svc", Location: scan.Location{Path: p, Line: 1, Column: 1, EndLine: 1, EndColumn: 32},
			Secret: secret, Fingerprint: k.Fingerprint("demo-svc", p, secret), SecretHash: k.SecretHash(secret)})
	}
	want := k.SecretHash(secret)
	for _, format := range []string{"json", "jsonl", "sarif"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, format, &Report{Findings: fs}, Options{}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if strings.Contains(out, secret) {
				t.Fatal("raw secret in a redacted report")
			}
			if n := strings.Count(out, want); n < 2 {
				t.Errorf("secret hash appears %d times, want it on both findings:\n%s", n, out)
			}
		})
	}
	var buf bytes.Buffer
	if err := Write(&buf, "jsonl", &Report{Findings: fs[:1]}, Options{}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["secret_hash"] != want {
		t.Errorf("secret_hash = %v, want %s", got["secret_hash"], want)
	}
	// Without a key there is no field at all (the golden reports prove the
	// bytes; this names the reason).
	fs[0].SecretHash = ""
	buf.Reset()
	Write(&buf, "json", &Report{Findings: fs[:1]}, Options{})
	if strings.Contains(buf.String(), "secret_hash") {
		t.Error("secret_hash written for a finding without one")
	}
}

// A merged audit reads shard reports back: secret_hash survives ReadJSON.
func TestSecretHashReadBack(t *testing.T) {
	k, err := fingerprint.NewKey([]byte("read-back-test-key-0123456789"), "test")
	if err != nil {
		t.Fatal(err)
	}
	secret := sample("dmo_", 22, 28)
	f := scan.Finding{RuleID: "demo-svc", Location: scan.Location{Path: "a.env", Line: 1, Column: 1, EndLine: 1, EndColumn: 32},
		Secret: secret, Fingerprint: k.Fingerprint("demo-svc", "a.env", secret), SecretHash: k.SecretHash(secret)}
	var buf bytes.Buffer
	if err := Write(&buf, "json", &Report{Findings: []scan.Finding{f}}, Options{}); err != nil {
		t.Fatal(err)
	}
	r, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 1 || r.Findings[0].SecretHash != f.SecretHash || r.Findings[0].Fingerprint != f.Fingerprint {
		t.Errorf("read back %+v; want secret_hash %s and fingerprint %s", r.Findings, f.SecretHash, f.Fingerprint)
	}
}
