package scan

import (
	"bytes"
	"sync/atomic"

	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/rules"
)

// Engine runs a rule set over fragments. It is safe for concurrent use;
// sources call Scan from as many goroutines as they like.
type Engine struct {
	set    *rules.Set
	allow  rules.Allowlist
	decode bool
	key    *fingerprint.Key
	// over applies to the rules Extend adds.
	over Overrides

	bytes     atomic.Int64
	fragments atomic.Int64
	// parent, for an engine made by Extend, keeps the scan totals.
	parent *Engine
}

// Option configures an Engine.
type Option func(*Engine)

// WithAllowlist sets the global allowlist: paths skipped, secrets ignored.
func WithAllowlist(a rules.Allowlist) Option { return func(e *Engine) { e.allow = a } }

// WithDecoding turns decoding of base64, hex and percent-encoded text on or
// off (default on).
func WithDecoding(on bool) Option { return func(e *Engine) { e.decode = on } }

// WithFingerprintKey keys the findings' fingerprints and secret hashes with
// the project's key (HMAC-SHA256); nil keeps the unkeyed fingerprints and
// no secret hash.
func WithFingerprintKey(k *fingerprint.Key) Option { return func(e *Engine) { e.key = k } }

// Overrides are a configuration's severity overrides and disabled ids for
// rules outside the engine's set, which Extend adds (the log rules).
type Overrides struct {
	Severity map[string]rules.Severity
	Disabled map[string]bool
}

// SetSeverity overrides the severity of the rule id.
func (o *Overrides) SetSeverity(id string, s rules.Severity) {
	if o.Severity == nil {
		o.Severity = map[string]rules.Severity{}
	}
	o.Severity[id] = s
}

// Disable turns the rule id off.
func (o *Overrides) Disable(id string) {
	if o.Disabled == nil {
		o.Disabled = map[string]bool{}
	}
	o.Disabled[id] = true
}

// WithOverrides sets the overrides Extend applies to the rules it adds.
func WithOverrides(o Overrides) Option { return func(e *Engine) { e.over = o } }

// NewEngine returns an engine for the rule set.
func NewEngine(set *rules.Set, opts ...Option) *Engine {
	e := &Engine{set: set, decode: true}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Extend returns an engine that runs extra rules beside this engine's, with
// the same allowlist and decoding; what it scans counts in this engine's
// totals. An extra rule whose id the set already has is left out, so the
// configured rule wins. Sources with input-specific detection (HTTP headers
// in logs) use it.
func (e *Engine) Extend(extra []*rules.Rule) (*Engine, error) {
	rs := append([]*rules.Rule(nil), e.set.Rules()...)
	for _, r := range extra {
		if e.set.Rule(r.ID) != nil || e.over.Disabled[r.ID] {
			continue
		}
		if s, ok := e.over.Severity[r.ID]; ok {
			cp := *r
			cp.Severity = s
			r = &cp
		}
		rs = append(rs, r)
	}
	set, err := rules.NewSet(rs)
	if err != nil {
		return nil, err
	}
	root := e
	if e.parent != nil {
		root = e.parent
	}
	return &Engine{set: set, allow: e.allow, decode: e.decode, key: e.key, over: e.over, parent: root}, nil
}

// FingerprintKey returns the engine's fingerprint key, nil when it has none,
// for sources that make findings of their own (the policy checks).
func (e *Engine) FingerprintKey() *fingerprint.Key { return e.key }

// Fingerprint returns the fingerprint of a secret found by a rule at a
// path, keyed when the engine has a key. Sources that move a finding to
// another path (a git blob seen at a second path) recompute it with this.
func (e *Engine) Fingerprint(ruleID, path, secret string) string {
	return e.key.Fingerprint(ruleID, path, secret)
}

// Rules returns the engine's rule set.
func (e *Engine) Rules() *rules.Set { return e.set }

// SkipPath reports whether a path is in one of BundledDirs or the global
// allowlist excludes it, so sources can avoid reading it at all.
func (e *Engine) SkipPath(path string) bool { return inBundledDir(path) || e.allow.AllowsPath(path) }

// Scanned returns how many fragments and bytes the engine has scanned.
func (e *Engine) Scanned() (fragments, bytes int64) {
	return e.fragments.Load(), e.bytes.Load()
}

// AllowMarkers are the inline markers that suppress findings on their
// line: secretlint's own, gitleaks', detect-secrets' and trufflehog's, so
// files marked for another tool keep working. The engine and the policy
// checks read this one list.
var AllowMarkers = []string{"secretlint:allow", "gitleaks:allow", "pragma: allowlist secret", "trufflehog:ignore"}

// HasAllowMarker reports whether line holds one of the AllowMarkers.
func HasAllowMarker(line []byte) bool {
	for _, mk := range AllowMarkers {
		if bytes.Contains(line, []byte(mk)) {
			return true
		}
	}
	return false
}

// Scan returns the findings in one fragment, sorted by position, each with
// its origin, line and column filled in.
func (e *Engine) Scan(f Fragment) []Finding {
	fs, _ := e.scan(f)
	return fs
}

// scan is Scan that also returns, for each finding, the offset in f.Data
// where the match behind it begins (before the secret, for a rule whose
// secret is a group): a stream cut into windows must keep a match whole.
func (e *Engine) scan(f Fragment) ([]Finding, []int) {
	tot := e
	if e.parent != nil {
		tot = e.parent
	}
	if !f.Derived {
		tot.fragments.Add(1)
		tot.bytes.Add(int64(len(f.Data)))
	}
	path := ""
	if f.Origin != nil {
		path = f.Origin.Path
	}
	if path != "" && e.allow.AllowsPath(path) {
		return nil, nil
	}
	ms := e.set.Find(f.Data)
	var (
		out    []Finding
		starts []int         // where the match behind each of out's findings begins
		direct []rules.Match // the match behind each of out's findings
	)
	lines := newLineIndex(f.Data, f.Line)
	for _, m := range ms {
		secret := m.Secret(f.Data)
		if !e.keep(m.Rule, path, secret) || allowedInline(f.Data, m.MatchStart, m.MatchEnd) {
			continue
		}
		out = append(out, e.finding(f, m.Rule, secret, lines, m.Start, m.End, ""))
		starts = append(starts, m.MatchStart)
		direct = append(direct, m)
	}
	if e.decode {
		out, starts = e.scanDecoded(f, path, lines, direct, out, starts)
	}
	return out, starts
}

func (e *Engine) keep(r *rules.Rule, path string, secret []byte) bool {
	if e.allow.AllowsSecret(secret) {
		return false
	}
	return path == "" || !r.Allow.AllowsPath(path)
}

// scanDecoded finds secrets inside encoded runs of the fragment, reporting
// them at the encoded text's location. direct holds the matches behind the
// first len(direct) findings of out, and starts where each finding's match
// begins. A run that overlaps a specific direct
// match adds nothing (a token that merely looks like base64); a
// decoded finding replaces a generic direct one that spans its run (the
// base64 value of a Kubernetes Secret's password key is reported for what
// it decodes to, not as an opaque string).
func (e *Engine) scanDecoded(f Fragment, path string, lines *lineIndex, direct []rules.Match, out []Finding, starts []int) ([]Finding, []int) {
	superseded := make([]bool, len(direct))
	eachEncoded(f.Data, func(start, end int, enc string, decoded []byte) {
		spanned := false
		for _, d := range direct {
			// The run shares bytes with what a specific rule matched: it is
			// that match's text (a token that looks like base64, a URL whose
			// password is percent-encoded), already reported.
			if !d.Rule.Generic && d.MatchStart < end && start < d.MatchEnd {
				spanned = true
				break
			}
		}
		if spanned {
			return
		}
		for _, m := range e.set.Find(decoded) {
			secret := m.Secret(decoded)
			if !e.keep(m.Rule, path, secret) || allowedInline(f.Data, start, end) {
				continue
			}
			dup := false
			for i, d := range direct {
				if d.Start <= start && end <= d.End {
					if d.Rule == m.Rule {
						dup = true
					} else {
						superseded[i] = true
					}
				}
			}
			if !dup {
				out = append(out, e.finding(f, m.Rule, secret, lines, start, end, enc))
				starts = append(starts, start)
			}
		}
	})
	kept, keptStarts := out[:0], starts[:0]
	for i, fd := range out {
		if i < len(superseded) && superseded[i] {
			continue
		}
		kept, keptStarts = append(kept, fd), append(keptStarts, starts[i])
	}
	return kept, keptStarts
}

func (e *Engine) finding(f Fragment, r *rules.Rule, secret []byte, lines *lineIndex, start, end int, enc string) Finding {
	fd := Finding{
		RuleID:      r.ID,
		Description: r.Description,
		Severity:    r.Severity,
		Secret:      string(secret),
		Hint:        r.Hint,
		Encoding:    enc,
	}
	fd.ApplyOrigin(f.Origin)
	fd.Line, fd.Column = lines.position(start)
	fd.EndLine, fd.EndColumn = lines.position(end)
	if fd.EndColumn > 1 || fd.EndLine == fd.Line {
		fd.EndColumn-- // inclusive end
	}
	fd.Fingerprint = e.key.Fingerprint(r.ID, fd.Path, fd.Secret)
	fd.SecretHash = e.key.SecretHash(fd.Secret)
	return fd
}

// allowedInline reports whether the line(s) of a match carry an allow marker.
func allowedInline(data []byte, start, end int) bool {
	ls := bytes.LastIndexByte(data[:start], '\n') + 1
	le := bytes.IndexByte(data[end:], '\n')
	if le < 0 {
		le = len(data)
	} else {
		le += end
	}
	return HasAllowMarker(data[ls:le])
}

// lineIndex turns byte offsets into 1-based line and column numbers. Offsets
// must be asked for in roughly increasing order; it counts newlines forward
// from the last answer and restarts when asked for an earlier offset.
type lineIndex struct {
	data      []byte
	base      int
	off       int // offset of the last answer
	line      int // line of off
	lineStart int // offset where that line starts
}

func newLineIndex(data []byte, base int) *lineIndex {
	if base < 1 {
		base = 1
	}
	return &lineIndex{data: data, base: base, line: base}
}

func (x *lineIndex) position(off int) (line, col int) {
	if off < x.off {
		x.off, x.line, x.lineStart = 0, x.base, 0
	}
	seg := x.data[x.off:off]
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		x.line += n
		x.lineStart = x.off + bytes.LastIndexByte(seg, '\n') + 1
	}
	x.off = off
	return x.line, off - x.lineStart + 1
}
