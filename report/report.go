package report

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/muesli/termenv"

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
	Findings    []scan.Finding
	Errors      []*scan.InputError
	Skips       []scan.Skip
	// Stale lists baseline fingerprints that matched nothing.
	Stale []string
	Stats Stats
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
var Formats = []string{"text", "json", "jsonl", "sarif", "junit", "csv"}

// Write renders r in the named format.
func Write(w io.Writer, format string, r *Report, o Options) error {
	rr := *r
	if !o.ShowSecrets {
		rr.Findings = Redacted(r.Findings)
		if len(r.Errors) > 0 {
			sc := NewScrubber(r.Findings)
			rr.Errors = make([]*scan.InputError, len(r.Errors))
			for i, e := range r.Errors {
				rr.Errors[i] = &scan.InputError{Input: sc.Scrub(e.Input), Err: errors.New(sc.Scrub(e.Err.Error()))}
			}
		}
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
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// Redacted returns copies of the findings with secrets redacted: the
// secret itself, and any copy of it in the other text fields (an image
// history entry such as "ENV TOKEN=…", a commit message, a policy message).
func Redacted(fs []scan.Finding) []scan.Finding {
	out := make([]scan.Finding, len(fs))
	for i, f := range fs {
		if len(f.Secret) >= minScrub {
			r := strings.NewReplacer(f.Secret, scan.Redact(f.Secret))
			for _, p := range []*string{&f.Description, &f.Path, &f.Message, &f.Hint, &f.Author, &f.Email,
				&f.CommitTitle, &f.Image, &f.CreatedBy, &f.Fingerprint} {
				if strings.Contains(*p, f.Secret) {
					*p = r.Replace(*p)
				}
			}
		}
		f.Secret = scan.Redact(f.Secret)
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
	seen := map[string]bool{}
	var pairs []string
	for _, f := range fs {
		if len(f.Secret) >= minScrub && !seen[f.Secret] {
			seen[f.Secret] = true
			pairs = append(pairs, f.Secret, scan.Redact(f.Secret))
		}
	}
	if len(pairs) == 0 {
		return &Scrubber{}
	}
	return &Scrubber{r: strings.NewReplacer(pairs...)}
}

// Scrub returns s with every known secret redacted.
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
