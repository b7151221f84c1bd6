package policy

import (
	"fmt"
	"github.com/secretlint/secretlint/catalog"
	"strings"
	"time"

	"github.com/secretlint/secretlint/inventory"
	"github.com/secretlint/secretlint/scan"
)

// InventoryCheck describes one inventory policy check: its catalog entry.
// Its ID is the rule_id of the findings it reports and is part of the
// public interface.
type InventoryCheck = catalog.Entry

// InventoryChecks returns every inventory check, sorted by id. The checks
// are declared in package catalog.
func InventoryChecks() []InventoryCheck { return catalog.Checks(catalog.InventoryCheck) }

func invCheck(id string) InventoryCheck {
	c, ok := catalog.Check(id)
	if !ok || c.Kind != catalog.InventoryCheck {
		panic("policy: inventory check " + id + " is not in the catalog")
	}
	return c
}

// invFinding builds a policy finding. subject keeps the fingerprint stable
// across edits: the entry or reference it is about.
func (p *InventoryPolicy) invFinding(id, path string, line int, subject, msg string) (scan.Finding, bool) {
	if !p.enabled(id) {
		return scan.Finding{}, false
	}
	c := invCheck(id)
	sev := c.Severity
	if s, ok := p.severity[id]; ok {
		sev = s
	}
	return scan.Finding{
		RuleID:      id,
		Description: c.Description,
		Severity:    sev,
		Source:      scan.SourcePolicy,
		Location:    scan.Location{Path: path, Line: line, Column: 1, EndLine: line, EndColumn: 1},
		Fingerprint: scan.Fingerprint(id, path, subject),
		Hint:        c.Hint,
		Message:     msg,
	}, true
}

type invOut struct {
	p  *InventoryPolicy
	fs []scan.Finding
}

func (o *invOut) add(id, path string, line int, subject, format string, args ...any) {
	if f, ok := o.p.invFinding(id, path, line, subject, fmt.Sprintf(format, args...)); ok {
		o.fs = append(o.fs, f)
	}
}

const invDate = "2006-01-02"

// invDays counts whole days from a to b (both dates).
func invDays(a, b time.Time) int {
	return int(b.Sub(a).Hours() / 24)
}

// invToday returns the date of now in UTC, at midnight.
func invToday(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CheckInventory evaluates every entry against the policy as of now and
// returns the violations, one finding each, located at the entry's
// [[secret]] table.
func CheckInventory(inv *inventory.Inventory, p *InventoryPolicy, now time.Time) []scan.Finding {
	o := &invOut{p: p}
	today := invToday(now)
	for i := range inv.Entries {
		e := &inv.Entries[i]
		o.owner(inv.Path, e)
		o.rotation(inv.Path, e, today)
		o.scope(inv.Path, e)
		o.environments(inv, e)
		o.delivery(inv.Path, e)
		o.ttl(inv.Path, e)
		o.writers(inv.Path, e)
	}
	scan.SortFindings(o.fs)
	return o.fs
}

func (o *invOut) owner(path string, e *inventory.Entry) {
	if o.p.RequireOwner && (e.Owner == "" || strings.EqualFold(e.Owner, "TODO")) {
		o.add("inventory-missing-owner", path, e.Line, e.Name,
			"secret %q has no owner; nobody is on the hook to rotate or revoke it", e.Name)
	}
}

func (o *invOut) rotation(path string, e *inventory.Entry, today time.Time) {
	var missing []string
	if e.RotationDays == 0 {
		missing = append(missing, "rotation_days")
	}
	if e.LastRotated.IsZero() {
		missing = append(missing, "last_rotated")
	}
	if len(missing) > 0 && o.p.RequireRotation {
		o.add("inventory-missing-rotation", path, e.Line, e.Name,
			"secret %q has no %s, so nobody can tell when it is due", e.Name, strings.Join(missing, " or "))
	}
	if e.LastRotated.IsZero() {
		return
	}
	if e.LastRotated.After(today) {
		o.add("inventory-missing-rotation", path, e.Line, e.Name,
			"secret %q: last_rotated %s is in the future (today is %s)", e.Name, e.LastRotated.Format(invDate), today.Format(invDate))
		return
	}
	r := InventoryRotation(e, o.p, today)
	if r.Every == 0 {
		return
	}
	why := ""
	switch {
	case r.Capped && e.RotationDays > 0:
		why = fmt.Sprintf(" (rotation_days %d is above the policy maximum)", e.RotationDays)
	case r.Capped:
		why = " (the policy maximum; the entry sets no rotation_days)"
	}
	switch {
	case r.DaysLeft < 0:
		o.add("inventory-rotation-overdue", path, e.Line, e.Name,
			"secret %q was last rotated %s, %s ago; it is rotated every %d days%s, so it was due %s and is %s overdue",
			e.Name, e.LastRotated.Format(invDate), invDaysText(r.Age), r.Every, why, r.Due.Format(invDate), invDaysText(-r.DaysLeft))
	case r.DaysLeft <= o.p.WarnBeforeDays:
		o.add("inventory-rotation-due", path, e.Line, e.Name,
			"secret %q is due for rotation on %s, %s (last rotated %s, every %d days%s)",
			e.Name, r.Due.Format(invDate), invDueText(r.DaysLeft), e.LastRotated.Format(invDate), r.Every, why)
	}
}

func invDaysText(n int) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

func invDueText(left int) string {
	if left == 0 {
		return "today"
	}
	return "in " + invDaysText(left)
}

// Rotation is where an entry stands in its rotation cycle on a given day.
type Rotation struct {
	// Known is false when the entry has no last_rotated date or no interval
	// (its own or the policy's).
	Known bool
	// Age is the number of days since the last rotation.
	Age int
	// Every is the interval applied: the entry's rotation_days, capped at
	// the policy's max_rotation_days.
	Every int
	// Capped is true when the policy maximum replaced the entry's interval.
	Capped bool
	// Due is the date the next rotation is due; DaysLeft counts days to it,
	// negative when overdue.
	Due      time.Time
	DaysLeft int
}

// InventoryRotation computes an entry's rotation status as of now.
func InventoryRotation(e *inventory.Entry, p *InventoryPolicy, now time.Time) Rotation {
	if e.LastRotated.IsZero() {
		return Rotation{}
	}
	today := invToday(now)
	r := Rotation{Every: e.RotationDays, Age: invDays(e.LastRotated, today)}
	if max := p.MaxRotationDays; max > 0 && (r.Every == 0 || r.Every > max) {
		r.Every, r.Capped = max, true
	}
	if r.Every == 0 {
		return r
	}
	r.Known = true
	r.Due = e.LastRotated.AddDate(0, 0, r.Every)
	r.DaysLeft = invDays(today, r.Due)
	return r
}

func (o *invOut) scope(path string, e *inventory.Entry) {
	if !o.p.ForbidWildcardScopes {
		return
	}
	var wild []string
	for _, s := range e.Scope {
		if strings.ContainsAny(s, "*?") {
			wild = append(wild, s)
		}
	}
	if len(wild) > 0 {
		o.add("inventory-wildcard-scope", path, e.Line, e.Name,
			"secret %q grants wildcard scope %s", e.Name, invQuoteList(wild))
	}
}

func (o *invOut) environments(inv *inventory.Inventory, e *inventory.Entry) {
	if !o.p.ForbidSharedEnvironments {
		return
	}
	envs := invUniqueFold(e.Environments)
	if len(envs) > 1 {
		o.add("inventory-shared-across-envs", inv.Path, e.Line, e.Name,
			"secret %q serves %d environments (%s); one leak exposes all of them", e.Name, len(envs), strings.Join(envs, ", "))
		return
	}
	if e.Fingerprint == "" {
		return
	}
	// The same value inventoried twice, under different environments.
	for j := range inv.Entries {
		other := &inv.Entries[j]
		if other == e {
			break
		}
		if other.Fingerprint != e.Fingerprint {
			continue
		}
		all := invUniqueFold(append(append([]string(nil), other.Environments...), e.Environments...))
		if len(all) > 1 {
			o.add("inventory-shared-across-envs", inv.Path, e.Line, e.Name,
				"secret %q has the same value (fingerprint) as secret %q at line %d: one value serves %s",
				e.Name, other.Name, other.Line, strings.Join(all, ", "))
			return
		}
	}
}

func (o *invOut) delivery(path string, e *inventory.Entry) {
	if e.Delivery == "" {
		return
	}
	for _, env := range invUniqueFold(e.Environments) {
		allowed, listed := o.p.allowed(env)
		if listed && invContains(allowed, e.Delivery) {
			continue
		}
		if e.Delivery == "env" && o.p.isProduction(env) {
			o.add("inventory-env-delivery-in-prod", path, e.Line, e.Name,
				"secret %q is delivered as an environment variable in %s, where it leaks through /proc, crash dumps and debug output", e.Name, env)
			continue
		}
		if listed {
			o.add("inventory-delivery-not-allowed", path, e.Line, e.Name,
				"secret %q is delivered by %s in %s, which allows only %s", e.Name, e.Delivery, env, strings.Join(allowed, ", "))
		}
	}
}

func (o *invOut) ttl(path string, e *inventory.Entry) {
	if e.TTL > 0 && o.p.maxTTL > 0 && e.TTL > o.p.maxTTL {
		o.add("inventory-ttl-too-long", path, e.Line, e.Name,
			"secret %q has a ttl of %s, above the policy maximum of %s", e.Name, invDuration(e.TTL), invDuration(o.p.maxTTL))
	}
}

func (o *invOut) writers(path string, e *inventory.Entry) {
	var bad []string
	for _, c := range e.Consumers {
		if c.Access == inventory.AccessWrite && !o.p.isWriter(c.Name) {
			bad = append(bad, c.Name)
		}
	}
	if len(bad) > 0 {
		writers := "none"
		if len(o.p.Writers) > 0 {
			writers = strings.Join(o.p.Writers, ", ")
		}
		o.add("inventory-write-scope", path, e.Line, e.Name,
			"secret %q gives write access to %s, not a named writer (the policy's writers: %s)", e.Name, invQuoteList(bad), writers)
	}
}

// invDuration prints a duration in whole days or Go's form.
func invDuration(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	s := d.String() // 12h0m0s, 15m0s, 1h30m0s
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func invUniqueFold(list []string) []string {
	var out []string
	for _, s := range list {
		if !invContainsFold(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func invQuoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
