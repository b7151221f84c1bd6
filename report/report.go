package report

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/muesli/termenv"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// Version is the report format version, bumped on incompatible changes.
const Version = "1"

// Tool is the tool name written into reports.
const Tool = "secretlint"

// Report is everything a scan hands to a writer.
type Report struct {
	// ToolVersion is the secretlint version that produced the report.
	ToolVersion string
	// Command, Targets and Started say what was scanned and when (the
	// command name, the paths, repository or image references given, the
	// start time). Only the HTML page shows them; the other formats'
	// fields are fixed.
	Command  string
	Targets  []string
	Started  time.Time
	Findings []scan.Finding
	Errors   []*scan.InputError
	Skips    []scan.Skip
	// Stale lists baseline fingerprints that matched nothing.
	Stale []string
	// StaleAllowlist lists the configuration's allowlist entries that
	// suppressed nothing, as "file:line: table.key \"entry\"".
	StaleAllowlist []string
	Stats          Stats
	// Secrets lists raw secrets met in the run beyond those of Findings
	// (suppressed findings' secrets), so that copies of them in the
	// findings' free text are redacted too.
	Secrets []string
	// Rules, when set, is the run's rule set. Unless secrets are shown it
	// is run over the free-text fields (commit messages, image history,
	// error text) before rendering, so that a secret there that no finding
	// reports is redacted too.
	Rules *rules.Set
	// Shard and Audit are set on the reports of `secretlint audit` and
	// `secretlint merge`; every other report leaves them nil, and the JSON
	// format then has no such fields.
	Shard *Shard
	Audit *Audit
	// Rotation is every inventoried secret's rotation age against its
	// limit, set by `secretlint inventory check`; only the HTML page
	// draws it.
	Rotation []RotationAge
	// Verified says the run checked its credentials with their providers
	// (--verify): the CSV gains its verification columns and the summary
	// counts the live ones.
	Verified bool
}

// Stats summarises a scan.
type Stats struct {
	Inputs     int64   `json:"inputs"`
	Bytes      int64   `json:"bytes"`
	Findings   int     `json:"findings"`
	Suppressed int     `json:"suppressed"`
	Errors     int     `json:"errors"`
	Skipped    int     `json:"skipped"`
	Seconds    float64 `json:"seconds"`
}

// Options control rendering.
type Options struct {
	// ShowSecrets prints raw secret values. Off by default.
	ShowSecrets bool
	// Color forces colour on (true) or off (false) for the text format; the
	// caller decides from the terminal and NO_COLOR.
	Color bool
	// Profile, when set with Color, fixes the colour profile instead of
	// detecting it from the writer (golden tests).
	Profile *termenv.Profile
}

// Formats lists the supported format names.
var Formats = []string{"text", "json", "jsonl", "sarif", "junit", "csv", "codequality", "html"}

// Write renders r in the named format.
func Write(w io.Writer, format string, r *Report, o Options) error {
	rr := *r
	if !o.ShowSecrets {
		rr = redactReport(r)
	}
	switch strings.ToLower(format) {
	case "", "text":
		return WriteText(w, &rr, o)
	case "json":
		return WriteJSON(w, &rr)
	case "jsonl":
		return WriteJSONL(w, rr.Findings)
	case "sarif":
		return WriteSARIF(w, &rr)
	case "junit":
		return WriteJUnit(w, &rr)
	case "csv":
		return WriteCSV(w, &rr)
	case "codequality":
		return WriteCodeQuality(w, &rr)
	case "html":
		return WriteHTML(w, &rr, o)
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// redactReport returns a copy of r with every secret of the run redacted:
// the findings' own, those of r.Secrets, and, with a rule set, any rule
// match in the free text itself (a token in a commit message that no
// finding reports).
func redactReport(r *Report) Report {
	rr := *r
	set := r.Rules
	secrets := append([]string(nil), r.Secrets...)
	for _, f := range r.Findings {
		secrets = append(secrets, f.Secret)
	}
	if set != nil {
		seen := map[string]bool{}
		look := func(text string) {
			if text == "" || seen[text] {
				return
			}
			seen[text] = true
			data := []byte(text)
			for _, m := range set.Find(data) {
				secrets = append(secrets, string(m.Secret(data)))
			}
		}
		for i := range r.Findings {
			for _, p := range freeText(&r.Findings[i]) {
				look(*p)
			}
		}
		for _, e := range r.Errors {
			look(e.Input)
			look(e.Err.Error())
		}
		for _, s := range r.Skips {
			look(s.Reason)
		}
		// An allowlist entry may be a credential written out (a stopword,
		// a regex of one literal value).
		for _, s := range r.StaleAllowlist {
			look(s)
		}
	}
	sc := newScrubber(secrets)
	rr.Findings = sc.redacted(r.Findings)
	if len(r.Errors) > 0 {
		rr.Errors = make([]*scan.InputError, len(r.Errors))
		for i, e := range r.Errors {
			rr.Errors[i] = &scan.InputError{Input: sc.Scrub(e.Input), Err: errors.New(sc.Scrub(e.Err.Error()))}
		}
	}
	if len(r.Skips) > 0 {
		rr.Skips = make([]scan.Skip, len(r.Skips))
		for i, s := range r.Skips {
			rr.Skips[i] = scan.Skip{Input: s.Input, Reason: sc.Scrub(s.Reason)}
		}
	}
	if len(r.StaleAllowlist) > 0 {
		rr.StaleAllowlist = make([]string, len(r.StaleAllowlist))
		for i, s := range r.StaleAllowlist {
			rr.StaleAllowlist[i] = sc.Scrub(s)
		}
	}
	return rr
}

// freeText returns the finding's fields that may quote scanned content.
// Path, fingerprint and digests are left out: they identify the finding
// (a baseline or ignore file copies them) and must stay exact even when
// the secret's text happens to occur in a file name.
func freeText(f *scan.Finding) []*string {
	return []*string{&f.Description, &f.Message, &f.Hint, &f.Author, &f.Email,
		&f.CommitTitle, &f.Image, &f.CreatedBy}
}

// Redacted returns copies of the findings with secrets redacted: the
// secret itself, and any copy of any of their secrets in the other text
// fields (an image history entry such as "ENV TOKEN=…", a commit message,
// a policy message). Paths and fingerprints are kept exact.
func Redacted(fs []scan.Finding) []scan.Finding {
	return NewScrubber(fs).redacted(fs)
}

func (s *Scrubber) redacted(fs []scan.Finding) []scan.Finding {
	out := make([]scan.Finding, len(fs))
	for i, f := range fs {
		for _, p := range freeText(&f) {
			*p = s.Scrub(*p)
		}
		f.Secret = scan.Redact(f.Secret)
		if v := f.Verification; v != nil {
			c := *v
			c.Detail = s.Scrub(c.Detail)
			if c.Identity != nil {
				c.Identity = map[string]string{}
				for k, x := range v.Identity {
					c.Identity[k] = s.Scrub(x)
				}
			}
			f.Verification = &c
		}
		out[i] = f
	}
	return out
}

// minScrub is the shortest secret looked for in other text: shorter ones
// would match innocent text.
const minScrub = 8

// Scrubber replaces the raw secrets of a set of findings in free text, such
// as an input error that quotes the line it failed on.
type Scrubber struct {
	r *strings.Replacer
}

// NewScrubber returns a scrubber for the findings' secrets.
func NewScrubber(fs []scan.Finding) *Scrubber {
	secrets := make([]string, len(fs))
	for i, f := range fs {
		secrets[i] = f.Secret
	}
	return newScrubber(secrets)
}

// newScrubber returns a scrubber for the secrets, longest first so that a
// secret holding another is replaced whole.
func newScrubber(secrets []string) *Scrubber {
	seen := map[string]bool{}
	var keep []string
	for _, s := range secrets {
		if len(s) >= minScrub && !seen[s] {
			seen[s] = true
			keep = append(keep, s)
		}
	}
	if len(keep) == 0 {
		return &Scrubber{}
	}
	sort.Slice(keep, func(i, j int) bool { return len(keep[i]) > len(keep[j]) })
	pairs := make([]string, 0, 2*len(keep))
	for _, s := range keep {
		pairs = append(pairs, s, scan.Redact(s))
	}
	return &Scrubber{r: strings.NewReplacer(pairs...)}
}

// Scrub returns text with every known secret redacted.
func (s *Scrubber) Scrub(text string) string {
	if s == nil || s.r == nil {
		return text
	}
	return s.r.Replace(text)
}

// bySeverity counts findings per severity name, most severe first.
func bySeverity(fs []scan.Finding) []string {
	counts := map[string]int{}
	for _, f := range fs {
		counts[f.Severity.String()]++
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]string, 0, len(names))
	for _, n := range []string{"critical", "high", "medium", "low", "info"} {
		if c := counts[n]; c > 0 {
			out = append(out, fmt.Sprintf("%d %s", c, n))
		}
	}
	return out
}
