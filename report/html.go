package report

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

//go:embed html/report.html.tmpl html/report.css html/report.js
var htmlFiles embed.FS

var htmlTemplate = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"add": func(a, b int) int { return a + b },
	"mod": func(a, b int) int { return a % b },
}).ParseFS(htmlFiles, "html/report.html.tmpl"))

// htmlCSS and htmlJS are inlined into every page; their hashes go into the
// page's Content-Security-Policy, so the browser runs that script and
// nothing else (an injected handler or element would be refused) and loads
// nothing from anywhere.
var htmlCSS, htmlJS = mustRead("html/report.css"), mustRead("html/report.js")

func mustRead(name string) string {
	b, err := htmlFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func cspHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// htmlSkipLimit caps the skipped inputs listed on the page; a scan of a
// tree of binaries can skip tens of thousands, and the count says the rest.
const htmlSkipLimit = 1000

// WriteHTML writes the report as one self-contained HTML page: summary
// cards, SVG charts drawn here, and a findings table that a script filters,
// sorts and pages from one embedded JSON document. The page needs no
// network: CSS, script and data are inline. r must already be redacted
// unless o.ShowSecrets (Write does that).
func WriteHTML(w io.Writer, r *Report, o Options) error {
	data, err := json.Marshal(htmlDataFor(r.Findings))
	if err != nil {
		return err
	}
	v := htmlView{
		Command:     r.Command,
		Targets:     strings.Join(r.Targets, " "),
		ToolVersion: r.ToolVersion,
		ShowSecrets: o.ShowSecrets,
		Stats:       r.Stats,
		Read:        fmt.Sprintf("%s, %s in %.2f s", plural(r.Stats.Inputs, "input"), humanBytes(r.Stats.Bytes), r.Stats.Seconds),
		Total:       len(r.Findings),
		Errors:      make([]jsonError, 0, len(r.Errors)),
		Stale:       r.Stale,
		StaleAllow:  r.StaleAllowlist,
		CSP: "default-src 'none'; style-src " + cspHash(htmlCSS) + "; script-src " + cspHash(htmlJS) +
			"; img-src data:; base-uri 'none'; form-action 'none'",
		CSS:  template.CSS(htmlCSS),
		JS:   template.JS(htmlJS),
		Data: template.JS(data), // json.Marshal escapes <, > and &: no "</script>" can occur
	}
	if !r.Started.IsZero() {
		v.Started = r.Started.UTC().Format(time.RFC3339)
	}
	if r.Rules != nil {
		v.RuleCount = r.Rules.Len()
	}
	for _, e := range r.Errors {
		v.Errors = append(v.Errors, jsonError{Input: e.Input, Error: e.Err.Error()})
	}
	v.Skips = r.Skips
	if len(v.Skips) > htmlSkipLimit {
		v.Skips, v.SkipsMore = v.Skips[:htmlSkipLimit], len(v.Skips)-htmlSkipLimit
	}
	counts := map[rules.Severity]int{}
	for _, f := range r.Findings {
		counts[f.Severity]++
		if vf := f.Verification; vf != nil {
			v.Verified = true
			switch vf.Status {
			case scan.VerifyLive:
				v.Live++
			case scan.VerifyInvalid:
				v.Invalid++
			default:
				v.Unsettled++
			}
		}
		if f.Source == scan.SourcePolicy {
			v.Hygiene++
		} else {
			v.Credential++
		}
	}
	for s := rules.Critical; s >= rules.Info; s-- {
		v.Severities = append(v.Severities, sevCount{Name: s.String(), Count: counts[s]})
	}
	v.ByRule = barChart("Findings by rule", ruleCounts(r.Findings))
	v.BySource = barChart("Findings by source", sourceCounts(r.Findings))
	v.Timeline = gitTimeline(r.Findings)
	v.Layers = layerChart(r.Findings)
	v.Audit = r.Audit
	v.Rotation = rotationChartFor(r.Rotation)
	return htmlTemplate.Execute(w, v)
}

type htmlView struct {
	Command, Targets, Started, ToolVersion string
	Read                                   string
	RuleCount                              int
	ShowSecrets                            bool
	Stats                                  Stats
	Total, Credential, Hygiene             int
	// Verified says some finding was checked with its provider; Live,
	// Invalid and Unsettled (unknown or error) count the answers.
	Verified                 bool
	Live, Invalid, Unsettled int
	Severities               []sevCount
	ByRule, BySource         *hbarChart
	Timeline                 *timelineChart
	Layers                   *hbarChart
	Audit                    *Audit
	Rotation                 *rotationChart
	Errors                   []jsonError
	Skips                    []scan.Skip
	SkipsMore                int
	Stale                    []string
	StaleAllow               []string
	CSP                      string
	CSS                      template.CSS
	JS                       template.JS
	Data                     template.JS
}

type sevCount struct {
	Name  string
	Count int
}

// htmlData is the page's embedded JSON: the distinct rule texts once, and
// each finding with short keys, so that 50,000 findings stay a few MB.
type htmlData struct {
	// Rules are [rule_id, description, hint] triples that findings point at.
	Rules    [][3]string   `json:"rules"`
	Findings []htmlFinding `json:"findings"`
}

type htmlFinding struct {
	Rule        int    `json:"r"`
	Severity    int    `json:"s"`
	Source      string `json:"src"`
	Path        string `json:"p"`
	Line        int    `json:"l"`
	Column      int    `json:"c"`
	Secret      string `json:"x"`
	Fingerprint string `json:"fp"`
	Message     string `json:"m,omitempty"`
	Encoding    string `json:"enc,omitempty"`
	Commit      string `json:"cm,omitempty"`
	Author      string `json:"au,omitempty"`
	Email       string `json:"em,omitempty"`
	Date        string `json:"dt,omitempty"`
	CommitTitle string `json:"ti,omitempty"`
	Commits     int    `json:"cs,omitempty"`
	Paths       int    `json:"ps,omitempty"`
	InHead      *bool  `json:"ih,omitempty"`
	Image       string `json:"im,omitempty"`
	Layer       string `json:"ly,omitempty"`
	LayerIndex  *int   `json:"li,omitempty"`
	CreatedBy   string `json:"cb,omitempty"`
	Deleted     bool   `json:"dl,omitempty"`
	DeletedBy   string `json:"db,omitempty"`
	Inventory   string `json:"inv,omitempty"`
	Context     string `json:"ctx,omitempty"`
	// Verified is the verification status (live, invalid, unknown,
	// error), VerifiedWhat the identity, scopes, detail and time.
	Verified     string `json:"vf,omitempty"`
	VerifiedWhat string `json:"vw,omitempty"`
}

func htmlDataFor(fs []scan.Finding) htmlData {
	d := htmlData{Rules: [][3]string{}, Findings: make([]htmlFinding, len(fs))}
	index := map[[3]string]int{}
	for i, f := range fs {
		key := [3]string{f.RuleID, f.Description, f.Hint}
		n, ok := index[key]
		if !ok {
			n = len(d.Rules)
			index[key] = n
			d.Rules = append(d.Rules, key)
		}
		hf := htmlFinding{
			Rule: n, Severity: int(f.Severity), Source: f.Source, Path: f.Path, Line: f.Line, Column: f.Column,
			Secret: f.Secret, Fingerprint: f.Fingerprint, Message: f.Message, Encoding: f.Encoding,
			Commit: f.Commit, Author: f.Author, Email: f.Email, Date: f.Date, CommitTitle: f.CommitTitle,
			Commits: f.Commits, Paths: f.Paths, InHead: f.InHead,
			Image: f.Image, Layer: f.Layer, LayerIndex: f.LayerIndex, CreatedBy: f.CreatedBy,
			Deleted: f.Deleted, DeletedBy: f.DeletedBy, Context: f.Context,
		}
		if inv := f.Inventory; inv != nil {
			hf.Inventory = inv.Name
			if extra := strings.Join(nonEmpty(inv.Owner, inv.Store), ", "); extra != "" {
				hf.Inventory += " (" + extra + ")"
			}
		}
		if v := f.Verification; v != nil {
			hf.Verified, hf.VerifiedWhat = v.Status, verificationText(v)
		}
		d.Findings[i] = hf
	}
	return d
}

// verificationText says whose credential it is, what it may do, why the
// check did not settle and when it ran, for the expanded row.
func verificationText(v *scan.Verification) string {
	var parts []string
	keys := make([]string, 0, len(v.Identity))
	for k := range v.Identity {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+" "+v.Identity[k])
	}
	if len(v.Scopes) > 0 {
		parts = append(parts, "scopes "+strings.Join(v.Scopes, " "))
	}
	parts = append(parts, nonEmpty(v.Detail)...)
	if v.CheckedAt != "" {
		parts = append(parts, "checked "+v.CheckedAt)
	}
	return strings.Join(parts, "; ")
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// count is one bar's label and value.
type count struct {
	Label string
	// Title is the bar's tooltip and accessible name, when longer than Label.
	Title string
	N     int
	// Part, when set, is the part of N drawn in the second colour (removed
	// from HEAD, deleted by a later layer).
	Part int
}

// Chart geometry, in SVG user units; the SVG scales to the page width.
const (
	chartWidth  = 640
	labelWidth  = 220
	barHeight   = 18
	barGap      = 6
	maxRuleBars = 12
)

// hbarChart is a horizontal bar chart, one row per count.
type hbarChart struct {
	Title  string
	Height int
	Legend []string
	Bars   []hbar
}

type hbar struct {
	count
	Y, W, PartW, TextX, TextY int
}

func barChart(title string, cs []count) *hbarChart {
	if len(cs) == 0 {
		return nil
	}
	peak := 0
	for _, c := range cs {
		peak = max(peak, c.N)
	}
	span := chartWidth - labelWidth - 60
	ch := &hbarChart{Title: title, Height: len(cs)*(barHeight+barGap) + barGap}
	for i, c := range cs {
		w := max(1, c.N*span/peak)
		pw := 0
		if c.Part > 0 {
			pw = max(1, c.Part*span/peak)
		}
		y := barGap + i*(barHeight+barGap)
		if c.Title == "" {
			c.Title = c.Label
		}
		ch.Bars = append(ch.Bars, hbar{count: c, Y: y, W: w, PartW: pw, TextX: labelWidth + w + 6, TextY: y + barHeight - 5})
	}
	return ch
}

func ruleCounts(fs []scan.Finding) []count {
	n := map[string]int{}
	for _, f := range fs {
		n[f.RuleID]++
	}
	cs := sortedCounts(n)
	if len(cs) > maxRuleBars {
		rest := 0
		for _, c := range cs[maxRuleBars-1:] {
			rest += c.N
		}
		cs = append(cs[:maxRuleBars-1], count{Label: fmt.Sprintf("%d other rules", len(cs)-maxRuleBars+1), N: rest})
	}
	return cs
}

func sourceCounts(fs []scan.Finding) []count {
	n := map[string]int{}
	for _, f := range fs {
		n[f.Source]++
	}
	return sortedCounts(n)
}

// sortedCounts orders counts largest first, then by label.
func sortedCounts(n map[string]int) []count {
	cs := make([]count, 0, len(n))
	for k, v := range n {
		cs = append(cs, count{Label: k, N: v})
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].N != cs[j].N {
			return cs[i].N > cs[j].N
		}
		return cs[i].Label < cs[j].Label
	})
	return cs
}

// timelineChart is a column per day or month of git findings' introduction
// dates, each split into secrets still in HEAD and those removed since.
type timelineChart struct {
	Title         string
	Unit          string
	Height, Base  int
	First, Last   string
	InHead, Gone  int
	Unknown       int
	Columns       []tcol
	LabelEveryCol int
}

// tcol is one column: its full height is every secret introduced then;
// the part of those removed since is drawn from the base, those whose
// state is unknown above it, so that what remains is still in HEAD.
type tcol struct {
	Label                         string
	X, W, Y, H, GoneY, GoneH, All int
	Gone, Unknown, OpenY, OpenH   int
}

func gitTimeline(fs []scan.Finding) *timelineChart {
	type bucket struct{ head, gone, unknown int }
	var dates []time.Time
	var states []int // 0 in head, 1 removed, 2 unknown
	for _, f := range fs {
		if f.Source != scan.SourceGit || f.Date == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, f.Date)
		if err != nil {
			continue
		}
		s := 2
		if f.InHead != nil {
			s = map[bool]int{true: 0, false: 1}[*f.InHead]
		}
		dates = append(dates, t.UTC())
		states = append(states, s)
	}
	if len(dates) == 0 {
		return nil
	}
	lo, hi := dates[0], dates[0]
	for _, t := range dates {
		if t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	// Days for a history of up to two months, months beyond.
	daily := hi.Sub(lo) <= 62*24*time.Hour
	key := func(t time.Time) time.Time {
		if daily {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		}
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	next := func(t time.Time) time.Time {
		if daily {
			return t.AddDate(0, 0, 1)
		}
		return t.AddDate(0, 1, 0)
	}
	format := map[bool]string{true: "2006-01-02", false: "2006-01"}[daily]
	buckets := map[time.Time]*bucket{}
	ch := &timelineChart{Title: "When the secrets in the history were introduced", Unit: map[bool]string{true: "day", false: "month"}[daily]}
	for i, t := range dates {
		k := key(t)
		b := buckets[k]
		if b == nil {
			b = &bucket{}
			buckets[k] = b
		}
		switch states[i] {
		case 0:
			b.head++
			ch.InHead++
		case 1:
			b.gone++
			ch.Gone++
		default:
			b.unknown++
			ch.Unknown++
		}
	}
	var keys []time.Time
	for k := key(lo); !k.After(key(hi)); k = next(k) {
		keys = append(keys, k)
	}
	peak := 0
	for _, b := range buckets {
		peak = max(peak, b.head+b.gone+b.unknown)
	}
	const plotH, left = 160, 40
	ch.Base, ch.Height = plotH+10, plotH+40
	ch.First, ch.Last = keys[0].Format(format), keys[len(keys)-1].Format(format)
	w := max(1, (chartWidth-left-10)/len(keys))
	ch.LabelEveryCol = max(1, (len(keys)+7)/8)
	for i, k := range keys {
		c := tcol{Label: k.Format(format), X: left + i*w, W: max(1, w-1)}
		if b := buckets[k]; b != nil {
			c.All = b.head + b.gone + b.unknown
			c.Gone, c.Unknown = b.gone, b.unknown
			c.H = max(1, c.All*plotH/peak)
			c.Y = ch.Base - c.H
			if b.gone > 0 {
				c.GoneH = max(1, b.gone*plotH/peak)
				c.GoneY = ch.Base - c.GoneH
			}
			if b.unknown > 0 {
				c.OpenH = max(1, (b.gone+b.unknown)*plotH/peak)
				c.OpenY = ch.Base - c.OpenH
			}
		}
		ch.Columns = append(ch.Columns, c)
	}
	return ch
}

// layerChart counts image findings per image layer, the part deleted by a
// later layer drawn apart, each bar named by the build step (created_by)
// that made the layer.
func layerChart(fs []scan.Finding) *hbarChart {
	type key struct {
		image string
		index int
	}
	type row struct {
		n, deleted int
		step       string
	}
	rows := map[key]*row{}
	images := map[string]bool{}
	for _, f := range fs {
		if f.Source != scan.SourceImage || f.LayerIndex == nil {
			continue
		}
		k := key{f.Image, *f.LayerIndex}
		r := rows[k]
		if r == nil {
			r = &row{}
			rows[k] = r
		}
		r.n++
		if f.Deleted {
			r.deleted++
		}
		if r.step == "" {
			r.step = f.CreatedBy
		}
		images[f.Image] = true
	}
	if len(rows) == 0 {
		return nil
	}
	keys := make([]key, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].image != keys[j].image {
			return keys[i].image < keys[j].image
		}
		return keys[i].index < keys[j].index
	})
	var cs []count
	for _, k := range keys {
		r := rows[k]
		label := fmt.Sprintf("layer %d", k.index)
		if k.index < 0 {
			label = "config and history"
		}
		if len(images) > 1 {
			label = clip(k.image, 16) + " " + label
		}
		title := label
		if r.step != "" {
			label += ": " + clip(r.step, 28)
			title += ": " + r.step
		}
		cs = append(cs, count{Label: label, Title: title, N: r.n, Part: r.deleted})
	}
	ch := barChart("Image findings by layer and build step", cs)
	ch.Legend = []string{"in the final image", "deleted by a later layer"}
	return ch
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
