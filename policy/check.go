package policy

import (
	"github.com/secretlint/secretlint/catalog"
	"strings"

	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// Check describes one hygiene check: its catalog entry. Its ID is the
// rule_id of the findings it reports and is part of the public interface.
type Check = catalog.Entry

// Check families, one documentation page each (docs/policy/<family>.md).
const (
	FamilyDotenv     = catalog.FamilyDotenv
	FamilyTruss      = catalog.FamilyTruss
	FamilyMLflow     = catalog.FamilyMLflow
	FamilyDockerfile = catalog.FamilyDockerfile
	FamilyKubernetes = catalog.FamilyKubernetes
	FamilyCI         = catalog.FamilyCI
	FamilyIAM        = catalog.FamilyIAM
	FamilyFiles      = catalog.FamilyFiles
)

// Checks returns every hygiene check, sorted by family and id. The checks
// are declared in package catalog.
func Checks() []Check { return catalog.Checks(catalog.HygieneCheck) }

// Lookup returns the hygiene check with the id, or nil.
func Lookup(id string) *Check {
	if c, ok := catalog.Check(id); ok && c.Kind == catalog.HygieneCheck {
		return &c
	}
	return nil
}

// report collects one file's findings and skips.
type report struct {
	path     string
	findings []scan.Finding
	skips    []string
	disabled map[string]bool
	severity map[string]rules.Severity // overrides by check id
	lines    lineIndex                 // of data, for inline allow markers
	data     []byte
	// quietSA names the file's ServiceAccounts that mount no token.
	quietSA map[string]bool
	// key keys the fingerprints of findings that hold a secret.
	key *fingerprint.Key
	// object is the Kubernetes object being checked ("Deployment/ns/name"),
	// and objects holds it for every finding (parallel to findings), so
	// copies of one manifest elsewhere in the tree can be reported once.
	object  string
	objects []string
	// rbac is what the file's manifests grant ServiceAccounts; pending are
	// the token mounts that matter only if some binding lets them read
	// Secrets.
	rbac    rbacFacts
	pending []pendingToken
	// configMaps are the file's own ConfigMaps; namespace is the one of
	// the Kubernetes object being checked.
	configMaps configMaps
	namespace  string
	// deferred are environments waiting for other files' ConfigMaps.
	deferred []deferredSet
	// seenVar holds the variables already reported per check (addVar).
	seenVar map[string]bool
}

// allowed reports whether an allow marker (scan.AllowMarkers) suppresses a
// finding on line: one on the line itself, or on the line before when it
// stands in a comment line of its own (Dockerfile instructions cannot carry
// trailing comments).
func (r *report) allowed(line int) bool {
	if r.data == nil {
		return false
	}
	if r.lines == nil {
		r.lines = newLines(r.data)
	}
	text := func(l int) string {
		if l < 1 || l > len(r.lines) {
			return ""
		}
		start := r.lines[l-1]
		end := len(r.data)
		if l < len(r.lines) {
			end = r.lines[l] - 1
		}
		return string(r.data[start:end])
	}
	has := func(s string) bool { return scan.HasAllowMarker([]byte(s)) }
	if has(text(line)) {
		return true
	}
	prev := strings.TrimSpace(text(line - 1))
	return strings.HasPrefix(prev, "#") && has(prev)
}

// add records a finding. subject identifies what is wrong (a key, a
// container, a statement) so the fingerprint survives line moves; secret is
// the offending value when the finding exposes one (reports redact it).
func (r *report) add(id string, line, col int, subject, secret, msg string) {
	r.addSeverity(id, catalogSeverity(id), line, col, subject, secret, msg)
}

// catalogSeverity returns a check's default severity.
func catalogSeverity(id string) rules.Severity {
	c, ok := catalog.Check(id)
	if !ok || c.Kind != catalog.HygieneCheck {
		panic("policy: check " + id + " is not in the catalog")
	}
	return c.Severity
}

// addSeverity records a finding at a severity other than the check's
// default (a finding the check is less sure of); the configuration's
// [severity] for the check still wins.
func (r *report) addSeverity(id string, sev rules.Severity, line, col int, subject, secret, msg string) {
	c, _ := catalog.Check(id)
	if r.disabled[id] {
		return
	}
	if line < 1 {
		line = 1
	}
	if r.allowed(line) {
		return
	}
	if col < 1 {
		col = 1
	}
	if s, ok := r.severity[id]; ok {
		sev = s
	}
	// A finding without a secret is named by its subject (a variable or
	// resource name, not a value), so its fingerprint needs no key.
	fp := r.key.Fingerprint(id, r.path, secret)
	if secret == "" {
		fp = scan.Fingerprint(id, r.path, subject)
	}
	r.findings = append(r.findings, scan.Finding{
		RuleID:      id,
		Description: c.Description,
		Severity:    sev,
		Source:      scan.SourcePolicy,
		Location:    scan.Location{Path: r.path, Line: line, Column: col, EndLine: line, EndColumn: col},
		Secret:      secret,
		Fingerprint: fp,
		SecretHash:  r.key.SecretHash(secret),
		Hint:        c.Hint,
		Message:     msg,
	})
	r.objects = append(r.objects, r.object)
}

func (r *report) skip(reason string) { r.skips = append(r.skips, reason) }
