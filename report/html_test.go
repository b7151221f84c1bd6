package report

import (
	"bytes"
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

var htmlDataRe = regexp.MustCompile(`(?s)<script type="application/json" id="report-data">(.*?)</script>`)

// htmlBlob returns the page's embedded findings data, decoded.
func htmlBlob(t *testing.T, page []byte) htmlData {
	t.Helper()
	m := htmlDataRe.FindSubmatch(page)
	if m == nil {
		t.Fatal("no report-data element in the page")
	}
	var d htmlData
	if err := json.Unmarshal(m[1], &d); err != nil {
		t.Fatalf("report-data is not JSON: %v", err)
	}
	return d
}

// htmlText is the page's text with the markup's and the data's escaping
// undone, so a secret with newlines or '<' compares as written.
func htmlText(t *testing.T, page []byte) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(html.UnescapeString(string(page)))
	m := htmlDataRe.FindSubmatch(page)
	if m == nil {
		t.Fatal("no report-data element in the page")
	}
	var v any
	if err := json.Unmarshal(m[1], &v); err != nil {
		t.Fatalf("report-data is not JSON: %v", err)
	}
	walkStrings(v, func(s string) { b.WriteString("\n" + s) })
	return b.String()
}

// TestHTMLEscaping checks a file name built to close the data element and
// run markup stays inside the JSON: the page has exactly its own two
// closing script tags, no injected element, and the name decodes back
// exactly.
func TestHTMLEscaping(t *testing.T) {
	evil := "dir/</script><img src=x onerror=alert(1)>\u2028.env"
	secret := sample("dmo_", 7, 28)
	f := scan.Finding{RuleID: "demo-svc", Description: "<b>bold</b>", Severity: rules.High, Source: scan.SourceFile,
		Location: scan.Location{Path: evil, Line: 1, Column: 3}, Secret: secret, Hint: "</script><script>alert(2)</script>"}
	f.Fingerprint = scan.Fingerprint(f.RuleID, f.Path, f.Secret)
	r := &Report{Findings: []scan.Finding{f}, Targets: []string{"</title><img src=y>"}, Command: "scan",
		Errors: []*scan.InputError{{Input: "<i>x</i>", Err: errorString("<script>alert(3)</script>")}}}
	var buf bytes.Buffer
	if err := Write(&buf, "html", r, Options{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if n := strings.Count(strings.ToLower(page), "</script"); n != 2 {
		t.Errorf("%d closing script tags, want 2 (the data's and the code's)", n)
	}
	for _, bad := range []string{"<img", "<b>bold", "<i>x", "<script>alert", "\u2028"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q unescaped", bad)
		}
	}
	d := htmlBlob(t, buf.Bytes())
	if len(d.Findings) != 1 || d.Findings[0].Path != evil || d.Rules[d.Findings[0].Rule][2] != f.Hint {
		t.Errorf("data = %+v", d)
	}
	if strings.Contains(page, secret) {
		t.Error("raw secret in the page")
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

// TestHTMLContent checks the page carries the header, the summary counts
// and a chart per kind of data in the sample report.
func TestHTMLContent(t *testing.T) {
	r := sampleReport()
	r.Command, r.Targets = "git", []string{"repo"}
	var buf bytes.Buffer
	if err := Write(&buf, "html", r, Options{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		"secretlint git repo", "1.2.3", // header
		`<span class="n" id="total">7</span>`,    // all findings
		"Findings by rule", "Findings by source", // charts for every report
		"When the secrets in the history were introduced", "0 still in HEAD, 1 removed since", // git
		"Image findings by layer and build step", "layer 2: COPY app.conf /etc/", // image
		"broken.tar.gz", "read tar header: unexpected EOF", "bin/tool", "old/file.py:demo-svc:0011223344556677",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, `class="bar"`); n < 8 {
		t.Errorf("%d bars drawn, want at least 8", n)
	}
	if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
		t.Error("page names a network address")
	}
	d := htmlBlob(t, buf.Bytes())
	if len(d.Findings) != len(r.Findings) {
		t.Fatalf("%d findings in the data, want %d", len(d.Findings), len(r.Findings))
	}
	g := d.Findings[3]
	if g.Commit == "" || g.Author != "Ada Lovelace" || g.InHead == nil || *g.InHead {
		t.Errorf("git finding = %+v", g)
	}
	if d.Findings[6].Inventory != "" || d.Findings[5].Inventory != "demo-api (ml-platform, vault)" {
		t.Errorf("inventory = %q, %q", d.Findings[5].Inventory, d.Findings[6].Inventory)
	}

	var empty bytes.Buffer
	if err := Write(&empty, "html", emptyReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(empty.String(), "<svg") || !strings.Contains(empty.String(), `id="total">0<`) {
		t.Error("an empty report draws charts or lacks its zero count")
	}
}

// TestHTMLTimelineStates checks the history timeline tells the three states
// apart: still in HEAD, removed since, and not known (a scan that could not
// tell), each counted in the caption and drawn in its own colour.
func TestHTMLTimelineStates(t *testing.T) {
	yes, no := true, false
	var fs []scan.Finding
	for i, inHead := range []*bool{&yes, &yes, &no, nil} {
		fs = append(fs, scan.Finding{RuleID: "demo-svc", Severity: rules.High, Source: scan.SourceGit,
			Location: scan.Location{Path: "a.env", Line: i + 1}, Secret: sample("dmo_", byte(20+i), 28),
			GitInfo: scan.GitInfo{Commit: "c", Date: "2024-05-0" + string(rune('1'+i)) + "T10:00:00Z", InHead: inHead}})
	}
	var buf bytes.Buffer
	if err := Write(&buf, "html", &Report{Findings: fs}, Options{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{"per day, 2024-05-01 to 2024-05-04: 2 still in HEAD, 1 removed since, 1 unknown",
		`class="bar part"`, `class="bar unknown"`, "not known"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	tl := page[strings.Index(page, `<svg class="timeline"`):]
	tl = tl[:strings.Index(tl, "</svg>")]
	if n := strings.Count(tl, `<rect class="bar" `); n != 4 {
		t.Errorf("%d day columns drawn, want 4", n)
	}
}

// TestHTMLAuditTables: a merged audit's page lists each target and each
// owner with their counts, a stopped target as not scanned; a scan's page
// has no audit section.
func TestHTMLAuditTables(t *testing.T) {
	r := sampleReport()
	r.Command = "merge"
	r.Audit = &Audit{
		Targets: []TargetResult{
			{Target: "git https://github.com/acme/api.git", Owner: "github.com/acme", Findings: 3, Seconds: 1.5},
			{Target: "dir /srv/cfg owner=web", Owner: "web", Shard: 1, Skipped: true},
		},
		Owners: []OwnerSummary{
			{Owner: "github.com/acme", Targets: 1, Findings: 3, Secrets: 2, Seconds: 1.5},
			{Owner: "web", Targets: 1, Skipped: 1},
		},
		Incomplete: true,
	}
	var buf bytes.Buffer
	if err := Write(&buf, "html", r, Options{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		`Audit: 2 targets <strong class="warn">(incomplete`,
		"<tr><td>github.com/acme</td><td>1</td><td>3</td><td>2</td><td>0</td><td>1.50</td></tr>",
		"<tr><td>web</td><td>1 (1 not scanned)</td>",
		"<tr><td><code>git https://github.com/acme/api.git</code></td><td>github.com/acme</td><td>0</td><td>3</td><td>0</td><td>1.50</td></tr>",
		`<td>1</td><td colspan="3">not scanned (shard stopped early)</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	buf.Reset()
	if err := Write(&buf, "html", sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), `id="audit-h"`) {
		t.Error("a scan's page has an audit section")
	}
}

// TestHTMLRotationChart: the inventory's rotation chart draws every secret,
// overdue first with the most days over, each bar with a tick at its limit,
// and counts the states in its caption; a secret without rotation data is
// named without a bar.
func TestHTMLRotationChart(t *testing.T) {
	r := emptyReport()
	r.Command = "inventory check"
	r.Rotation = []RotationAge{
		{Name: "pypi-token", Owner: "ml", Known: true, HasAge: true, Age: 10, Limit: 90},
		{Name: "sentry-dsn"},
		{Name: "hf-token", Known: true, HasAge: true, Age: 200, Limit: 90},
		{Name: "db-password", Known: true, HasAge: true, Age: 85, Limit: 90, Soon: true},
		{Name: "wandb-key", Known: true, HasAge: true, Age: 100, Limit: 90},
	}
	var buf bytes.Buffer
	if err := Write(&buf, "html", r, Options{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if !strings.Contains(page, "against its limit: 2 overdue, 1 due soon, 1 ok, 1 without rotation data</figcaption>") {
		t.Errorf("caption missing or miscounted:\n%s", page)
	}
	order := regexp.MustCompile(`<g class="rot-([a-z ]+)"><title>([a-z-]+)`).FindAllStringSubmatch(page, -1)
	var got []string
	for _, m := range order {
		got = append(got, m[2]+" "+m[1])
	}
	want := []string{"hf-token overdue", "wandb-key overdue", "db-password due soon", "pypi-token ok", "sentry-dsn unknown"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("rows %q, want %q", got, want)
	}
	if n := strings.Count(page, `<line class="limit"`); n != 4 {
		t.Errorf("%d limit ticks, want 4 (one per secret with a limit)", n)
	}
	for _, s := range []string{">200 days, 110 over (overdue)</text>", ">85 of 90 days (due soon)</text>", ">never rotated or no date</text>", "pypi-token (ml): ok"} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	// The longest age spans the chart; the others scale to it.
	if !strings.Contains(page, `<rect class="bar over" x="220" y="6" width="310"`) {
		t.Errorf("the oldest secret's bar is not the full span")
	}
}

// TestHTMLVerificationCards: when findings carry a verification result,
// the summary counts live, invalid and unsettled ones and each row's data
// says whose credential it is; without one there are no such cards.
func TestHTMLVerificationCards(t *testing.T) {
	r := sampleReport()
	r.Findings[0].Verification = &scan.Verification{Status: scan.VerifyLive, Identity: map[string]string{"login": "octo", "account": "1234"},
		Scopes: []string{"repo", "gist"}, CheckedAt: "2026-12-03T10:00:00Z"}
	r.Findings[1].Verification = &scan.Verification{Status: scan.VerifyInvalid, CheckedAt: "2026-12-03T10:00:01Z"}
	r.Findings[2].Verification = &scan.Verification{Status: scan.VerifyUnknown, Detail: "rate limited", CheckedAt: "2026-12-03T10:00:02Z"}
	r.Findings[3].Verification = &scan.Verification{Status: scan.VerifyError, Detail: "bad answer"}
	var buf bytes.Buffer
	if err := Write(&buf, "html", r, Options{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{
		`<li class="card verify-live"><span class="n">1</span> <span class="what">verified live</span>`,
		`<li class="card verify-invalid"><span class="n">1</span> <span class="what">verified invalid</span>`,
		`<li class="card verify-unknown"><span class="n">2</span> <span class="what">verification unknown or failed</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	d := htmlBlob(t, buf.Bytes())
	if f := d.Findings[0]; f.Verified != "live" || f.VerifiedWhat != "account 1234; login octo; scopes repo gist; checked 2026-12-03T10:00:00Z" {
		t.Errorf("row data %q %q", f.Verified, f.VerifiedWhat)
	}
	if f := d.Findings[2]; f.VerifiedWhat != "rate limited; checked 2026-12-03T10:00:02Z" {
		t.Errorf("unknown row data %q", f.VerifiedWhat)
	}
	buf.Reset()
	Write(&buf, "html", sampleReport(), Options{})
	if strings.Contains(buf.String(), `class="card verify-live"`) {
		t.Error("a report without verification shows verification cards")
	}
}
