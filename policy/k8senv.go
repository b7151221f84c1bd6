package policy

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// configMap is one ConfigMap of the tree: the variables envFrom would load
// from it, each at the line of its key in data.
type configMap struct {
	namespace string
	file      *envFile
	vars      []envVar
}

// configMaps indexes a tree's ConfigMaps by name.
type configMaps map[string][]configMap

// addDocs indexes the ConfigMaps among a file's documents.
func (cm configMaps) addDocs(p string, data []byte, docs []*yaml.Node) {
	file := &envFile{path: p, data: data}
	for _, d := range docs {
		for _, doc := range k8sDocs(d) {
			if k, _ := str(get(doc, "kind")); k != "ConfigMap" {
				continue
			}
			name, _ := str(dig(doc, "metadata", "name"))
			if name == "" {
				continue
			}
			ns, _ := str(dig(doc, "metadata", "namespace"))
			c := configMap{namespace: ns, file: file}
			pairs(get(doc, "data"), func(k, v *yaml.Node) {
				s, _ := str(v)
				c.vars = append(c.vars, envVar{Name: k.Value, Value: s, Literal: literalValue(s) && !strings.Contains(s, "{{"),
					Line: k.Line, Col: k.Column, From: file})
			})
			cm[name] = append(cm[name], c)
		}
	}
}

// lookup finds the ConfigMap a workload in file p and namespace ns loads:
// one in the same file, else the only one of that name in p's directory,
// else the only one in the tree. Copies of a manifest in several places
// (overlays, versioned install files) leave it unresolved.
func (cm configMaps) lookup(p, ns, name string) (configMap, bool) {
	var cands []configMap
	for _, c := range cm[name] {
		if ns == "" || c.namespace == "" || c.namespace == ns {
			cands = append(cands, c)
		}
	}
	for _, pick := range []func(c configMap) bool{
		func(c configMap) bool { return c.file.path == p },
		func(c configMap) bool { return path.Dir(c.file.path) == path.Dir(p) },
		func(configMap) bool { return true },
	} {
		var hit []configMap
		for _, c := range cands {
			if pick(c) {
				hit = append(hit, c)
			}
		}
		switch len(hit) {
		case 0:
			continue
		case 1:
			return hit[0], true
		}
		return configMap{}, false
	}
	return configMap{}, false
}

// pendingRef is a ConfigMap a container refers to that its own file does
// not hold: envFrom (key "") or configMapKeyRef of variable index.
type pendingRef struct {
	ns, name, prefix, key string
	index                 int
}

// deferredSet is a container's environment that waits for the whole tree's
// ConfigMaps (Run only): object is the Kubernetes object it belongs to.
type deferredSet struct {
	set    *envSet
	object string
}

// envFrom adds what one envFrom entry loads to a container's set: the
// variables of a ConfigMap in the same file (with its prefix), or, in a
// run over a tree, a reference resolved once every file is read. A Secret,
// or a ConfigMap nowhere to be found, leaves the set open.
func (r *runner) envFrom(rep *report, s *envSet, ef *yaml.Node, ns string) {
	name, ok := str(dig(ef, "configMapRef", "name"))
	if !ok {
		s.Open = true
		return
	}
	prefix, _ := str(get(ef, "prefix"))
	if c, ok := rep.configMaps.lookup(rep.path, ns, name); ok {
		for _, v := range c.vars {
			v.Name = prefix + v.Name
			s.Vars = append(s.Vars, v)
		}
		return
	}
	if !r.deferEnv || len(rep.configMaps[name]) > 0 {
		s.Open = true // not in the tree, or the file's own copies are ambiguous
		return
	}
	s.pending = append(s.pending, pendingRef{ns: ns, name: name, prefix: prefix})
}

// configMapKeyRef resolves env[].valueFrom.configMapKeyRef to the value a
// ConfigMap holds; the variable is set where the env entry is.
func (r *runner) configMapKeyRef(rep *report, s *envSet, ev *envVar, ref *yaml.Node, ns string) {
	name, _ := str(get(ref, "name"))
	key, _ := str(get(ref, "key"))
	if c, ok := rep.configMaps.lookup(rep.path, ns, name); ok {
		keyValue(ev, c, key)
		return
	}
	if r.deferEnv && len(rep.configMaps[name]) == 0 {
		s.pending = append(s.pending, pendingRef{ns: ns, name: name, key: key, index: len(s.Vars)})
	}
}

func keyValue(ev *envVar, c configMap, key string) {
	for _, v := range c.vars {
		if v.Name == key {
			ev.Value, ev.Literal = v.Value, v.Literal
		}
	}
}

// resolveEnv completes the environments that wait for ConfigMaps in other
// files and runs the env-set checks on them, once every file of the tree
// has been read (and its ConfigMaps indexed) in parallel.
func (r *runner) resolveEnv(reps []*report) {
	tree := configMaps{}
	for _, rep := range reps {
		for name, cs := range rep.configMaps {
			tree[name] = append(tree[name], cs...)
		}
	}
	for _, rep := range reps {
		for _, d := range rep.deferred {
			s := d.set
			for _, p := range s.pending {
				c, ok := tree.lookup(rep.path, p.ns, p.name)
				switch {
				case p.key != "" && ok:
					keyValue(&s.Vars[p.index], c, p.key)
				case p.key != "":
				case ok:
					for _, v := range c.vars {
						v.Name = p.prefix + v.Name
						s.Vars = append(s.Vars, v)
					}
				default:
					s.Open = true
				}
			}
			s.pending = nil
			rep.object = d.object
			r.checkEnvSet(rep, s)
			rep.object = ""
		}
	}
}
