package policy

import (
	"bytes"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

func (r *runner) checkYAML(rep *report, p string, data []byte) error {
	docs, err := parseYAML(data)
	if err != nil {
		if bytes.Contains(data, []byte("{{")) {
			rep.skip("unrendered template (render it, e.g. `helm template`, to check it)")
			return nil
		}
		return err
	}
	base := strings.ToLower(path.Base(p))
	if isTrussLocal(p) {
		rep.add("truss-local-config", 1, 1, "truss-local", "",
			"the local Truss config holds real secret values and must stay outside the repository (~/.truss/config.yaml)")
	}
	rep.quietSA = quietServiceAccounts(docs)
	rep.configMaps = configMaps{}
	rep.configMaps.addDocs(p, data, docs)
	gha := isWorkflow(p)
	gitlab := base == ".gitlab-ci.yml" || base == ".gitlab-ci.yaml" || strings.Contains(p, ".gitlab/ci/")
	for _, d := range docs {
		switch {
		case gha:
			r.checkWorkflow(rep, d)
			r.checkWorkflowEnv(rep, d)
		case gitlab:
			r.checkGitLab(rep, d)
			r.checkGitLabEnv(rep, d)
		case isHelmValues(p):
			r.checkHelmValues(rep, d)
		case base == "action.yml" || base == "action.yaml":
			r.checkAction(rep, d)
		}
		if (base == "config.yaml" || base == "config.yml") && !isTrussLocal(p) {
			r.checkTruss(rep, d)
		}
		r.checkK8s(rep, d, false)
		r.checkCompose(rep, d)
		r.checkECS(rep, ecsContainers(d))
		for _, st := range statementsIn(p, d) {
			r.checkIAM(rep, st)
		}
	}
	return nil
}

// jsonKeywords select the JSON files worth parsing: package manifests,
// lock files and editor settings hold none of them.
var jsonKeywords = [][]byte{[]byte(`"Statement"`), []byte(`"apiVersion"`), []byte(`"Resources"`), []byte(`"containerDefinitions"`)}

func (r *runner) checkJSON(rep *report, p string, data []byte) error {
	hit := false
	for _, k := range jsonKeywords {
		if bytes.Contains(data, k) {
			hit = true
			break
		}
	}
	if !hit {
		return nil
	}
	n, err := parseJSON(data)
	if err != nil {
		return err
	}
	rep.quietSA = quietServiceAccounts([]*yaml.Node{n})
	rep.configMaps = configMaps{}
	rep.configMaps.addDocs(p, data, []*yaml.Node{n})
	r.checkK8s(rep, n, true)
	r.checkECS(rep, ecsContainers(n))
	for _, st := range statementsIn(p, n) {
		r.checkIAM(rep, st)
	}
	return nil
}

func isTrussLocal(p string) bool {
	return strings.HasSuffix(p, ".truss/config.yaml") || strings.HasSuffix(p, ".truss/config.yml")
}

func isWorkflow(p string) bool {
	return strings.HasPrefix(p, ".github/workflows/") || strings.Contains(p, "/.github/workflows/")
}

// checkCompose treats each docker-compose service's environment as one
// environment set.
func (r *runner) checkCompose(rep *report, d *yaml.Node) {
	services := get(d, "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return
	}
	pairs(services, func(k, svc *yaml.Node) {
		env := get(svc, "environment")
		if env == nil && get(svc, "env_file") == nil {
			return
		}
		s := &envSet{What: "service " + k.Value, Origin: originCompose, Line: k.Line, Col: k.Column}
		s.Open = !r.composeEnvFiles(s, rep.path, get(svc, "env_file"))
		if env == nil {
			env = &yaml.Node{} // env_file alone
		}
		switch env.Kind {
		case yaml.MappingNode:
			pairs(env, func(ek, ev *yaml.Node) {
				v, _ := str(ev)
				s.Vars = append(s.Vars, envVar{Name: ek.Value, Value: v, Literal: !isReference(v), Line: ek.Line, Col: ek.Column})
			})
		case yaml.SequenceNode:
			for _, it := range items(env) {
				v, ok := str(it)
				if !ok {
					continue
				}
				name, val, has := strings.Cut(v, "=")
				ev := envVar{Name: name, Value: val, Literal: !isReference(val), Line: it.Line, Col: it.Column}
				if !has {
					ev.Literal = false // passed through from the host
				}
				s.Vars = append(s.Vars, ev)
			}
		}
		r.checkEnvSet(rep, s)
	})
}
