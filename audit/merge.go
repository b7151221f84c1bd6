package audit

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
)

// Run is what scanning one target gave.
type Run struct {
	Target Target
	// Report is the target's own report; nil when it was not scanned.
	Report  *report.Report
	Seconds float64
}

// ShardReport builds a shard's report from its targets' runs, in file
// order: their findings and errors, each target's contiguous, the shard
// object and the audit summary. incomplete marks a shard that was stopped
// before it scanned every target it owns.
func ShardReport(spec Spec, hash string, runs []Run, incomplete bool, took time.Duration) *report.Report {
	var parts []part
	for _, r := range runs {
		p := part{res: report.TargetResult{Target: r.Target.String(), Position: r.Target.Position, Owner: r.Target.OwnerName(), Shard: spec.Index, Seconds: r.Seconds}}
		if r.Report == nil {
			p.res.Skipped = true
		} else {
			p.rep = r.Report
			p.findings, p.errors = r.Report.Findings, nameTarget(r.Target, r.Report.Errors)
		}
		parts = append(parts, p)
	}
	rep := combine(parts, incomplete)
	rep.Shard = &report.Shard{Index: spec.Index, Count: spec.Count, TargetsHash: hash, Targets: rep.Audit.Targets, Incomplete: incomplete}
	rep.Stats.Seconds = took.Seconds()
	if len(runs) > 0 && runs[0].Report != nil {
		rep.ToolVersion = runs[0].Report.ToolVersion
	}
	return rep
}

// nameTarget makes each error of a target say which target it is, so that
// "ref HEAD: zlib: invalid header" in a merged report of thousands of
// repositories names its repository; errors whose input already holds the
// target's path or reference (a file in a directory target) stay as they
// are.
func nameTarget(t Target, errs []*scan.InputError) []*scan.InputError {
	out := make([]*scan.InputError, 0, len(errs))
	for _, e := range errs {
		if !strings.Contains(e.Input, Redact(t.Arg)) {
			e = &scan.InputError{Input: t.String() + ": " + e.Input, Err: e.Err}
		}
		out = append(out, e)
	}
	return out
}

// Problem is why shards do not merge: one is missing, duplicated, of
// another target list, or not a shard report.
var Problem = errors.New("shards do not make one audit")

// Merge combines the shard reports (names[i] is where shards[i] came
// from, for messages) into the report of the whole audit: every target's
// findings in target-file order, a finding met twice (the same
// fingerprint, commit, layer and place, as overlapping targets give) kept
// once, and the secrets met in several targets listed in the audit
// summary. The result equals the report of one unsharded run. An error
// wraps Problem and names each missing, duplicated or foreign shard.
func Merge(shards []*report.Report, names []string) (*report.Report, error) {
	if len(shards) == 0 {
		return nil, fmt.Errorf("%w: no shard reports", Problem)
	}
	var probs []string
	var first *report.Shard
	firstName := ""
	seen := map[int]string{}
	var parts []part
	incomplete := false
	for i, r := range shards {
		s := r.Shard
		if s == nil {
			probs = append(probs, names[i]+": not a shard report (no \"shard\" object; audit writes them)")
			continue
		}
		if first == nil {
			first, firstName = s, names[i]
		}
		switch {
		case s.TargetsHash != first.TargetsHash:
			probs = append(probs, fmt.Sprintf("%s: made from a different target list than %s (targets_hash %.12s, not %.12s)", names[i], firstName, s.TargetsHash, first.TargetsHash))
			continue
		case s.Count != first.Count:
			probs = append(probs, fmt.Sprintf("%s: shard %d of %d, but %s is of %d", names[i], s.Index, s.Count, firstName, first.Count))
			continue
		case seen[s.Index] != "":
			probs = append(probs, fmt.Sprintf("%s: shard %d/%d again (also in %s)", names[i], s.Index, s.Count, seen[s.Index]))
			continue
		}
		seen[s.Index] = names[i]
		ps, err := split(r)
		if err != nil {
			probs = append(probs, names[i]+": "+err.Error())
			continue
		}
		parts = append(parts, ps...)
		incomplete = incomplete || s.Incomplete
	}
	if first != nil {
		var missing []string
		for i := 0; i < first.Count; i++ {
			if seen[i] == "" {
				missing = append(missing, strconv.Itoa(i))
			}
		}
		if len(missing) > 0 {
			probs = append(probs, fmt.Sprintf("missing shard %s of %d (indexes from 0)", strings.Join(missing, ", "), first.Count))
		}
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("%w: %s", Problem, strings.Join(probs, "; "))
	}
	slices.SortStableFunc(parts, func(a, b part) int { return cmp.Compare(a.res.Position, b.res.Position) })
	rep := combine(parts, incomplete)
	rep.ToolVersion = shards[0].ToolVersion
	for _, r := range shards {
		rep.Stats.Seconds += r.Stats.Seconds
	}
	if incomplete {
		rep.Errors = append(rep.Errors, &scan.InputError{Input: "merge", Err: errors.New("a shard was stopped before it scanned all its targets; this report is incomplete")})
		rep.Stats.Errors = len(rep.Errors)
	}
	return rep, nil
}

// part is one target's share of a report.
type part struct {
	res      report.TargetResult
	rep      *report.Report // the target's own report (ShardReport) or the shard's (Merge)
	findings []scan.Finding
	errors   []*scan.InputError
}

// split cuts a shard report into its targets' parts by their counts.
func split(r *report.Report) ([]part, error) {
	var out []part
	fi, ei := 0, 0
	for _, t := range r.Shard.Targets {
		if fi+t.Findings > len(r.Findings) || ei+t.Errors > len(r.Errors) {
			return nil, fmt.Errorf("its targets count more findings or errors than it holds")
		}
		out = append(out, part{res: t, rep: r, findings: r.Findings[fi : fi+t.Findings], errors: r.Errors[ei : ei+t.Errors]})
		fi += t.Findings
		ei += t.Errors
	}
	if fi != len(r.Findings) || ei != len(r.Errors) {
		return nil, fmt.Errorf("it holds findings or errors none of its targets counts")
	}
	return out, nil
}

// combine joins parts in their order: findings and errors met before are
// dropped, the counts of inputs, bytes and suppressed findings added,
// stale baseline entries kept only when stale for every scanned target.
func combine(parts []part, incomplete bool) *report.Report {
	rep := &report.Report{Audit: &report.Audit{Targets: []report.TargetResult{}, Secrets: []report.SharedSecret{}, Incomplete: incomplete}}
	seenF, seenE := map[string]bool{}, map[string]bool{}
	type group struct {
		rule      string
		targets   map[int]bool
		locations int
	}
	groups := map[string]*group{}
	owners := map[string]*report.OwnerSummary{}
	ownerSecrets := map[string]map[string]bool{}
	var stale map[string]bool
	seenRep := map[*report.Report]bool{}
	for _, p := range parts {
		res := p.res
		res.Findings, res.Errors = 0, 0
		o := owners[res.Owner]
		if o == nil {
			o = &report.OwnerSummary{Owner: res.Owner}
			owners[res.Owner], ownerSecrets[res.Owner] = o, map[string]bool{}
		}
		for _, f := range p.findings {
			k := findingKey(f)
			if seenF[k] {
				continue
			}
			seenF[k] = true
			rep.Findings = append(rep.Findings, f)
			res.Findings++
			secret := f.SecretHash
			if secret == "" {
				secret = f.Fingerprint
			}
			ownerSecrets[res.Owner][secret] = true
			if f.SecretHash != "" {
				g := groups[f.SecretHash]
				if g == nil {
					g = &group{rule: f.RuleID, targets: map[int]bool{}}
					groups[f.SecretHash] = g
				}
				g.targets[res.Position] = true
				g.locations++
			}
		}
		for _, e := range p.errors {
			k := e.Input + "\x00" + e.Error()
			if seenE[k] {
				continue
			}
			seenE[k] = true
			rep.Errors = append(rep.Errors, e)
			res.Errors++
		}
		rep.Audit.Targets = append(rep.Audit.Targets, res)
		o.Targets++
		o.Findings += res.Findings
		o.Errors += res.Errors
		o.Seconds += res.Seconds
		if res.Skipped {
			o.Skipped++
		}
		// A shard's report is shared by its parts: count it once.
		if p.rep == nil || seenRep[p.rep] {
			continue
		}
		seenRep[p.rep] = true
		rep.Skips = append(rep.Skips, p.rep.Skips...)
		rep.Secrets = append(rep.Secrets, p.rep.Secrets...)
		rep.Stats.Inputs += p.rep.Stats.Inputs
		rep.Stats.Bytes += p.rep.Stats.Bytes
		rep.Stats.Suppressed += p.rep.Stats.Suppressed
		if rep.Rules == nil {
			rep.Rules = p.rep.Rules
		}
		st := map[string]bool{}
		for _, s := range p.rep.Stale {
			if stale == nil || stale[s] {
				st[s] = true
			}
		}
		stale = st
	}
	if len(owners) > 1 || owners[""] == nil {
		for name, o := range owners {
			o.Secrets = len(ownerSecrets[name])
			rep.Audit.Owners = append(rep.Audit.Owners, *o)
		}
		slices.SortFunc(rep.Audit.Owners, func(a, b report.OwnerSummary) int {
			if (a.Owner == "") != (b.Owner == "") {
				return cmp.Compare(b.Owner, a.Owner) // the targets without an owner last
			}
			return cmp.Compare(a.Owner, b.Owner)
		})
	}
	for s := range stale {
		rep.Stale = append(rep.Stale, s)
	}
	slices.Sort(rep.Stale)
	for h, g := range groups {
		if len(g.targets) > 1 {
			rep.Audit.Secrets = append(rep.Audit.Secrets, report.SharedSecret{SecretHash: h, RuleID: g.rule, Targets: len(g.targets), Locations: g.locations})
		}
	}
	slices.SortFunc(rep.Audit.Secrets, func(a, b report.SharedSecret) int {
		if c := cmp.Compare(b.Targets, a.Targets); c != 0 {
			return c
		}
		return cmp.Compare(a.SecretHash, b.SecretHash)
	})
	rep.Stats.Findings, rep.Stats.Errors, rep.Stats.Skipped = len(rep.Findings), len(rep.Errors), len(rep.Skips)
	return rep
}

// findingKey is what makes two findings the same one: the fingerprint
// (rule, path, secret), where in history or the image, and where in the
// file.
func findingKey(f scan.Finding) string {
	return strings.Join([]string{f.Fingerprint, f.Commit, f.Image, f.Layer, strconv.Itoa(f.Line), strconv.Itoa(f.Column)}, "\x00")
}
