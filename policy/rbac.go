package policy

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/secretlint/secretlint/scan"
)

// A mounted service-account token is a credential for the Kubernetes API.
// It matters for secret hygiene when the account may read Secrets: then
// anything that runs in the pod (a dependency, an injected shell) can read
// every Secret the account can. rbacFacts gathers what a tree's manifests
// say about that: the Roles and ClusterRoles that can read Secrets and the
// bindings that grant roles to ServiceAccounts.
type rbacFacts struct {
	readers  map[string]string // "Role/ns/name" or "ClusterRole//name" -> the verbs it has on secrets
	bindings []rbacBinding
	quiet    []saName // ServiceAccounts with automountServiceAccountToken: false
}

type rbacBinding struct {
	what    string // "RoleBinding ns/name"
	roleKey string // key into readers
	role    string // "ClusterRole name"
	subject saName
	dir     string // directory of the file that holds the binding
}

// saName is a ServiceAccount; an empty namespace matches any namespace
// (manifests applied with `kubectl -n`, kustomize or Helm set it later).
type saName struct{ ns, name string }

func (a saName) matches(b saName) bool {
	return a.name == b.name && (a.ns == "" || b.ns == "" || a.ns == b.ns)
}

// grants reports whether a binding applies to a workload's account. A
// named account is the project's identity wherever its binding sits; the
// default account exists in every namespace, so a binding of it counts only
// beside the workload (same directory) and in the same namespace, or an
// install file of one release would be taken to grant every sample pod.
func (b rbacBinding) grants(sa saName, dir string) bool {
	if sa.name != "default" {
		return b.subject.matches(sa)
	}
	return b.subject.name == sa.name && b.dir == dir && (b.subject.ns == sa.ns || sa.ns == "")
}

// secretVerbs are the verbs that let a token read Secret values.
var secretVerbs = []string{"get", "list", "watch", "*"}

// collect adds the RBAC objects of one parsed document, from the file at
// p, to f.
func (f *rbacFacts) collect(doc *yaml.Node, p string) {
	for _, d := range k8sDocs(doc) {
		kind, _ := str(get(d, "kind"))
		name, _ := str(dig(d, "metadata", "name"))
		ns, _ := str(dig(d, "metadata", "namespace"))
		switch kind {
		case "ServiceAccount":
			if v, _ := str(get(d, "automountServiceAccountToken")); v == "false" {
				f.quiet = append(f.quiet, saName{ns: ns, name: name})
			}
		case "Role", "ClusterRole":
			if kind == "ClusterRole" {
				ns = ""
			}
			if verbs := secretReadVerbs(get(d, "rules")); verbs != "" {
				if f.readers == nil {
					f.readers = map[string]string{}
				}
				f.readers[kind+"/"+ns+"/"+name] = verbs
			}
		case "RoleBinding", "ClusterRoleBinding":
			rk, _ := str(dig(d, "roleRef", "kind"))
			rn, _ := str(dig(d, "roleRef", "name"))
			rns := ns
			if rk == "ClusterRole" {
				rns = ""
			}
			for _, s := range items(get(d, "subjects")) {
				if k, _ := str(get(s, "kind")); k != "ServiceAccount" {
					continue
				}
				sn, _ := str(get(s, "name"))
				sns, ok := str(get(s, "namespace"))
				if !ok && kind == "RoleBinding" {
					sns = ns
				}
				what := kind + " " + name
				if ns != "" && kind == "RoleBinding" {
					what = kind + " " + ns + "/" + name
				}
				f.bindings = append(f.bindings, rbacBinding{
					what: what, roleKey: rk + "/" + rns + "/" + rn, role: rk + " " + rn,
					// A RoleBinding grants only within its own namespace.
					subject: saName{ns: sns, name: sn},
					dir:     path.Dir(p),
				})
			}
		}
	}
}

// secretReadVerbs returns the verbs on Secrets the rules grant ("get, list"),
// or "" when they grant none that reads a value.
func secretReadVerbs(rs *yaml.Node) string {
	seen := map[string]bool{}
	for _, r := range items(rs) {
		groups := strs(get(r, "apiGroups"))
		if len(groups) == 0 {
			groups = []string{""}
		}
		if !hasAny(groups, "", "*") || !hasAny(strs(get(r, "resources")), "secrets", "*") {
			continue
		}
		if len(strs(get(r, "resourceNames"))) > 0 {
			continue // named Secrets only: the role reads what it was meant to
		}
		for _, v := range strs(get(r, "verbs")) {
			if hasAny(secretVerbs, v) {
				seen[v] = true
			}
		}
	}
	var out []string
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func hasAny(list []string, want ...string) bool {
	for _, s := range list {
		for _, w := range want {
			if s == w {
				return true
			}
		}
	}
	return false
}

func (f *rbacFacts) merge(o *rbacFacts) {
	if o == nil {
		return
	}
	for k, v := range o.readers {
		if f.readers == nil {
			f.readers = map[string]string{}
		}
		f.readers[k] = v
	}
	f.bindings = append(f.bindings, o.bindings...)
	f.quiet = append(f.quiet, o.quiet...)
}

// secretAccess says how the ServiceAccount can read Secrets ("ClusterRoleBinding
// b grants it ClusterRole r (get, list secrets)"), or "" when nothing in the
// tree lets it. Bindings are sorted first so the answer is stable.
func (f *rbacFacts) secretAccess(sa saName, dir string) string {
	for _, q := range f.quiet {
		if q.matches(sa) {
			return "" // the account mounts no token unless a pod asks
		}
	}
	var out []string
	for _, b := range f.bindings {
		verbs, ok := f.readers[b.roleKey]
		if !ok || !b.grants(sa, dir) {
			continue
		}
		out = append(out, fmt.Sprintf("%s grants it %s, which can %s secrets", b.what, b.role, verbs))
	}
	if len(out) == 0 {
		return ""
	}
	sort.Strings(out)
	return out[0]
}

// pendingToken is a pod spec that mounts the default token without asking
// for it: reported only when the tree binds its account to a role that
// reads Secrets, which is known once every file has been read.
type pendingToken struct {
	finding int // index into the report's findings
	sa      saName
	obj     string
}

// mergeCopies returns the reports' findings with the copies of one
// manifest merged: a project often holds the same object several times
// (an install file per release, a generated bundle beside its sources),
// and the same problem in each copy is one thing to fix. Findings about the
// same Kubernetes object (kind, namespace, name) from the same check, with
// the same subject and message, are reported once, at the first path in
// lexical order, with the other paths in its message. Findings that hold a
// secret are never merged: each copy of a secret must be removed.
func mergeCopies(reps []*report) []scan.Finding {
	groups := map[string][]scan.Finding{}
	var out []scan.Finding
	var keys []string
	for _, rep := range reps {
		for i, f := range rep.findings {
			if i >= len(rep.objects) || rep.objects[i] == "" || f.Secret != "" {
				out = append(out, f)
				continue
			}
			k := strings.Join([]string{f.RuleID, rep.objects[i], f.Message, subjectOf(f)}, "\x00")
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], f)
		}
	}
	for _, k := range keys {
		g := groups[k]
		sort.Slice(g, func(i, j int) bool {
			if g[i].Path != g[j].Path {
				return g[i].Path < g[j].Path
			}
			return g[i].Line < g[j].Line
		})
		first := g[0]
		var others []string
		for _, f := range g[1:] {
			if f.Path == first.Path {
				out = append(out, f) // the same object twice in one file is not a copy
				continue
			}
			if len(others) == 0 || others[len(others)-1] != f.Path {
				others = append(others, f.Path)
			}
		}
		if len(others) > 0 {
			first.Message += "; " + copiesNote(others)
		}
		out = append(out, first)
	}
	return out
}

// subjectOf returns the part of a finding's fingerprint that hashes its
// subject (what is wrong), which does not depend on the path or line.
func subjectOf(f scan.Finding) string {
	i := strings.LastIndexByte(f.Fingerprint, ':')
	if i < 0 {
		return f.Fingerprint
	}
	return f.Fingerprint[i+1:]
}

// maxCopiesNamed bounds the paths a merged finding's message lists.
const maxCopiesNamed = 3

func copiesNote(others []string) string {
	named := others
	if len(named) > maxCopiesNamed {
		named = named[:maxCopiesNamed]
	}
	note := fmt.Sprintf("the same in %d other %s of this manifest: %s", len(others), plural(len(others), "copy", "copies"), strings.Join(named, ", "))
	if n := len(others) - len(named); n > 0 {
		note += fmt.Sprintf(" and %d more", n)
	}
	return note
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
