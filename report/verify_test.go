package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/scan"
)

// verifiedReport is the sample report after --verify: its first finding
// live with an identity and scopes, its second invalid.
func verifiedReport() *Report {
	r := sampleReport()
	r.Verified = true
	r.Findings[0].Verification = &scan.Verification{Status: scan.VerifyLive, CheckedAt: "2026-12-03T10:00:00Z",
		Identity: map[string]string{"login": "octo-ci", "type": "User"}, Scopes: []string{"repo", "read:org"}}
	r.Findings[1].Verification = &scan.Verification{Status: scan.VerifyInvalid, CheckedAt: "2026-12-03T10:00:01Z", Detail: "401 Unauthorized"}
	return r
}

// TestVerificationInEveryFormat: JSON, JSONL and SARIF carry the
// verification object, CSV its four columns, JUnit the answer in the
// failure (LIVE in its message), code quality the status only, and the
// text report opens with the live credential and marks each verified
// finding.
func TestVerificationInEveryFormat(t *testing.T) {
	r := verifiedReport()
	write := func(format string) string {
		var b bytes.Buffer
		if err := Write(&b, format, r, Options{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}

	var js struct {
		Findings []struct {
			Verification *scan.Verification `json:"verification"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(write("json")), &js); err != nil {
		t.Fatal(err)
	}
	if v := js.Findings[0].Verification; v == nil || v.Status != "live" || v.Identity["login"] != "octo-ci" || len(v.Scopes) != 2 || v.CheckedAt == "" {
		t.Errorf("json verification %+v", v)
	}
	if first := strings.SplitN(write("jsonl"), "\n", 2)[0]; !strings.Contains(first, `"verification":{"status":"live","identity":{"login":"octo-ci","type":"User"},"scopes":["repo","read:org"],"checked_at":"2026-12-03T10:00:00Z"}`) {
		t.Errorf("jsonl line lacks the verification: %s", first)
	}
	var sarif struct {
		Runs []struct {
			Results []struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(write("sarif")), &sarif); err != nil {
		t.Fatal(err)
	}
	var sv scan.Verification
	if p := sarif.Runs[0].Results[0].Properties["verification"]; json.Unmarshal(p, &sv) != nil || sv.Status != "live" || sv.Identity["login"] != "octo-ci" {
		t.Errorf("sarif properties.verification = %s", p)
	}

	rows, err := csv.NewReader(strings.NewReader(write("csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := len(rows[0])
	if got := strings.Join(rows[0][n-4:], ","); got != "verification_status,verification_identity,verification_scopes,verification_checked_at" {
		t.Errorf("csv header ends %s", got)
	}
	if got := strings.Join(rows[1][n-4:], "|"); got != "live|login=octo-ci type=User|repo read:org|2026-12-03T10:00:00Z" {
		t.Errorf("csv row 1 ends %s", got)
	}

	junit := write("junit")
	for _, want := range []string{`message="LIVE: `, "verified live: login=octo-ci type=User; scopes repo read:org", "verified invalid (401 Unauthorized)"} {
		if !strings.Contains(junit, want) {
			t.Errorf("junit report lacks %q:\n%s", want, junit)
		}
	}
	cq := write("codequality")
	if !strings.Contains(cq, "[verified live]") || !strings.Contains(cq, "[verified invalid]") || strings.Contains(cq, "octo-ci") {
		t.Errorf("code quality report: want each status and no identity:\n%s", cq)
	}

	text := write("text")
	lines := strings.Split(text, "\n")
	if !strings.Contains(lines[0], "1 LIVE CREDENTIAL STILL WORKS") || !strings.Contains(lines[1], "LIVE") || !strings.Contains(lines[1], "login=octo-ci") {
		t.Errorf("text report does not open with the live credential:\n%s", text)
	}
	for _, want := range []string{"[LIVE]", "[invalid]", "verified live: login=octo-ci type=User; scopes repo read:org", "verified invalid (401 Unauthorized)", ", 1 live"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
}

// TestNoVerificationNoColumns: a run without --verify has no
// verification columns or summary count (the golden files cover the
// rest byte for byte).
func TestNoVerificationNoColumns(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "csv", sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "verification") {
		t.Errorf("csv without --verify has verification columns")
	}
}

// TestReadJSONKeepsVerification: a verified JSON report read back (merge,
// baselines) keeps each verification and renders its CSV columns.
func TestReadJSONKeepsVerification(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, "json", verifiedReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	r, err := ReadJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Verified || !r.Findings[0].Verification.Live() || r.Findings[0].Verification.Identity["login"] != "octo-ci" {
		t.Errorf("read back: verified %v, first verification %+v", r.Verified, r.Findings[0].Verification)
	}
}
