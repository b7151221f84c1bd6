package report

import (
	"fmt"
	"io"
)

// Shard says which part of an audit a report covers: the shard's index
// and count, a hash of the whole target list (so that merge can tell
// shards of different lists apart) and, for each target the shard owns,
// what scanning it gave. The report's findings and errors are in the order
// of Targets, each target's contiguous, so that merge can tell whose they
// are.
type Shard struct {
	Index       int            `json:"index"`
	Count       int            `json:"count"`
	TargetsHash string         `json:"targets_hash"`
	Targets     []TargetResult `json:"targets"`
	// Incomplete says the shard was stopped (SIGTERM, Ctrl-C) before it
	// scanned every target it owns.
	Incomplete bool `json:"incomplete,omitempty"`
}

// TargetResult is one audit target's share of a report.
type TargetResult struct {
	// Target is the target's line in the targets file, normalised.
	Target string `json:"target"`
	// Position is the target's 0-based place in the target list; merged
	// reports keep that order whatever the sharding.
	Position int `json:"position"`
	// Owner is who answers for the target: the targets file's owner=NAME,
	// or a git URL's host and organisation; empty when neither says.
	Owner    string  `json:"owner,omitempty"`
	Shard    int     `json:"shard"`
	Findings int     `json:"findings"`
	Errors   int     `json:"errors"`
	Seconds  float64 `json:"seconds"`
	// Skipped says the target was not scanned (the shard was stopped).
	Skipped bool `json:"skipped,omitempty"`
}

// Audit summarises an audit across its targets: each target's findings
// and the secrets found in more than one target.
type Audit struct {
	Targets []TargetResult `json:"targets"`
	// Secrets lists each secret (by secret_hash) met in several targets.
	Secrets []SharedSecret `json:"shared_secrets"`
	// Owners sums the targets by owner, in owner order, the targets
	// without one last; absent when no target has an owner.
	Owners []OwnerSummary `json:"owners,omitempty"`
	// Incomplete says a shard was stopped early, so some targets are
	// missing from the report.
	Incomplete bool `json:"incomplete,omitempty"`
}

// SharedSecret is one secret found in several targets.
type SharedSecret struct {
	SecretHash string `json:"secret_hash"`
	RuleID     string `json:"rule_id"`
	// Targets counts the targets, Locations the findings.
	Targets   int `json:"targets"`
	Locations int `json:"locations"`
}

// OwnerSummary is what an audit found in one owner's targets.
type OwnerSummary struct {
	// Owner is empty for the targets that name none.
	Owner    string `json:"owner"`
	Targets  int    `json:"targets"`
	Findings int    `json:"findings"`
	// Secrets counts distinct secrets: findings with one secret_hash (or,
	// without a fingerprint key, one fingerprint) count once.
	Secrets int `json:"secrets"`
	Errors  int `json:"errors"`
	// Skipped counts the targets a stopped shard did not scan.
	Skipped int     `json:"skipped,omitempty"`
	Seconds float64 `json:"seconds"`
}

// WriteAuditSummary writes the audit's per-target and shared-secret
// summary as text; the text report ends with it, before its summary line.
func WriteAuditSummary(w io.Writer, a *Audit) {
	if a == nil {
		return
	}
	fmt.Fprintf(w, "Audit: %d targets\n", len(a.Targets))
	for _, t := range a.Targets {
		state := fmt.Sprintf("%d findings, %d errors, %.2fs", t.Findings, t.Errors, t.Seconds)
		if t.Skipped {
			state = "not scanned (shard stopped early)"
		}
		fmt.Fprintf(w, "  %s: %s\n", Printable(t.Target), state)
	}
	for _, s := range a.Secrets {
		fmt.Fprintf(w, "  one secret (%s, secret_hash %.12s…), %d targets, %d locations\n", s.RuleID, s.SecretHash, s.Targets, s.Locations)
	}
	if a.Incomplete {
		fmt.Fprintln(w, "  incomplete: a shard was stopped before it scanned all its targets")
	}
	if len(a.Owners) > 0 {
		fmt.Fprintf(w, "Owners: %d\n", len(a.Owners))
		for _, o := range a.Owners {
			name := o.Owner
			if name == "" {
				name = "(no owner)"
			}
			skipped := ""
			if o.Skipped > 0 {
				skipped = fmt.Sprintf(", %d not scanned", o.Skipped)
			}
			fmt.Fprintf(w, "  %s: %d targets, %d findings, %d secrets, %d errors%s, %.2fs\n", Printable(name), o.Targets, o.Findings, o.Secrets, o.Errors, skipped, o.Seconds)
		}
	}
}
