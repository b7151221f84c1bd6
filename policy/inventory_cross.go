package policy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/secretlint/secretlint/inventory"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// CrossCheckInventory compares the inventory with what the project uses:
// names it references but the inventory lacks (inventory-missing-entry),
// entries nothing references (inventory-unused), and IAM statements that
// grant an ARN entry's consumers more than its scope
// (inventory-scope-exceeded).
func CrossCheckInventory(inv *inventory.Inventory, p *InventoryPolicy, refs []Ref, grants []Statement) []scan.Finding {
	o := &invOut{p: p}
	byName := map[string]int{}
	for i := range inv.Entries {
		for _, n := range inv.Entries[i].Names() {
			byName[inventory.Normalize(n)] = i
		}
	}
	refs = append([]Ref(nil), refs...)
	sort.SliceStable(refs, func(i, j int) bool {
		if refs[i].Path != refs[j].Path {
			return refs[i].Path < refs[j].Path
		}
		return refs[i].Line < refs[j].Line
	})
	used := make([]bool, len(inv.Entries))
	missing := map[string][]Ref{}
	var order []string
	for _, r := range refs {
		k := inventory.Normalize(r.Name)
		if i, ok := byName[k]; ok {
			used[i] = true
			continue
		}
		if _, seen := missing[k]; !seen {
			order = append(order, k)
		}
		missing[k] = append(missing[k], r)
	}
	for _, k := range order {
		rs := missing[k]
		first := rs[0]
		more := ""
		if len(rs) > 1 {
			more = fmt.Sprintf(" (and %d more place%s)", len(rs)-1, invPlural(len(rs)-1))
		}
		o.add("inventory-missing-entry", first.Path, first.Line, k,
			"%s %q is used here%s but %s has no [[secret]] entry or alias for it", invRefKind(first.Kind), first.Name, more, inv.Path)
	}
	for i := range inv.Entries {
		e := &inv.Entries[i]
		if !e.IsARN() {
			continue
		}
		for _, g := range grants {
			if invGrantIsExact(g, e) {
				used[i] = true
			}
		}
	}
	for i := range inv.Entries {
		if !used[i] {
			e := &inv.Entries[i]
			o.add("inventory-unused", inv.Path, e.Line, e.Name,
				"secret %q is not referenced by any Truss config, .env template, Kubernetes manifest, CI workflow or IAM policy in the project", e.Name)
		}
	}
	for i := range inv.Entries {
		e := &inv.Entries[i]
		if !e.IsARN() {
			continue
		}
		for _, g := range grants {
			if why := invExceeds(g, e); len(why) > 0 {
				stmt := "statement"
				if g.Sid != "" {
					stmt = fmt.Sprintf("statement %q", g.Sid)
				}
				o.add("inventory-scope-exceeded", g.Path, g.Line, e.Name+"\x00"+g.Sid,
					"IAM %s grants access to secret %q (%s:%d, owner %s) beyond its inventory scope: %s",
					stmt, e.Name, inv.Path, e.Line, invOwner(e), strings.Join(why, "; "))
			}
		}
	}
	scan.SortFindings(o.fs)
	return o.fs
}

func invOwner(e *inventory.Entry) string {
	if e.Owner == "" {
		return "unknown"
	}
	return e.Owner
}

func invPlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func invRefKind(kind string) string {
	switch kind {
	case RefTruss:
		return "Truss secret"
	case RefEnvTemplate:
		return ".env template key"
	case RefK8sSecretKey, RefK8sEnvFrom, RefK8sVolume:
		return "Kubernetes Secret"
	case RefWorkflowSecret:
		return "CI secret"
	}
	return "secret"
}

// RefDelivery returns how a reference delivers its secret, when its kind
// shows it: env, file or ci-masked; "" when it does not.
func RefDelivery(kind string) string {
	switch kind {
	case RefK8sSecretKey, RefK8sEnvFrom, RefEnvTemplate:
		return "env"
	case RefK8sVolume:
		return "file"
	case RefWorkflowSecret:
		return "ci-masked"
	}
	return ""
}

// arnService returns the service field of an ARN (arn:aws:SERVICE:…).
func invARNService(arn string) string {
	parts := strings.SplitN(arn, ":", 4)
	if len(parts) < 3 {
		return ""
	}
	return parts[2]
}

var invSecretSuffix = regexp.MustCompile(`-[A-Za-z0-9]{6}$`)

// invSecretBase strips the random suffix Secrets Manager adds to a secret's
// ARN, giving the ARN of the name alone.
func invSecretBase(arn string) string {
	if invARNService(arn) == "secretsmanager" {
		return invSecretSuffix.ReplaceAllString(arn, "")
	}
	return arn
}

// invExactResource reports whether an IAM resource names exactly the
// entry's ARN: the ARN itself, or for Secrets Manager the name with the
// six-character suffix written as -??????.
func invExactResource(res, loc string) bool {
	if res == loc {
		return true
	}
	base := invSecretBase(loc)
	return invARNService(loc) == "secretsmanager" && (res == base || res == base+"-??????")
}

// invRelevantActions returns the statement's actions that apply to the
// entry's service.
func invRelevantActions(g Statement, service string) []string {
	var out []string
	for _, a := range g.Actions {
		if a == "*" || strings.HasPrefix(strings.ToLower(a), strings.ToLower(service)+":") {
			out = append(out, a)
		}
	}
	return out
}

func invGrantIsExact(g Statement, e *inventory.Entry) bool {
	if !invAllows(g) || len(g.NotActions) > 0 || len(g.NotResources) > 0 || len(invRelevantActions(g, invARNService(e.Location))) == 0 {
		return false
	}
	for _, r := range g.Resources {
		if invExactResource(r, e.Location) {
			return true
		}
	}
	return false
}

// invExceeds lists how a statement grants more on the entry's ARN than the
// entry's scope; nil when it does not grant on the ARN or stays within.
func invExceeds(g Statement, e *inventory.Entry) []string {
	if !invAllows(g) {
		return nil
	}
	service := invARNService(e.Location)
	acts := invRelevantActions(g, service)
	notAction := len(g.NotActions) > 0
	if notAction {
		acts = []string{"every " + service + " action except " + strings.Join(g.NotActions, ", ")}
	}
	if len(acts) == 0 {
		return nil
	}
	var why []string
	covers := false
	switch {
	case len(g.NotResources) > 0:
		covers = true
		why = append(why, "NotResource grants every resource but the ones it lists")
	default:
		for _, r := range g.Resources {
			switch {
			case invExactResource(r, e.Location):
				covers = true
			case r == "*":
				covers = true
				why = append(why, `resource "*" covers every secret in the account`)
			case globMatch(r, e.Location) || globMatch(r, invSecretBase(e.Location)):
				covers = true
				why = append(why, fmt.Sprintf("resource %q is a broader ARN pattern than %q", r, e.Location))
			}
		}
	}
	if !covers {
		return nil
	}
	if len(e.Scope) > 0 {
		var extra []string
		for _, a := range acts {
			if notAction || !invActionInScope(a, e.Scope) {
				extra = append(extra, a)
			}
		}
		if len(extra) > 0 {
			why = append(why, fmt.Sprintf("actions %s are outside the scope %s", invQuoteList(extra), invQuoteList(e.Scope)))
		}
	}
	return why
}

// invActionInScope reports whether the scope covers an action. A granted
// wildcard is covered only by a scope pattern at least as wide.
func invActionInScope(action string, scope []string) bool {
	for _, s := range scope {
		if actionMatches(s, action) {
			return true
		}
	}
	return false
}

// invAllows reports whether a statement allows (rather than denies).
func invAllows(g Statement) bool { return strings.EqualFold(g.Effect, "Allow") }

// TagInventoryFinding ties a leaked secret to its inventory entry: when the
// finding's value has the fingerprint of an entry, the finding names the
// entry, its owner and store, and is raised to critical. It reports whether
// the finding matched.
func TagInventoryFinding(inv *inventory.Inventory, f *scan.Finding) bool {
	if f.Secret == "" || inv == nil {
		return false
	}
	e := inv.ByFingerprint(f.SecretHash())
	if e == nil {
		return false
	}
	f.Inventory = &scan.InventoryRef{Name: e.Name, Owner: e.Owner, Store: e.Store}
	f.Severity = rules.Critical
	where := "in " + f.Path
	switch {
	case f.Commit != "":
		c := f.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		where = fmt.Sprintf("in git history (commit %s, %s)", c, f.Path)
		if f.InHead != nil && !*f.InHead {
			where += " though no longer in HEAD"
		}
	case f.Image != "":
		where = fmt.Sprintf("in image %s (%s)", f.Image, f.Path)
	}
	env := ""
	if len(e.Environments) > 0 {
		env = strings.Join(e.Environments, "/") + " "
	}
	msg := fmt.Sprintf("the %ssecret %q owned by %s (store %s) is %s; rotate it now", env, e.Name, invOwner(e), invOr(e.Store, "unknown"), where)
	if f.Message != "" {
		msg = f.Message + "; " + msg
	}
	f.Message = msg
	return true
}

func invOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
