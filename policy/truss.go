package policy

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/secretlint/secretlint/rules"
)

// trussKeys are top-level keys of a Truss config.yaml; one of them next to
// `secrets:` tells a Truss config from any other config.yaml.
var trussKeys = []string{
	"model_name", "model_class_name", "model_module_dir", "model_class_filename", "python_version",
	"requirements", "requirements_file", "resources", "model_metadata", "environment_variables",
	"system_packages", "base_image", "build", "runtime", "trt_llm", "model_framework", "model_type",
	"live_reload", "external_package_dirs", "data_dir", "bundled_packages_dir", "spec_version",
	"docker_server", "model_cache", "apply_library_patches", "build_commands", "examples_filename",
}

func isTrussConfig(d *yaml.Node) bool {
	if d == nil || d.Kind != yaml.MappingNode || keyNode(d, "secrets") == nil {
		return false
	}
	for _, k := range trussKeys {
		if keyNode(d, k) != nil {
			return true
		}
	}
	return false
}

// trussPlaceholder reports whether a Truss secret default is a placeholder
// (null, empty, 0, an obvious example) rather than a value that would ship.
func trussPlaceholder(v *yaml.Node) bool {
	if isNull(v) {
		return true
	}
	s, ok := str(v)
	if !ok {
		return false
	}
	t := strings.TrimSpace(s)
	switch {
	case t == "" || t == "0" || t == "~":
		return true
	case strings.Trim(t, "0-") == "": // the all-zero UUID
		return true
	case isReference(t) || rules.IsPlaceholder([]byte(t)):
		return true
	}
	switch strings.ToLower(t) {
	case "foo", "bar", "baz", "qux", "test", "todo", "tbd", "none", "null", "n/a", "secret", "value":
		return true // dummy words, not credentials
	}
	return false
}

func (r *runner) checkTruss(rep *report, d *yaml.Node) {
	if !isTrussConfig(d) {
		return
	}
	pairs(get(d, "secrets"), func(k, v *yaml.Node) {
		if trussPlaceholder(v) {
			return
		}
		val, _ := str(v)
		rep.add("truss-secret-value", v.Line, v.Column, "secret:"+k.Value, val,
			fmt.Sprintf("Truss secret %q has a literal default; Truss serves it in production whenever TRUSS_SECRET_%s or a mounted secret is missing", k.Value, k.Value))
	})
	if env := get(d, "environment_variables"); env != nil {
		s := &envSet{What: "Truss environment_variables", Origin: originTruss, Line: env.Line, Col: env.Column}
		pairs(env, func(k, v *yaml.Node) {
			val, _ := str(v)
			s.Vars = append(s.Vars, envVar{Name: k.Value, Value: val, Literal: !isReference(val), Line: k.Line, Col: k.Column})
		})
		r.checkEnvSet(rep, s)
	}
}
