package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "rewrite docs/html-report.png from a sample report")

// chromiumPath returns the headless browser the HTML tests drive. Without
// one they skip, except in CI (CI=true or SECRETLINT_REQUIRE_REAL_PARTS=1),
// which installs Debian's chromium and must run them.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (CI=true; .ci/run installs it)")
	}
	requireRealPart(t, "chromium is not installed: the HTML report's browser tests do not run")
	return ""
}

// page is a report opened in headless Chromium, with what the browser
// reported while loading and using it.
type page struct {
	ctx context.Context
	url string

	mu       sync.Mutex
	problems []string // console errors, exceptions, error log entries (CSP refusals)
	requests []string // every URL the page asked for
}

// openReport loads the HTML file from file:// in a fresh headless
// Chromium and waits until its script has rendered the first table page.
func openReport(t *testing.T, file string) *page {
	t.Helper()
	p := newBrowser(t, 1280, 900)
	p.load(t, file)
	return p
}

// newBrowser starts headless Chromium with a blank tab of the given size,
// listening to what the pages it loads do.
func newBrowser(t *testing.T, width, height int) *page {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox, // containers run the tests as root
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	p := &page{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				p.problems = append(p.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil {
				text += " " + d.Exception.Description
			}
			p.problems = append(p.problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, text))
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				p.problems = append(p.problems, fmt.Sprintf("log %s: %s %s", ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			p.requests = append(p.requests, ev.Request.URL)
		}
	})
	if err != nil {
		t.Fatalf("listen to the browser: %v", err)
	}
	return p
}

// load opens the HTML file from file:// (chromedp enables the runtime, log
// and network domains on the tab) and waits until the page's script has
// rendered the first table page; it returns how long that took.
func (p *page) load(t *testing.T, file string) time.Duration {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	p.url = (&url.URL{Scheme: "file", Path: abs}).String()
	start := time.Now()
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url), chromedp.WaitVisible(chromedp.CSS(`html[data-ready="true"]`))); err != nil {
		t.Fatalf("load %s: %v", p.url, err)
	}
	return time.Since(start)
}

// checkClean fails the test for any console error, exception or request
// other than the page's own file.
func (p *page) checkClean(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pr := range p.problems {
		t.Errorf("browser: %s", pr)
	}
	for _, u := range p.requests {
		if u != p.url {
			t.Errorf("the page requested %s", u)
		}
	}
	if len(p.requests) == 0 {
		t.Error("no request seen at all: the network listener is not working")
	}
}

// eval returns the value of a script expression in the page.
func eval[T any](t *testing.T, p *page, js string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// rows is the number of finding rows in the table body, detail rows apart.
func (p *page) rows(t *testing.T) int {
	t.Helper()
	return eval[int](t, p, `document.querySelectorAll("#findings-body tr:not(.detail)").length`)
}

// waitRows waits until the table shows n finding rows.
func (p *page) waitRows(t *testing.T, n int) {
	t.Helper()
	js := fmt.Sprintf(`document.querySelectorAll("#findings-body tr:not(.detail)").length === %d`, n)
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the table did not come to %d rows (it has %d): %v", n, p.rows(t), err)
	}
}

// expandFirst opens the first row's details. The click is made in the page
// and made again until the detail row is there and stays: renders still
// pending from typing in the search box (the table redraws on each input
// event, in a timer task) replace the rows, collapsing them, for a moment
// after the typing.
func (p *page) expandFirst(t *testing.T) {
	t.Helper()
	open := `(() => {
		if (document.querySelector("#findings-body tr.detail")) return true;
		const b = document.querySelector("#findings-body button.expand");
		if (b) b.click();
		return !!document.querySelector("#findings-body tr.detail");
	})()`
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if eval[bool](t, p, open) {
			time.Sleep(200 * time.Millisecond) // let pending redraws run
			if eval[bool](t, p, `!!document.querySelector("#findings-body tr.detail")`) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the first row's details did not stay open")
}

func (p *page) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// htmlHistory builds a repository whose history adds three secrets, one
// under a path made to close a script element and inject markup, and
// removes one again, so the page has a timeline with both states.
func htmlHistory(t *testing.T) (repo string, secrets []string) {
	r := newGitRepo(t)
	pat, key, gone := githubPAT(61), awsKeyID(62), githubPAT(63)
	r.write("config/app.env", "GITHUB_TOKEN="+pat+"\n")
	r.commit("add app config")
	r.write("web/</script><img src=x onerror=alert(1)>.env", "AWS_ACCESS_KEY_ID="+key+"\n")
	r.commit("add web settings")
	r.write("ci/env.sh", "export GH="+gone+"\n")
	r.commit("ci token")
	r.run("rm", "-q", "ci/env.sh")
	r.commit("drop ci token")
	return r.dir, []string{pat, key, gone}
}

// TestHTMLReportInBrowser writes the HTML report of a real history scan and
// uses it in headless Chromium: it loads from file:// with no console error
// and no request but its own, draws its charts, filters, sorts, pages and
// expands the table, keeps a crafted file name as text, and has no raw
// secret in the DOM unless --show-secrets.
func TestHTMLReportInBrowser(t *testing.T) {
	chromiumPath(t)
	repo, secrets := htmlHistory(t)
	out := filepath.Join(t.TempDir(), "report.html")
	if r := runCLI(t, cliOpts{}, "git", repo, "--output", out); r.code != exitFindings {
		t.Fatalf("git exit %d\n%s", r.code, r.stderr)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("report file: %v %v, want mode 0600", err, fi.Mode())
	}
	p := openReport(t, out)

	if n := p.rows(t); n != 3 {
		t.Fatalf("%d rows, want the 3 findings", n)
	}
	bars := eval[map[string]int](t, p, `(() => { const o = {}; document.querySelectorAll("figure.chart").forEach(f =>
		o[f.querySelector("figcaption").textContent.split(",")[0]] = f.querySelectorAll("svg rect.bar").length); return o; })()`)
	for _, chart := range []string{"Findings by rule", "Findings by source", "When the secrets in the history were introduced"} {
		if bars[chart] == 0 {
			t.Errorf("chart %q has no bars (charts: %v)", chart, bars)
		}
	}

	// The crafted path is a cell's text, and no element came out of it.
	type evilCheck struct {
		Cell bool `json:"cell"`
		Imgs int  `json:"imgs"`
	}
	evil := eval[evilCheck](t, p, `({cell: [...document.querySelectorAll("td.loc")].some(td => td.textContent.startsWith("web/</script><img src=x onerror=alert(1)>.env:")),
		imgs: document.querySelectorAll("img").length})`)
	if !evil.Cell || evil.Imgs != 0 {
		t.Errorf("crafted path: shown as text %v, img elements %d", evil.Cell, evil.Imgs)
	}

	// Search narrows the table and the count; clearing restores it.
	p.do(t, chromedp.SendKeys(chromedp.ID("f-search"), "akia"))
	p.waitRows(t, 1)
	if count := eval[string](t, p, `document.getElementById("count").textContent`); count != "1 of 3 findings match" {
		t.Errorf("count = %q", count)
	}
	p.do(t, chromedp.Click(chromedp.ID("f-reset")))
	p.waitRows(t, 3)
	p.do(t, chromedp.SetValue(chromedp.ID("f-rule"), "github-pat"))
	eval[chromedp.Void](t, p, `document.getElementById("f-rule").dispatchEvent(new Event("change"))`)
	p.waitRows(t, 2)
	p.do(t, chromedp.SendKeys(chromedp.ID("f-path"), "ci/"))
	p.waitRows(t, 1)
	p.do(t, chromedp.Click(chromedp.ID("f-reset")))
	p.waitRows(t, 3)

	// Sorting by location, both ways.
	paths := func() []string {
		return eval[[]string](t, p, `[...document.querySelectorAll("#findings-body td.loc")].map(td => td.textContent)`)
	}
	p.do(t, chromedp.Click(chromedp.CSS(`th[data-key="path"] button`)))
	asc := paths()
	if !sort.StringsAreSorted(asc) || len(asc) != 3 {
		t.Errorf("ascending by location: %q", asc)
	}
	p.do(t, chromedp.Click(chromedp.CSS(`th[data-key="path"] button`)))
	desc := paths()
	if len(desc) != 3 || desc[0] != asc[2] || desc[2] != asc[0] {
		t.Errorf("descending by location: %q after %q", desc, asc)
	}
	if ariaSort := eval[string](t, p, `document.querySelector('th[data-key="path"]').getAttribute("aria-sort")`); ariaSort != "descending" {
		t.Errorf("aria-sort = %q", ariaSort)
	}

	// A row expands to its commit, author and fix hint.
	p.expandFirst(t)
	detail := eval[string](t, p, `(document.querySelector("#findings-body tr.detail:not([hidden])") || {}).textContent || ""`)
	for _, want := range []string{"Commit", "Bo Builder", "Fix", "In HEAD"} {
		if !strings.Contains(detail, want) {
			t.Errorf("expanded row lacks %q: %q", want, detail)
		}
	}

	// Printed, the controls go and the charts and table stay.
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, p, `["filters", "findings", "charts-h"].map(id => getComputedStyle(document.getElementById(id)).display).join(" ")`); got != "none table block" {
		t.Errorf("printed display of controls, table, charts = %q, want none table block", got)
	}
	if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	dom := p.domText(t)
	if l := leaks(dom, secrets); len(l) > 0 {
		t.Errorf("raw secrets in the DOM: %d of %d", len(l), len(secrets))
	}
	p.checkClean(t)

	// The same check sees the secrets when they are meant to be there.
	shown := filepath.Join(t.TempDir(), "shown.html")
	if r := runCLI(t, cliOpts{}, "git", repo, "--show-secrets", "--output", shown); r.code != exitFindings {
		t.Fatalf("git --show-secrets exit %d\n%s", r.code, r.stderr)
	}
	ps := openReport(t, shown)
	if l := leaks(ps.domText(t), secrets); len(l) != len(secrets) {
		t.Errorf("--show-secrets: %d of %d secrets in the DOM", len(l), len(secrets))
	}
	ps.checkClean(t)
}

// domText is the page's markup and visible text, with every row's details
// expanded and every table page visited, and the embedded data.
func (p *page) domText(t *testing.T) string {
	t.Helper()
	return eval[string](t, p, `(() => {
		let out = document.getElementById("report-data").textContent;
		document.querySelectorAll("#findings-body button.expand[aria-expanded=false]").forEach(b => b.click());
		out += document.documentElement.outerHTML + document.body.innerText;
		return out; })()`)
}

// syntheticReport is a report of n findings spread over rules, sources,
// paths, commits and layers, with generated secrets, for the size and load
// figures of the HTML page.
func syntheticReport(n int) *report.Report {
	ruleIDs := []string{"github-pat", "aws-access-key-id", "slack-bot-token", "private-key", "stripe-secret-key", "generic-api-key", "dotenv-committed", "npmrc-auth-token"}
	sevs := []rules.Severity{rules.High, rules.High, rules.Medium, rules.Critical, rules.Critical, rules.Low, rules.Medium, rules.High}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	fs := make([]scan.Finding, n)
	for i := range fs {
		k := i % len(ruleIDs)
		f := scan.Finding{
			RuleID: ruleIDs[k], Description: "Synthetic " + ruleIDs[k], Severity: sevs[k],
			Location: scan.Location{Path: fmt.Sprintf("services/svc-%03d/config/%s-%d.env", i%977, ruleIDs[k], i), Line: 1 + i%300, Column: 1 + i%40},
			Secret:   githubPAT(uint64(i) + 1000),
			Hint:     "Revoke it and load it from the secret manager.",
		}
		switch i % 4 {
		case 0:
			f.Source = scan.SourceFile
		case 1:
			head := i%3 == 0
			f.Source = scan.SourceGit
			f.GitInfo = scan.GitInfo{Commit: fmt.Sprintf("%040x", i*7919), Author: "Dev " + strconv.Itoa(i%40), Email: "dev@example.test",
				Date: base.Add(time.Duration(i%700) * 24 * time.Hour).Format(time.RFC3339), CommitTitle: "change " + strconv.Itoa(i), InHead: &head}
		case 2:
			li := i % 9
			f.Source = scan.SourceImage
			f.ImageInfo = scan.ImageInfo{Image: "registry.example.test/app:1", Layer: fmt.Sprintf("sha256:%064x", li), LayerIndex: &li,
				CreatedBy: "RUN step " + strconv.Itoa(li), Deleted: i%5 == 0}
		default:
			f.Source = scan.SourcePolicy
			f.Message = "a credentials file is committed"
			f.Secret = ""
		}
		f.Fingerprint = scan.Fingerprint(f.RuleID, f.Path, f.Secret)
		fs[i] = f
	}
	return &report.Report{ToolVersion: "test", Command: "scan", Targets: []string{"."}, Findings: fs, Started: base,
		Stats: report.Stats{Inputs: int64(n), Bytes: int64(n) * 2000, Findings: n}}
}

// TestHTMLReportAtScale loads pages of 10, 1,000 and 50,000 findings: each
// shows one page of at most 200 rows with the right page count, a search
// narrows it, and the browser reports nothing. It logs each page's size
// and the time to load it and render the first table page, the figures
// docs/report.md quotes (go test ./cmd/secretlint -run
// TestHTMLReportAtScale -v); it asserts no timing.
func TestHTMLReportAtScale(t *testing.T) {
	chromiumPath(t)
	for _, n := range []int{10, 1000, 50000} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report.html")
			f, err := os.Create(out)
			if err != nil {
				t.Fatal(err)
			}
			if err := report.Write(f, "html", syntheticReport(n), report.Options{}); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			fi, _ := os.Stat(out)
			p := newBrowser(t, 1280, 900)
			took := p.load(t, out)
			rows := min(n, 200)
			if got := p.rows(t); got != rows {
				t.Errorf("%d rows on the first page, want %d", got, rows)
			}
			pages := (n + 199) / 200
			if info := eval[string](t, p, `document.getElementById("p-info").textContent`); !strings.HasSuffix(info, fmt.Sprintf("page 1 of %d", pages)) {
				t.Errorf("pager says %q, want page 1 of %d", info, pages)
			}
			// svc-005 paths hold every 977th finding, and their names differ
			// from svc-0050 and the like by the slash after them.
			want := 0
			for i := 0; i < n; i++ {
				if i%977 == 5 {
					want++
				}
			}
			start := time.Now()
			p.do(t, chromedp.SendKeys(chromedp.ID("f-search"), "svc-005/"))
			p.waitRows(t, min(want, 200))
			searched := time.Since(start)
			if got := eval[string](t, p, `document.getElementById("count").dataset.matching`); got != strconv.Itoa(want) {
				t.Errorf("search matched %s, want %d", got, want)
			}
			p.checkClean(t)
			t.Logf("%d findings: %.1f KB, loaded and first page rendered in %v, search applied in %v",
				n, float64(fi.Size())/1024, took.Round(time.Millisecond), searched.Round(time.Millisecond))
		})
	}
}

// TestHTMLScreenshot rewrites docs/html-report.png with -update-screenshot:
// the page of a history scan of generated fixtures (fake tokens, redacted
// on the page).
func TestHTMLScreenshot(t *testing.T) {
	if !*updateScreenshot {
		t.Skip("run with -update-screenshot to rewrite docs/html-report.png")
	}
	repo := sampleHistory(t)
	out := filepath.Join(t.TempDir(), "report.html")
	if r := runCLI(t, cliOpts{}, "git", repo, "--output", out); r.code != exitFindings {
		t.Fatalf("git exit %d\n%s", r.code, r.stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The command line names the temporary directory; the picture shows a
	// plain name instead.
	shown := strings.ReplaceAll(string(page), repo, "./payments-service")
	if err := os.WriteFile(out, []byte(shown), 0o600); err != nil {
		t.Fatal(err)
	}
	p := newBrowser(t, 1280, 1700)
	p.load(t, out)
	p.expandFirst(t)
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	p.checkClean(t)
	if err := os.WriteFile(filepath.Join("..", "..", "docs", "html-report.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sampleHistory is a repository a team might have: tokens and keys added
// over a year, some removed again, by a few authors.
func sampleHistory(t *testing.T) string {
	r := newGitRepo(t)
	type step struct {
		day    int
		author string
		file   string
		text   string
		msg    string
	}
	steps := []step{
		{0, "Ada Lovelace", "config/settings.py", "GITHUB_TOKEN = \"" + githubPAT(101) + "\"\n", "settings for the sync job"},
		{9, "Grace Hopper", "deploy/aws.env", "AWS_ACCESS_KEY_ID=" + awsKeyID(102) + "\nAWS_SECRET_ACCESS_KEY=" + awsSecretKey(103) + "\n", "deploy credentials"},
		{40, "Ada Lovelace", "deploy/id_rsa", pemKey(104) + "\n", "deploy key"},
		{75, "Linus Pauling", "ci/release.sh", "export GH_TOKEN=" + githubPAT(105) + "\n", "release script"},
		{110, "Grace Hopper", "deploy/id_rsa", "", "remove deploy key"},
		{150, "Ada Lovelace", "services/billing/.env", "STRIPE=" + githubPAT(106) + "\nAWS_ACCESS_KEY_ID=" + awsKeyID(107) + "\n", "billing env"},
		{200, "Linus Pauling", "ci/release.sh", "export GH_TOKEN=\"$GH_TOKEN\"\n", "token from the CI secret store"},
		{260, "Grace Hopper", "tools/backup.py", "KEY = \"" + awsKeyID(108) + "\"\n", "backup tool"},
		{330, "Ada Lovelace", "config/dev.env", "GITHUB_TOKEN=" + githubPAT(109) + "\n", "dev settings"},
	}
	start := time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)
	for _, s := range steps {
		if s.text == "" {
			r.run("rm", "-q", s.file)
		} else {
			r.write(s.file, s.text)
		}
		date := start.AddDate(0, 0, s.day).Format(time.RFC3339)
		r.run("add", "-A")
		cmd := exec.Command("git", "-C", r.dir, "-c", "commit.gpgsign=false", "commit", "-q", "-m", s.msg)
		cmd.Env = append(gitEnv(0), "GIT_AUTHOR_NAME="+s.author, "GIT_AUTHOR_EMAIL="+strings.ToLower(strings.Fields(s.author)[0])+"@example.test",
			"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git commit: %v\n%s", err, out)
		}
	}
	return r.dir
}

// TestHTMLImageReportInBrowser checks an image scan's page draws the layer
// chart, with the build step that made each layer and the part a later
// layer deleted, and that a row expands to the layer and step.
func TestHTMLImageReportInBrowser(t *testing.T) {
	chromiumPath(t)
	lay := imageLayout(t)
	out := filepath.Join(t.TempDir(), "image.html")
	if r := runCLI(t, cliOpts{}, "image", lay, "-o", out); r.code != exitFindings {
		t.Fatalf("image exit %d\n%s", r.code, r.stderr)
	}
	p := openReport(t, out)
	type layers struct {
		Bars    int      `json:"bars"`
		Deleted int      `json:"deleted"`
		Labels  []string `json:"labels"`
	}
	got := eval[layers](t, p, `(() => {
		const f = [...document.querySelectorAll("figure.chart")].find(f => f.querySelector("figcaption").textContent.startsWith("Image findings by layer"));
		if (!f) return {bars: 0, deleted: 0, labels: []};
		return {bars: f.querySelectorAll("rect.bar:not(.part)").length, deleted: f.querySelectorAll("rect.bar.part").length,
			labels: [...f.querySelectorAll("text.label")].map(e => e.textContent)}; })()`)
	want := layers{Bars: 2, Deleted: 1, Labels: []string{"config and history", "layer 0: COPY creds.ini /srv/"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("layer chart = %+v, want %+v", got, want)
	}
	if !strings.Contains(eval[string](t, p, `document.querySelector(".page-head").textContent`), "secretlint image "+lay) {
		t.Error("the header does not name the image")
	}
	p.do(t, chromedp.SendKeys(chromedp.ID("f-search"), "creds.ini"))
	p.waitRows(t, 1)
	p.expandFirst(t)
	detail := eval[string](t, p, `document.querySelector("#findings-body tr.detail").textContent`)
	for _, want := range []string{"Layer#0", "Build stepCOPY creds.ini /srv/", "Deletedby a later layer"} {
		if !strings.Contains(detail, want) {
			t.Errorf("expanded row lacks %q: %q", want, detail)
		}
	}
	if l := leaks(p.domText(t), []string{imageAWSKey(1), imageAWSKey(2)}); len(l) > 0 {
		t.Errorf("%d raw secrets in the DOM", len(l))
	}
	p.checkClean(t)
}

// TestHTMLCleanReportInBrowser checks the page of a clean scan loads with
// no error, an empty table and no charts.
func TestHTMLCleanReportInBrowser(t *testing.T) {
	chromiumPath(t)
	dir := writeTree(t, map[string]string{"README.md": "nothing to see\n"})
	out := filepath.Join(t.TempDir(), "clean.html")
	if r := runCLI(t, cliOpts{}, "scan", dir, "-o", out); r.code != exitClean {
		t.Fatalf("scan exit %d\n%s", r.code, r.stderr)
	}
	p := openReport(t, out)
	if got := eval[string](t, p, `[document.querySelectorAll("#findings-body tr").length, document.querySelectorAll("svg").length,
		document.getElementById("p-info").textContent, document.getElementById("p-next").disabled].join("|")`); got != "0|0|no findings|true" {
		t.Errorf("rows|charts|pager|next disabled = %q", got)
	}
	p.checkClean(t)
}

// TestHTMLInventoryReportInBrowser checks the page of `secretlint inventory
// check` in Chromium: the rotation chart draws a bar for every secret
// with a rotation date and a limit tick for every one with an interval,
// the overdue ones in their own colour, laid out with a real width, with
// the same counts as the text report's rotation table.
func TestHTMLInventoryReportInBrowser(t *testing.T) {
	chromiumPath(t)
	out := filepath.Join(t.TempDir(), "inventory.html")
	r := runCLI(t, cliOpts{}, "inventory", "check", "--now", "2026-12-01", "--format", "html", "-o", out, filepath.Join("..", "..", "testdata", "inventory", "example"))
	if r.code != exitFindings {
		t.Fatalf("inventory check exit %d\n%s", r.code, r.stderr)
	}
	p := openReport(t, out)
	type chart struct {
		Caption              string
		Rows, Bars, Over     int
		Limits, Drawn, Names int
	}
	got := eval[chart](t, p, `(() => {
		const f = document.querySelector("figure.rotation");
		if (!f) return {};
		const bars = [...f.querySelectorAll("rect.bar")];
		return {Caption: f.querySelector("figcaption").textContent, Rows: f.querySelectorAll("g").length,
			Bars: bars.length, Over: f.querySelectorAll("rect.bar.over").length, Limits: f.querySelectorAll("line.limit").length,
			Drawn: bars.filter(b => b.getBoundingClientRect().width > 0).length,
			Names: [...f.querySelectorAll("text.label")].filter(e => e.getComputedTextLength() > 0).length}; })()`)
	want := chart{Caption: "Rotation age of every inventoried secret against its limit: 6 overdue, 1 due soon, 4 ok, 1 without rotation data",
		Rows: 12, Bars: 11, Over: 6, Limits: 11, Drawn: 11, Names: 12}
	if got != want {
		t.Errorf("rotation chart = %+v\nwant %+v", got, want)
	}
	if first := eval[string](t, p, `document.querySelector("figure.rotation g title").textContent`); !strings.HasPrefix(first, "hf-access-token (ml-platform@example.com): overdue, 214 days, 124 over") {
		t.Errorf("first row %q, want the most overdue secret", first)
	}
	p.checkClean(t)
}

// TestHTMLMergeReportInBrowser checks a merged audit's page in Chromium:
// the owner and target tables list every owner and target, the findings
// table filters across targets, and no raw secret is in the DOM.
func TestHTMLMergeReportInBrowser(t *testing.T) {
	chromiumPath(t)
	targets, env := auditFixture(t)
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		runCLI(t, cliOpts{env: env}, "audit", "--targets", targets, "--cache", t.TempDir(), "--no-policy", "--shard", fmt.Sprintf("%d/2", i), "-o", dir)
	}
	out := filepath.Join(t.TempDir(), "merged.html")
	if r := runCLI(t, cliOpts{}, "merge", dir, "--format", "html", "-o", out); r.code != exitFindings {
		t.Fatalf("merge exit %d\n%s", r.code, r.stderr)
	}
	p := openReport(t, out)
	if got := eval[string](t, p, `[document.querySelectorAll("#owners tbody tr").length, document.querySelectorAll("#targets tbody tr").length,
		document.querySelector("#owners tbody tr td").textContent, document.getElementById("total").textContent].join("|")`); got != "2|9|platform|12" {
		t.Errorf("owners|targets|first owner|findings = %q, want 2|9|platform|12", got)
	}
	p.do(t, chromedp.SendKeys(chromedp.ID("f-search"), "deploy.env"))
	p.waitRows(t, 1)
	var secrets []string
	for i := 0; i < 4; i++ {
		secrets = append(secrets, githubPAT(uint64(50+i)))
	}
	secrets = append(secrets, awsKeyID(41), githubPAT(60), githubPAT(61))
	if l := leaks(p.domText(t), secrets); len(l) > 0 {
		t.Errorf("%d raw secrets in the DOM", len(l))
	}
	p.checkClean(t)
}

// TestHTMLVerificationInBrowser checks a report whose findings carry
// verification results (as a run with verification writes them): the
// summary cards count live, invalid and unsettled ones, searching for a
// status finds its rows, and the expanded row says whose credential it is.
func TestHTMLVerificationInBrowser(t *testing.T) {
	chromiumPath(t)
	secrets := []string{githubPAT(91), githubPAT(92), awsKeyID(93)}
	dir := writeTree(t, map[string]string{"a.env": "GITHUB_TOKEN=" + secrets[0] + "\n", "b.env": "GH_TOKEN=" + secrets[1] + "\n", "c.env": "AWS_ACCESS_KEY_ID=" + secrets[2] + "\n"})
	js := filepath.Join(t.TempDir(), "r.json")
	if r := runCLI(t, cliOpts{}, "scan", "--no-policy", "-f", "json", "-o", js, dir); r.code != exitFindings {
		t.Fatalf("scan exit %d\n%s", r.code, r.stderr)
	}
	rep, err := report.ReadJSONFile(js)
	if err != nil || len(rep.Findings) != 3 {
		t.Fatalf("read report: %v, %d findings", err, len(rep.Findings))
	}
	status := map[string]*scan.Verification{
		"a.env": {Status: scan.VerifyLive, Identity: map[string]string{"login": "octo-bot"}, Scopes: []string{"repo"}, CheckedAt: "2026-12-03T10:00:00Z"},
		"b.env": {Status: scan.VerifyInvalid, CheckedAt: "2026-12-03T10:00:01Z"},
		"c.env": {Status: scan.VerifyUnknown, Detail: "partner secret not found", CheckedAt: "2026-12-03T10:00:02Z"},
	}
	for i := range rep.Findings {
		rep.Findings[i].Verification = status[filepath.Base(rep.Findings[i].Path)]
	}
	out := filepath.Join(t.TempDir(), "verified.html")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.Write(f, "html", rep, report.Options{}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	p := openReport(t, out)
	if got := eval[string](t, p, `["verify-live", "verify-invalid", "verify-unknown"].map(c => document.querySelector(".card." + c + " .n").textContent).join("|")`); got != "1|1|1" {
		t.Errorf("live|invalid|unsettled cards = %q, want 1|1|1", got)
	}
	p.do(t, chromedp.SendKeys(chromedp.ID("f-search"), "live"))
	p.waitRows(t, 1)
	p.expandFirst(t)
	detail := eval[string](t, p, `document.querySelector("#findings-body tr.detail").textContent`)
	if !strings.Contains(detail, "Verificationlive: login octo-bot; scopes repo; checked 2026-12-03T10:00:00Z") {
		t.Errorf("expanded row lacks the verification: %q", detail)
	}
	if l := leaks(p.domText(t), secrets); len(l) > 0 {
		t.Errorf("%d raw secrets in the DOM", len(l))
	}
	p.checkClean(t)
}
