package policy

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// getAny returns the value under the first key present (ECS JSON uses
// camelCase, CloudFormation PascalCase).
func getAny(m *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if v := get(m, k); v != nil {
			return v
		}
	}
	return nil
}

// ecsContainers finds ECS container definitions under n: the
// containerDefinitions of a task definition (JSON, CloudFormation
// ContainerDefinitions).
func ecsContainers(n *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	walk(n, func(x *yaml.Node) bool {
		if x.Kind != yaml.MappingNode {
			return true
		}
		if cd := getAny(x, "containerDefinitions", "ContainerDefinitions"); cd != nil && cd.Kind == yaml.SequenceNode {
			out = append(out, items(cd)...)
			return false
		}
		return true
	})
	return out
}

// checkECS runs the environment checks on each ECS container definition:
// environment entries are literal values, secrets entries come from
// Secrets Manager or SSM.
func (r *runner) checkECS(rep *report, containers []*yaml.Node) {
	for _, c := range containers {
		if c.Kind != yaml.MappingNode {
			continue
		}
		name, _ := cfnString(getAny(c, "name", "Name"))
		s := &envSet{What: fmt.Sprintf("ECS container %s", name), Origin: originECS, Line: c.Line, Col: c.Column}
		for _, e := range items(getAny(c, "environment", "Environment")) {
			n, ok := cfnString(getAny(e, "name", "Name"))
			if !ok {
				continue
			}
			v, _ := cfnString(getAny(e, "value", "Value"))
			at := e
			if k := keyNode(e, "name"); k != nil {
				at = k
			} else if k := keyNode(e, "Name"); k != nil {
				at = k
			}
			s.Vars = append(s.Vars, envVar{Name: n, Value: v, Literal: !isReference(v), Line: at.Line, Col: at.Column})
		}
		for _, e := range items(getAny(c, "secrets", "Secrets")) {
			n, ok := cfnString(getAny(e, "name", "Name"))
			if !ok {
				continue
			}
			s.Vars = append(s.Vars, envVar{Name: n, FromSecret: true, Line: e.Line, Col: e.Column})
		}
		if getAny(c, "environmentFiles", "EnvironmentFiles") != nil {
			s.Open = true
		}
		r.checkEnvSet(rep, s)
	}
}
