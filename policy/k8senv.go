package policy

import (
	"bytes"
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

// indexConfigMap reads a manifest for the tree's ConfigMap index.
func (cm configMaps) indexFile(p string, data []byte) {
	if !bytes.Contains(data, []byte("ConfigMap")) {
		return
	}
	var docs []*yaml.Node
	if strings.HasSuffix(strings.ToLower(p), ".json") {
		n, err := parseJSON(data)
		if err != nil {
			return
		}
		docs = []*yaml.Node{n}
	} else {
		var err error
		if docs, err = parseYAML(data); err != nil {
			return // reported when the file itself is checked
		}
	}
	cm.addDocs(p, data, docs)
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

// configMapFor finds a ConfigMap for a container of the file being checked.
func (r *runner) configMapFor(rep *report, ns, name string) (configMap, bool) {
	if c, ok := rep.configMaps.lookup(rep.path, ns, name); ok {
		return c, true
	}
	if len(rep.configMaps[name]) > 0 {
		return configMap{}, false // the file's own copies are ambiguous
	}
	return r.configMaps.lookup(rep.path, ns, name)
}

// envFrom adds what one envFrom entry loads to a container's set: the
// variables of a ConfigMap the tree holds (with its prefix), or, for a
// Secret or a ConfigMap the tree lacks, an open set.
func (r *runner) envFrom(rep *report, s *envSet, ef *yaml.Node, ns string) {
	name, ok := str(dig(ef, "configMapRef", "name"))
	if !ok {
		s.Open = true
		return
	}
	c, ok := r.configMapFor(rep, ns, name)
	if !ok {
		s.Open = true
		return
	}
	prefix, _ := str(get(ef, "prefix"))
	for _, v := range c.vars {
		v.Name = prefix + v.Name
		s.Vars = append(s.Vars, v)
	}
}

// configMapKeyRef resolves env[].valueFrom.configMapKeyRef to the value a
// ConfigMap of the tree holds; the variable is set where the env entry is.
func (r *runner) configMapKeyRef(rep *report, ev *envVar, ref *yaml.Node, ns string) {
	name, _ := str(get(ref, "name"))
	key, _ := str(get(ref, "key"))
	c, ok := r.configMapFor(rep, ns, name)
	if !ok {
		return
	}
	for _, v := range c.vars {
		if v.Name == key {
			ev.Value, ev.Literal = v.Value, v.Literal
		}
	}
}
