package policy

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
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
// and the same problem in each copy is one thing to fix. Findings that hold
// a secret are never merged: each copy of a secret must be removed.
//
// Two passes. First, the releases of one file (install/v0.15.0/kserve.yaml,
// install/v0.16.0/kserve.yaml: the same path but for a version directory)
// that report the same check, object (kind, namespace, name) and subject are
// reported once, at the newest release, even when the words differ (a
// renamed role, another ServiceAccount): released files are not edited, the
// next release is. Then findings about the same object from the same check,
// with the same subject and message, are reported once, at the first path,
// with the other paths in the message.
//
// Between the two, a finding left in a superseded release (install/v0.9.0/
// when the tree holds install/v0.16.0/) is left out: it is about an object
// or a problem the newest release no longer has, in a file nobody edits.
// newest maps each release root to its newest version directory
// (newestReleases).
func mergeCopies(reps []*report, newest map[string]string) []scan.Finding {
	type item struct {
		f      scan.Finding
		obj    string
		copies []string // other files with the same finding
		older  []string // older releases of the file with this finding
	}
	var out []scan.Finding
	var items []*item
	for _, rep := range reps {
		for i, f := range rep.findings {
			if i >= len(rep.objects) || rep.objects[i] == "" || f.Secret != "" {
				out = append(out, f)
				continue
			}
			items = append(items, &item{f: f, obj: rep.objects[i]})
		}
	}
	// merge keeps the first item of each group by pathBefore, handing it the
	// others through add; items with an empty key stay as they are.
	merge := func(in []*item, key func(*item) string, add func(first, other *item)) []*item {
		var keys []string
		groups := map[string][]*item{}
		var kept []*item
		for _, it := range in {
			k := key(it)
			if k == "" {
				kept = append(kept, it)
				continue
			}
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], it)
		}
		for _, k := range keys {
			g := groups[k]
			sort.Slice(g, func(i, j int) bool { return pathBefore(g[i].f, g[j].f) })
			for _, it := range g[1:] {
				if it.f.Path == g[0].f.Path {
					kept = append(kept, it) // the same object twice in one file is not a copy
					continue
				}
				add(g[0], it)
			}
			kept = append(kept, g[0])
		}
		return kept
	}
	addPath := func(list []string, ps ...string) []string {
		for _, p := range ps {
			if !slices.Contains(list, p) {
				list = append(list, p)
			}
		}
		return list
	}
	items = merge(items, func(it *item) string {
		vp := versionless(it.f.Path)
		if vp == it.f.Path {
			return ""
		}
		return strings.Join([]string{it.f.RuleID, it.obj, subjectOf(it.f), vp}, "\x00")
	}, func(first, other *item) { first.older = addPath(first.older, other.f.Path) })
	current := items[:0]
	for _, it := range items {
		if !superseded(it.f.Path, newest) {
			current = append(current, it)
		}
	}
	items = current
	items = merge(items, func(it *item) string {
		return strings.Join([]string{it.f.RuleID, it.obj, it.f.Message, subjectOf(it.f)}, "\x00")
	}, func(first, other *item) {
		first.copies = addPath(first.copies, other.f.Path)
		first.older = addPath(first.older, other.older...)
	})
	for _, it := range items {
		f := it.f
		if len(it.copies) > 0 {
			sort.Strings(it.copies)
			f.Message += "; " + copiesNote("the same in %d other %s of this manifest", "copy", "copies", it.copies)
		}
		if len(it.older) > 0 {
			sort.Slice(it.older, func(i, j int) bool {
				return pathBefore(scan.Finding{Location: scan.Location{Path: it.older[i]}}, scan.Finding{Location: scan.Location{Path: it.older[j]}})
			})
			f.Message += "; " + copiesNote("also in %d older %s", "release", "releases", it.older)
		}
		out = append(out, f)
	}
	return out
}

// versionDir is a path element that names a release: v0.16.0, 0.2.1,
// v0.16.0-rc1.
var versionDir = regexp.MustCompile(`^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.]+))?$`)

// newestReleases maps every release root among the paths (the path up to
// a version directory, "install/") to its newest version directory there.
func newestReleases(paths []string) map[string]string {
	out := map[string]string{}
	for _, p := range paths {
		els := strings.Split(p, "/")
		for i, el := range els[:len(els)-1] {
			if !versionDir.MatchString(el) {
				continue
			}
			root := strings.Join(els[:i], "/")
			if cur, ok := out[root]; !ok || compareVersions(el, cur) > 0 {
				out[root] = el
			}
		}
	}
	return out
}

// superseded reports whether p lies in a release directory older than the
// newest one of its release root.
func superseded(p string, newest map[string]string) bool {
	els := strings.Split(p, "/")
	for i, el := range els[:len(els)-1] {
		if !versionDir.MatchString(el) {
			continue
		}
		if n, ok := newest[strings.Join(els[:i], "/")]; ok && compareVersions(el, n) < 0 {
			return true
		}
	}
	return false
}

// versionless returns p with its release directories replaced by "*".
func versionless(p string) string {
	els := strings.Split(p, "/")
	for i, el := range els[:len(els)-1] {
		if versionDir.MatchString(el) {
			els[i] = "*"
		}
	}
	return strings.Join(els, "/")
}

// pathBefore orders findings by path, the versions of one release file
// newest first, then by line.
func pathBefore(a, b scan.Finding) bool {
	va, vb := versionless(a.Path), versionless(b.Path)
	if va != vb {
		return a.Path < b.Path
	}
	if c := compareVersions(a.Path, b.Path); c != 0 {
		return c > 0
	}
	if a.Path != b.Path {
		return a.Path < b.Path
	}
	return a.Line < b.Line
}

// compareVersions compares the release directories of two paths that are
// the same but for them: numbers numerically, a release above its
// pre-releases (v0.16.0 > v0.16.0-rc1 > v0.16.0-rc0).
func compareVersions(a, b string) int {
	ea, eb := strings.Split(a, "/"), strings.Split(b, "/")
	for i := range ea {
		if i >= len(eb) || ea[i] == eb[i] {
			continue
		}
		ma, mb := versionDir.FindStringSubmatch(ea[i]), versionDir.FindStringSubmatch(eb[i])
		if ma == nil || mb == nil {
			return strings.Compare(ea[i], eb[i])
		}
		for j := 1; j <= 3; j++ {
			x, _ := strconv.Atoi(ma[j])
			y, _ := strconv.Atoi(mb[j])
			if x != y {
				if x < y {
					return -1
				}
				return 1
			}
		}
		switch {
		case ma[4] == mb[4]:
			continue
		case ma[4] == "":
			return 1
		case mb[4] == "":
			return -1
		}
		return strings.Compare(ma[4], mb[4])
	}
	return 0
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

// copiesNote says "<format with the count and noun>: a, b, c and N more".
func copiesNote(format, one, many string, others []string) string {
	named := others
	if len(named) > maxCopiesNamed {
		named = named[:maxCopiesNamed]
	}
	note := fmt.Sprintf(format, len(others), plural(len(others), one, many)) + ": " + strings.Join(named, ", ")
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
