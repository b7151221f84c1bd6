package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// FormatVersion is the version written into baseline files.
const FormatVersion = "1"

// maxSize caps a baseline or ignore file.
const maxSize = 64 << 20

// Baseline is a set of findings to suppress, by fingerprint. It reads
// secretlint baselines and, for teams moving over, gitleaks JSON reports
// (whose fingerprints have the forms commit:path:rule:line and
// path:rule:line).
type Baseline struct {
	Path string
	// entries maps each fingerprint (ours or a gitleaks one) to whether a
	// finding used it; order keeps them in file order for messages.
	entries map[string]bool
	// keyID is the id of the fingerprint key the file was written with;
	// "" for a file written without one (or before keys existed).
	keyID string
	// unkeyed counts the entries that matched a finding only in the
	// unkeyed form, while the finding's own fingerprint is keyed: entries
	// of an old baseline that 'secretlint baseline' would rewrite.
	unkeyed map[string]bool
}

// file is the JSON shape of a baseline file.
type file struct {
	Version string `json:"version"`
	// KeyID names the fingerprint key the hashes were made with (its id,
	// never the key), so a scan with another key can say why nothing
	// matches. Absent in baselines written without a key.
	KeyID    string  `json:"key_id,omitempty"`
	Findings []entry `json:"findings"`
}

// entry is one baselined finding. Written entries hold the fingerprint's
// parts (rule, path, hash) rather than the joined fingerprint: the joined
// form reads like "some-token:3f74b2bed060a108", an assignment that
// generic secret rules would report when the baseline is committed and
// scanned. A joined fingerprint is accepted when read.
type entry struct {
	Fingerprint string `json:"fingerprint,omitempty"`
	RuleID      string `json:"rule_id,omitempty"`
	Path        string `json:"path,omitempty"`
	Hash        string `json:"hash,omitempty"`
}

// fingerprint returns the entry's fingerprint, or "" when it has neither a
// fingerprint nor all of rule, path and hash.
func (e entry) fingerprint() string {
	if e.Fingerprint != "" {
		return e.Fingerprint
	}
	if e.RuleID == "" || e.Path == "" || e.Hash == "" {
		return ""
	}
	return e.Path + ":" + e.RuleID + ":" + e.Hash
}

// split cuts a fingerprint path:rule:hash into its parts; the path may
// itself hold colons.
func split(fp string) (path, rule, hash string, ok bool) {
	i := strings.LastIndexByte(fp, ':')
	if i <= 0 {
		return "", "", "", false
	}
	j := strings.LastIndexByte(fp[:i], ':')
	if j <= 0 {
		return "", "", "", false
	}
	return fp[:j], fp[j+1 : i], fp[i+1:], true
}

// gitleaksFinding is the one field read from a gitleaks JSON report.
type gitleaksFinding struct {
	Fingerprint string `json:"Fingerprint"`
}

// Load reads a baseline file.
func Load(path string) (*Baseline, error) {
	data, err := readCapped(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	return Parse(path, data)
}

// Parse reads baseline bytes; path names the file in errors.
func Parse(path string, data []byte) (*Baseline, error) {
	b := &Baseline{Path: path, entries: map[string]bool{}}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var gl []gitleaksFinding
		if err := json.Unmarshal(trimmed, &gl); err != nil {
			return nil, fmt.Errorf("%s: not a gitleaks report: %v", path, err)
		}
		for i, g := range gl {
			if g.Fingerprint == "" {
				return nil, fmt.Errorf("%s: finding %d has no Fingerprint", path, i+1)
			}
			b.entries[g.Fingerprint] = false
		}
		return b, nil
	}
	var head struct {
		Tool     string            `json:"tool"`
		Findings []json.RawMessage `json:"findings"`
	}
	if json.Unmarshal(trimmed, &head) == nil && head.Tool != "" {
		return parseReport(b, path, head.Tool, head.Findings)
	}
	var f file
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a secretlint baseline (want the JSON that 'secretlint baseline' writes): %v", path, err)
	}
	if f.Version != FormatVersion {
		return nil, fmt.Errorf("%s: baseline version %q, want %q", path, f.Version, FormatVersion)
	}
	for i, e := range f.Findings {
		fp := e.fingerprint()
		if fp == "" {
			return nil, fmt.Errorf("%s: entry %d has neither a fingerprint nor rule_id, path and hash", path, i+1)
		}
		b.entries[fp] = false
	}
	b.keyID = f.KeyID
	return b, nil
}

// parseReport reads the fingerprints of a secretlint JSON report (the
// output of --format json), so a report can serve as a baseline.
func parseReport(b *Baseline, path, tool string, findings []json.RawMessage) (*Baseline, error) {
	if tool != "secretlint" {
		return nil, fmt.Errorf("%s: a report of %q, want secretlint's JSON report, a secretlint baseline or a gitleaks JSON report", path, tool)
	}
	for i, raw := range findings {
		var f struct {
			Fingerprint string `json:"fingerprint"`
		}
		if err := json.Unmarshal(raw, &f); err != nil || f.Fingerprint == "" {
			return nil, fmt.Errorf("%s: finding %d has no fingerprint", path, i+1)
		}
		b.entries[f.Fingerprint] = false
	}
	return b, nil
}

// Len returns how many entries the baseline holds.
func (b *Baseline) Len() int { return len(b.entries) }

// KeyID returns the id of the fingerprint key the baseline was written
// with, or "".
func (b *Baseline) KeyID() string { return b.keyID }

// Unkeyed returns how many entries matched findings only in the unkeyed
// fingerprint form although the scan had a key (so far, over every
// Filter call): rewrite the baseline to replace them. It is 0 for nil.
func (b *Baseline) Unkeyed() int {
	if b == nil {
		return 0
	}
	return len(b.unkeyed)
}

// KeyMismatch returns a warning when the baseline was written with a
// fingerprint key other than k (or k is nil): its keyed entries cannot
// match, so every finding they record is reported as new. It returns ""
// when the keys agree, the baseline records none, or b is nil.
func (b *Baseline) KeyMismatch(k *fingerprint.Key) string {
	if b == nil || b.keyID == "" || b.keyID == k.ID() {
		return ""
	}
	if k == nil {
		return fmt.Sprintf("%s was written with fingerprint key %s and this scan has none, so its entries cannot match: set %s (or the [fingerprint] key_file the baseline was made with)", b.Path, b.keyID, fingerprint.EnvVar)
	}
	return fmt.Sprintf("%s was written with fingerprint key %s and this scan uses key %s (%s), so its entries cannot match: use the key the baseline was made with, or rewrite it with 'secretlint baseline'", b.Path, b.keyID, k.ID(), k.Source)
}

// Write writes a baseline holding the findings' fingerprints, sorted and
// without duplicates, so the file diffs well.
func Write(w io.Writer, fs []scan.Finding) error { return WriteKeyed(w, fs, nil) }

// WriteKeyed is Write for findings fingerprinted with key k: the file
// records k's id (never k), so a scan with another key can say why
// nothing matches.
func WriteKeyed(w io.Writer, fs []scan.Finding, k *fingerprint.Key) error {
	seen := map[string]bool{}
	f := file{Version: FormatVersion, KeyID: k.ID(), Findings: []entry{}}
	for _, fd := range fs {
		if seen[fd.Fingerprint] {
			continue
		}
		seen[fd.Fingerprint] = true
		e := entry{Fingerprint: fd.Fingerprint}
		if p, r, h, ok := split(fd.Fingerprint); ok && p == fd.Path && r == fd.RuleID {
			e = entry{RuleID: r, Path: p, Hash: h}
		}
		f.Findings = append(f.Findings, e)
	}
	sort.Slice(f.Findings, func(i, j int) bool { return f.Findings[i].fingerprint() < f.Findings[j].fingerprint() })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(f)
}

// Filter drops baselined findings. It returns the findings kept, how many
// were suppressed, and the baseline entries that matched nothing (stale),
// sorted.
func (b *Baseline) Filter(fs []scan.Finding) (kept []scan.Finding, suppressed int, stale []string) {
	return b.FilterUnder(fs, nil)
}

// FilterUnder is Filter where a finding under one of dirs also answers to
// its fingerprints with the path made relative to that directory: a
// baseline recorded for a tree matches the findings of that tree scanned
// by another name, and the history scan of the repository it sits in.
func (b *Baseline) FilterUnder(fs []scan.Finding, dirs []string) (kept []scan.Finding, suppressed int, stale []string) {
	used := map[string]bool{}
	for _, f := range fs {
		hit := false
		for _, k := range keysUnder(f, dirs) {
			if _, ok := b.entries[k]; ok {
				used[k] = true
				hit = true
			}
		}
		// An entry written before the project had a key (or by an older
		// secretlint) holds the unkeyed form.
		for _, k := range unkeyedUnder(f, dirs) {
			if _, ok := b.entries[k]; ok {
				used[k] = true
				if !hit {
					if b.unkeyed == nil {
						b.unkeyed = map[string]bool{}
					}
					b.unkeyed[k] = true
				}
				hit = true
			}
		}
		if hit {
			suppressed++
			continue
		}
		kept = append(kept, f)
	}
	for fp := range b.entries {
		if !used[fp] {
			stale = append(stale, fp)
		}
	}
	sort.Strings(stale)
	return kept, suppressed, stale
}

// keysUnder returns keys(f), and those of f with its path relative to each
// of dirs that holds it.
func keysUnder(f scan.Finding, dirs []string) []string {
	ks := keys(f)
	for _, d := range dirs {
		if g, ok := Relative(f, d); ok {
			ks = append(ks, keys(g)...)
		}
	}
	return ks
}

// unkeyedUnder returns the unkeyed fingerprints of f, as scanned and with
// its path relative to each of dirs that holds it, when f's own is keyed.
func unkeyedUnder(f scan.Finding, dirs []string) []string {
	var ks []string
	if u, ok := unkeyed(f); ok {
		ks = append(ks, u)
	}
	for _, d := range dirs {
		if g, ok := Relative(f, d); ok {
			if u, ok := unkeyed(g); ok {
				ks = append(ks, u)
			}
		}
	}
	return ks
}

// unkeyed returns the fingerprint f would have without a key, when f holds
// its secret (before redaction) and that differs from its fingerprint.
func unkeyed(f scan.Finding) (string, bool) {
	if f.Secret == "" {
		return "", false
	}
	u := fingerprint.Unkeyed(f.RuleID, f.Path, f.Secret)
	return u, u != f.Fingerprint
}

// Relative returns f with its path, and the path in its fingerprint, made
// relative to dir, when f lies under dir.
func Relative(f scan.Finding, dir string) (scan.Finding, bool) {
	d := filepath.ToSlash(filepath.Clean(dir))
	if d == "." || d == "" {
		return f, false
	}
	p := filepath.ToSlash(f.Path)
	prefix := strings.TrimSuffix(d, "/") + "/"
	if !strings.HasPrefix(p, prefix) {
		return f, false
	}
	g := f
	g.Path = p[len(prefix):]
	if strings.HasPrefix(f.Fingerprint, f.Path+":") {
		g.Fingerprint = g.Path + f.Fingerprint[len(f.Path):]
	}
	return g, true
}

// gitleaksGeneric is gitleaks' catch-all rule: it reports a secret-looking
// assignment that none of gitleaks' specific rules matched.
const gitleaksGeneric = "generic-api-key"

// keys are the fingerprints a finding answers to: secretlint's, and
// gitleaks' forms path:rule:line and commit:path:rule:line.
// The rule part may be the gitleaks id of the rule, or gitleaks' generic
// rule whatever the finding's rule: where gitleaks has no rule for a
// credential that secretlint has one for, gitleaks reports that credential,
// at the same place, as generic-api-key.
func keys(f scan.Finding) []string {
	ks := []string{f.Fingerprint}
	line := strconv.Itoa(f.Line)
	ids := append([]string{f.RuleID}, rules.GitleaksIDs(f.RuleID)...)
	if !slices.Contains(ids, gitleaksGeneric) {
		ids = append(ids, gitleaksGeneric)
	}
	for _, id := range ids {
		ks = append(ks, f.Path+":"+id+":"+line)
		if f.Commit != "" {
			ks = append(ks, f.Commit+":"+f.Path+":"+id+":"+line)
		}
	}
	return ks
}

// Ignore is a parsed .gitleaksignore: fingerprints in gitleaks' forms
// (commit:path:rule:line or path:rule:line) and secretlint fingerprints,
// one a line; # starts a comment.
type Ignore struct {
	entries map[string]bool
	used    map[string]bool
	// suppressedAt holds the places (commit:path:line and path:line) of
	// the findings an entry suppressed.
	suppressedAt map[string]bool
}

// LoadGitleaksIgnore reads a .gitleaksignore file.
func LoadGitleaksIgnore(path string) (*Ignore, error) {
	data, err := readCapped(path)
	if err != nil {
		return nil, err
	}
	return ParseGitleaksIgnore(data), nil
}

// ParseGitleaksIgnore reads the lines of a .gitleaksignore file.
func ParseGitleaksIgnore(data []byte) *Ignore {
	ig := &Ignore{entries: map[string]bool{}}
	for _, line := range strings.Split(string(data), "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		ig.entries[line] = true
	}
	return ig
}

// Merge returns the union of two ignore sets; either may be nil.
func (ig *Ignore) Merge(o *Ignore) *Ignore {
	if ig == nil {
		return o
	}
	if o == nil {
		return ig
	}
	for k := range o.entries {
		ig.entries[k] = true
	}
	return ig
}

// Matches reports whether an ignore entry names the finding.
func (ig *Ignore) Matches(f scan.Finding) bool {
	if ig == nil {
		return false
	}
	ks := keys(f)
	if u, ok := unkeyed(f); ok {
		ks = append(ks, u) // a fingerprint copied from a report made without a key
	}
	matched := false
	for _, k := range ks {
		if ig.entries[k] {
			if ig.used == nil {
				ig.used = map[string]bool{}
			}
			ig.used[k] = true
			matched = true
		}
	}
	if matched {
		if ig.suppressedAt == nil {
			ig.suppressedAt = map[string]bool{}
		}
		line := strconv.Itoa(f.Line)
		ig.suppressedAt[f.Path+":"+line] = true
		if f.Commit != "" {
			ig.suppressedAt[f.Commit+":"+f.Path+":"+line] = true
		}
	}
	return matched
}

// place returns a gitleaks entry's place without its rule id
// (commit:path:line or path:line), or "" for another form.
func place(entry string) string {
	i := strings.LastIndexByte(entry, ':')
	if i < 0 {
		return ""
	}
	if _, err := strconv.Atoi(entry[i+1:]); err != nil {
		return ""
	}
	j := strings.LastIndexByte(entry[:i], ':')
	if j < 0 {
		return ""
	}
	return entry[:j] + entry[i:]
}

// Stale returns the entries no finding matched so far, sorted: lines to
// remove from the file, or a sign that a rule id or path in them is wrong.
// An entry for a place whose finding another entry suppressed is not
// stale: gitleaks reports one credential under two of its rules (a GitHub
// token in a curl header is github-pat and curl-auth-header) where
// secretlint reports it once.
func (ig *Ignore) Stale() []string {
	if ig == nil {
		return nil
	}
	var out []string
	for k := range ig.entries {
		if !ig.used[k] && !ig.suppressedAt[place(k)] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// readCapped reads a file of at most maxSize bytes.
func readCapped(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxSize {
		return nil, fmt.Errorf("%s: larger than %d MB", path, maxSize>>20)
	}
	return data, nil
}
