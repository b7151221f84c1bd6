package policy

import (
	"fmt"
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
	// Entries in a keyed store also answer to the name their location
	// gives, for the references that store's consumers make.
	byLocation := map[string][]int{}
	for i := range inv.Entries {
		if n := inv.Entries[i].LocationName(); n != "" {
			k := inventory.Normalize(n)
			byLocation[k] = append(byLocation[k], i)
		}
	}
	link := func(r Ref) (int, bool) {
		k := inventory.Normalize(r.Name)
		if i, ok := byName[k]; ok {
			return i, true
		}
		for _, i := range byLocation[k] {
			e := &inv.Entries[i]
			if !storeServes(e.Store, r.Kind) {
				continue
			}
			if ns := e.LocationNamespace(); ns != "" && r.Namespace != "" && ns != r.Namespace {
				continue
			}
			return i, true
		}
		return 0, false
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
		if i, ok := link(r); ok {
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
	type exceeded struct {
		entry *inventory.Entry
		g     Statement
		why   []string
	}
	var over []exceeded
	for i := range inv.Entries {
		e := &inv.Entries[i]
		if !e.IsARN() {
			continue
		}
		t := invTargetOf(e)
		for _, g := range grants {
			if !invAllows(g) {
				continue
			}
			acts := invRelevantActions(g, t.service)
			if len(acts) == 0 && len(g.NotActions) == 0 {
				continue
			}
			if invGrantIsExact(g, t, acts) {
				used[i] = true
			}
			if why := invExceeds(g, t, acts); len(why) > 0 {
				over = append(over, exceeded{e, g, why})
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
	for _, x := range over {
		stmt := "statement"
		if x.g.Sid != "" {
			stmt = fmt.Sprintf("statement %q", x.g.Sid)
		}
		o.add("inventory-scope-exceeded", x.g.Path, x.g.Line, x.entry.Name+"\x00"+x.g.Sid,
			"IAM %s grants access to secret %q (%s:%d, owner %s) beyond its inventory scope: %s",
			stmt, x.entry.Name, inv.Path, x.entry.Line, invOwner(x.entry), strings.Join(x.why, "; "))
	}
	scan.SortFindings(o.fs)
	return o.fs
}

// storeServes reports whether a reference of the kind is made by a
// consumer of the store: a workflow uses CI secrets, a Truss config its
// Truss secrets, a .env template env-file keys, a workload Kubernetes
// Secrets; a Vault secret may reach any of them.
func storeServes(store, kind string) bool {
	switch store {
	case "ci":
		return kind == RefWorkflowSecret
	case "truss":
		return kind == RefTruss
	case "env-file":
		return kind == RefEnvTemplate
	case "k8s":
		return kind == RefK8sSecretKey || kind == RefK8sEnvFrom || kind == RefK8sVolume
	case "vault":
		return true
	}
	return false
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

// invARNService returns the service field of an ARN (arn:aws:SERVICE:…).
func invARNService(arn string) string {
	_, rest, ok := strings.Cut(arn, ":")
	if !ok {
		return ""
	}
	_, rest, ok = strings.Cut(rest, ":")
	if !ok {
		return ""
	}
	svc, _, _ := strings.Cut(rest, ":")
	return svc
}

// invSecretBase strips the random "-XXXXXX" suffix Secrets Manager adds to
// a secret's ARN, giving the ARN of the name alone.
func invSecretBase(arn string) string {
	n := len(arn)
	if invARNService(arn) != "secretsmanager" || n < 7 || arn[n-7] != '-' {
		return arn
	}
	for _, c := range arn[n-6:] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return arn
		}
	}
	return arn[:n-7]
}

// invTarget is an ARN entry prepared for comparison with IAM statements.
type invTarget struct {
	e       *inventory.Entry
	loc     string // the ARN
	base    string // without the Secrets Manager suffix
	service string
}

func invTargetOf(e *inventory.Entry) invTarget {
	return invTarget{e: e, loc: e.Location, base: invSecretBase(e.Location), service: invARNService(e.Location)}
}

// exact reports whether an IAM resource names exactly the entry's ARN: the
// ARN itself, or for Secrets Manager the name alone or with the
// six-character suffix written as -??????.
func (t invTarget) exact(res string) bool {
	if res == t.loc {
		return true
	}
	return t.service == "secretsmanager" && (res == t.base || res == t.base+"-??????")
}

// invRelevantActions returns the statement's actions that apply to the
// entry's service.
func invRelevantActions(g Statement, service string) []string {
	var out []string
	for _, a := range g.Actions {
		if a == "*" || (len(a) > len(service) && a[len(service)] == ':' && strings.EqualFold(a[:len(service)], service)) {
			out = append(out, a)
		}
	}
	return out
}

func invGrantIsExact(g Statement, t invTarget, acts []string) bool {
	if len(g.NotActions) > 0 || len(g.NotResources) > 0 || len(acts) == 0 {
		return false
	}
	for _, r := range g.Resources {
		if t.exact(r) {
			return true
		}
	}
	return false
}

// invExceeds lists how an Allow statement grants more on the entry's ARN
// than the entry's scope; nil when it does not grant on the ARN or stays
// within. acts are the statement's actions for the ARN's service.
func invExceeds(g Statement, t invTarget, acts []string) []string {
	notAction := len(g.NotActions) > 0
	if notAction {
		acts = []string{"every " + t.service + " action except " + strings.Join(g.NotActions, ", ")}
	}
	if len(acts) == 0 {
		return nil
	}
	var why []string
	covers := false
	if len(g.NotResources) > 0 {
		covers = true
		why = append(why, "NotResource grants every resource but the ones it lists")
	} else {
		for _, r := range g.Resources {
			switch {
			case t.exact(r):
				covers = true
			case r == "*":
				covers = true
				why = append(why, `resource "*" covers every secret in the account`)
			case strings.ContainsAny(r, "*?") && (globMatch(r, t.loc) || globMatch(r, t.base)):
				covers = true
				why = append(why, fmt.Sprintf("resource %q is a broader ARN pattern than %q", r, t.loc))
			}
		}
	}
	if !covers {
		return nil
	}
	if scope := t.e.Scope; len(scope) > 0 {
		var extra []string
		for _, a := range acts {
			if notAction || !invActionInScope(a, scope) {
				extra = append(extra, a)
			}
		}
		if len(extra) > 0 {
			why = append(why, fmt.Sprintf("actions %s are outside the scope %s", invQuoteList(extra), invQuoteList(scope)))
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
	e := inv.ByFingerprint(f.SecretSHA256())
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
