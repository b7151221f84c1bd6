package policy

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/secretlint/secretlint/scan"
)

// systemdUnit is what a unit file says about its service's environment.
type systemdUnit struct {
	Vars []envVar
	// Files are the EnvironmentFile= paths, "-" prefix removed, with the
	// line that names each.
	Files []systemdEnvFile
}

type systemdEnvFile struct {
	Path     string
	Optional bool
	Line     int
}

// parseSystemdEnv reads the Environment= and EnvironmentFile= settings of
// a unit file's [Service] section the way systemd does: # and ; comments,
// backslash line continuations, space-separated assignments with single
// or double quotes, and an empty Environment= clearing the list.
func parseSystemdEnv(data []byte) (*systemdUnit, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("parse systemd unit: not valid UTF-8")
	}
	u := &systemdUnit{}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	section := ""
	for i := 0; i < len(lines); i++ {
		start := i
		line := strings.TrimSpace(lines[i])
		for strings.HasSuffix(line, "\\") && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(line, "\\") + " " + strings.TrimSpace(lines[i])
		}
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			if !strings.HasSuffix(line, "]") {
				return nil, fmt.Errorf("parse systemd unit: line %d: unterminated section header", start+1)
			}
			section = line[1 : len(line)-1]
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("parse systemd unit: line %d: want Key=value", start+1)
		}
		if section != "Service" {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		col := strings.Index(lines[start], key) + 1
		switch key {
		case "Environment":
			if val == "" {
				u.Vars = nil
				continue
			}
			words, err := systemdWords(val)
			if err != nil {
				return nil, fmt.Errorf("parse systemd unit: line %d: %w", start+1, err)
			}
			for _, w := range words {
				name, v, ok := strings.Cut(w, "=")
				if !ok || !validEnvName(name) {
					return nil, fmt.Errorf("parse systemd unit: line %d: Environment= wants NAME=value assignments", start+1)
				}
				u.Vars = append(u.Vars, envVar{Name: name, Value: v, Literal: literalValue(v), Line: start + 1, Col: col})
			}
		case "EnvironmentFile":
			if val == "" {
				u.Files = nil
				continue
			}
			f := systemdEnvFile{Path: val, Line: start + 1}
			if strings.HasPrefix(val, "-") {
				f.Path, f.Optional = val[1:], true
			}
			u.Files = append(u.Files, f)
		}
	}
	return u, nil
}

// systemdWords splits a setting into words as systemd does.
func systemdWords(s string) ([]string, error) {
	var out []string
	var b strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if in {
				out = append(out, b.String())
				b.Reset()
				in = false
			}
		case c == '"' || c == '\'':
			in = true
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote")
			}
			b.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '\\' && i+1 < len(s):
			in = true
			i++
			b.WriteByte(s[i])
		default:
			in = true
			b.WriteByte(c)
		}
	}
	if in {
		out = append(out, b.String())
	}
	return out, nil
}

func isSystemdUnit(p string) bool {
	base := path.Base(p)
	return strings.HasSuffix(base, ".service") || strings.HasSuffix(base, ".conf") && strings.HasSuffix(path.Dir(p), ".service.d")
}

func (r *runner) checkSystemd(rep *report, p string, data []byte) error {
	u, err := parseSystemdEnv(data)
	if err != nil {
		return err
	}
	s := &envSet{Vars: u.Vars, What: "systemd unit " + lastElem(p), Origin: originSystemd, Line: 1, Col: 1}
	for _, f := range u.Files {
		vars, ok := r.environmentFile(p, f.Path)
		if !ok {
			// Outside the tree (or a drop-in may add more): absent
			// variables prove nothing.
			s.Open = true
			continue
		}
		s.Vars = append(s.Vars, vars...)
	}
	r.checkEnvSet(rep, s)
	return nil
}

// environmentFile reads the EnvironmentFile a unit names when the tree
// holds it: at the same path under the checked root (etc/default/app for
// /etc/default/app), or beside the unit with the same base name.
func (r *runner) environmentFile(unit, name string) ([]envVar, bool) {
	if r.fs == nil || strings.Contains(name, "%") || name == "" {
		return nil, false
	}
	for _, c := range []string{
		filepath.Join(r.fs.root, filepath.FromSlash(strings.TrimPrefix(name, "/"))),
		filepath.Join(filepath.Dir(filepath.FromSlash(unit)), path.Base(name)),
	} {
		if vars, ok := r.loadEnvFile(c); ok {
			return vars, true
		}
	}
	return nil, false
}

// loadEnvFile reads an env file another file names (an EnvironmentFile,
// a compose env_file); false when the tree lacks it or it does not parse
// (it is then reported when checked itself, if it is a .env file).
func (r *runner) loadEnvFile(p string) ([]envVar, bool) {
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, false
	}
	data, err := r.read(p)
	if err != nil {
		return nil, false
	}
	vars, err := parseDotenv(data)
	if err != nil {
		return nil, false
	}
	from := &envFile{path: filepath.ToSlash(p), data: data}
	for i := range vars {
		vars[i].From = from
	}
	return vars, true
}

// composeEnvFiles adds the variables of a compose service's env_file
// entries (a path, a list of paths or of {path, required}) that the tree
// holds, relative to the compose file; it reports whether every entry was
// read, which closes the set.
func (r *runner) composeEnvFiles(s *envSet, compose string, ef *yaml.Node) bool {
	ef = deref(ef)
	if ef == nil {
		return true
	}
	if r.fs == nil {
		return false
	}
	list := []*yaml.Node{ef}
	if ef.Kind == yaml.SequenceNode {
		list = items(ef)
	}
	all := true
	for _, it := range list {
		name, ok := str(it)
		if !ok {
			name, ok = str(get(it, "path"))
		}
		if !ok || name == "" || strings.Contains(name, "$") {
			all = false
			continue
		}
		vars, ok := r.loadEnvFile(filepath.Join(filepath.Dir(filepath.FromSlash(compose)), filepath.FromSlash(name)))
		if !ok {
			all = false
			continue
		}
		s.Vars = append(s.Vars, vars...)
	}
	return all
}

// envIDs are the checks that judge environment sets. One variable a
// file sets may be judged from several files (a .env on its own and as a
// compose env_file, an EnvironmentFile): it is reported once.
var envIDs = map[string]bool{"mlflow-static-aws-keys": true, "mlflow-allowed-hosts": true, "mlflow-ttl": true, "truss-secret-prefix": true}

// dedupeEnv keeps one finding per env-set check and place, the one with
// the first message, so the choice does not depend on which file was
// checked first.
func dedupeEnv(fs []scan.Finding) []scan.Finding {
	best := map[string]int{}
	out := fs[:0:0]
	for _, f := range fs {
		if !envIDs[f.RuleID] {
			out = append(out, f)
			continue
		}
		k := f.RuleID + "\x00" + f.Path + "\x00" + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
		if i, ok := best[k]; ok {
			if f.Message < out[i].Message {
				out[i] = f
			}
			continue
		}
		best[k] = len(out)
		out = append(out, f)
	}
	return out
}

// Python: assignments to os.environ. The patterns take a string-literal
// name; the value is literal only when it is a plain string literal.
var (
	pyEnvSet     = regexp.MustCompile(`(?:^|[^.\w])(?:os\.)?environ\s*\[\s*(?:'([A-Za-z_][A-Za-z0-9_]*)'|"([A-Za-z_][A-Za-z0-9_]*)")\s*\]\s*=([^=].*)$`)
	pyEnvDefault = regexp.MustCompile(`(?:^|[^.\w])(?:os\.)?environ\.setdefault\s*\(\s*(?:'([A-Za-z_][A-Za-z0-9_]*)'|"([A-Za-z_][A-Za-z0-9_]*)")\s*,(.*)\)`)
	pyString     = regexp.MustCompile(`^[rRbBuU]?(?:'([^'\\\n]*)'|"([^"\\\n]*)")\s*[;,)]?\s*(?:#.*)?$`)
)

// pythonEnv returns the variables a Python file sets in its process
// environment.
func pythonEnv(data []byte) (vars []envVar) {
	if !bytes.Contains(data, []byte("environ")) {
		return nil
	}
	for i, line := range strings.Split(string(data), "\n") {
		code := line
		if j := strings.IndexByte(code, '#'); j >= 0 && !strings.ContainsAny(code[:j], `'"`) {
			code = code[:j]
		}
		m := pyEnvSet.FindStringSubmatchIndex(code)
		if m == nil {
			m = pyEnvDefault.FindStringSubmatchIndex(code)
		}
		if m == nil {
			continue
		}
		name, col := "", 0
		if m[2] >= 0 {
			name, col = code[m[2]:m[3]], m[2]+1
		} else {
			name, col = code[m[4]:m[5]], m[4]+1
		}
		v := envVar{Name: name, Line: i + 1, Col: col}
		v.Value, v.Literal = pyValue(code[m[6]:m[7]])
		vars = append(vars, v)
	}
	return vars
}

// checkPython checks what a Python file sets in os.environ. The process
// inherits the rest of its environment from whatever starts it, so an
// absent variable proves nothing. Tests set variables to exercise code
// (an empty allow-list, a zero TTL on purpose) and are left out.
// pyValue reads the expression assigned: a plain string literal (then
// literal), or anything else, kept as written.
func pyValue(expr string) (string, bool) {
	expr = strings.TrimSpace(expr)
	if m := pyString.FindStringSubmatch(expr); m != nil {
		v := m[1] + m[2]
		return v, literalValue(v)
	}
	if j := strings.Index(expr, " #"); j >= 0 {
		expr = strings.TrimSpace(expr[:j])
	}
	return expr, false
}

func (r *runner) checkPython(rep *report, p string, data []byte) {
	rel := p
	if r.fs != nil {
		if x, err := filepath.Rel(r.fs.root, filepath.FromSlash(p)); err == nil {
			rel = filepath.ToSlash(x)
		}
	}
	if scan.InTestPath(rel) || path.Base(rel) == "conftest.py" {
		return
	}
	vars := pythonEnv(data)
	if len(vars) == 0 {
		return
	}
	r.checkEnvSet(rep, &envSet{Vars: vars, Open: true, What: "Python file " + lastElem(p), Origin: originPython, Line: 1, Col: 1})
}

// isHelmValues reports whether a YAML file is a Helm chart's values.
func isHelmValues(p string) bool {
	base := strings.ToLower(path.Base(p))
	return strings.HasPrefix(base, "values") && (strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml"))
}

// helmEnvKeys hold container environment lists in charts' values.
var helmEnvKeys = map[string]bool{"env": true, "extraEnv": true, "extraEnvVars": true, "envVars": true, "additionalEnv": true}

// checkHelmValues treats each env:/extraEnv: list (or map) in Helm values
// as one environment set. The chart's templates may add variables of
// their own, so an absent variable proves nothing.
func (r *runner) checkHelmValues(rep *report, d *yaml.Node) {
	var visit func(n *yaml.Node, at string)
	visit = func(n *yaml.Node, at string) {
		n = deref(n)
		if n == nil || n.Kind != yaml.MappingNode {
			return
		}
		pairs(n, func(k, v *yaml.Node) {
			where := k.Value
			if at != "" {
				where = at + "." + k.Value
			}
			if helmEnvKeys[k.Value] {
				if s := helmEnvSet(v, where); s != nil {
					r.checkEnvSet(rep, s)
					return
				}
			}
			visit(v, where)
		})
	}
	visit(d, "")
}

func helmEnvSet(v *yaml.Node, where string) *envSet {
	v = deref(v)
	s := &envSet{What: "Helm values " + where, Origin: originHelm, Open: true, Line: v.Line, Col: v.Column}
	switch v.Kind {
	case yaml.SequenceNode:
		for _, e := range items(v) {
			name, ok := str(get(e, "name"))
			if !ok || !validEnvName(name) {
				return nil // not a list of env entries
			}
			kn := keyNode(e, "name")
			ev := envVar{Name: name, Line: kn.Line, Col: kn.Column}
			if vf := get(e, "valueFrom"); vf != nil {
				ev.FromSecret = get(vf, "secretKeyRef") != nil
			} else {
				ev.Value, _ = str(get(e, "value"))
				ev.Literal = literalValue(ev.Value) && !strings.Contains(ev.Value, "{{")
			}
			s.Vars = append(s.Vars, ev)
		}
	case yaml.MappingNode:
		ok := true
		pairs(v, func(k, val *yaml.Node) {
			sv, isStr := str(val)
			if !isStr || !validEnvName(k.Value) {
				ok = false
				return
			}
			s.Vars = append(s.Vars, envVar{Name: k.Value, Value: sv, Literal: literalValue(sv) && !strings.Contains(sv, "{{"), Line: k.Line, Col: k.Column})
		})
		if !ok {
			return nil
		}
	default:
		return nil
	}
	return s
}

// ciEnv returns the variables of a CI env:/variables: mapping. GitLab
// variables may be written {value: …, description: …}. open is true when
// the block is an expression that yields variables.
func ciEnv(m *yaml.Node) (vars []envVar, open bool) {
	m = deref(m)
	if m == nil {
		return nil, false
	}
	if m.Kind != yaml.MappingNode {
		return nil, true
	}
	pairs(m, func(k, v *yaml.Node) {
		if x := get(v, "value"); x != nil && deref(v).Kind == yaml.MappingNode {
			v = x
		}
		s, ok := str(v)
		ev := envVar{Name: k.Value, Value: s, Literal: ok && literalValue(s), Line: k.Line, Col: k.Column}
		if ok {
			for _, e := range ghaExpr.FindAllString(s, -1) {
				if exprSecret(e) {
					ev.FromSecret = true
				}
			}
		}
		vars = append(vars, ev)
	})
	return vars, false
}

// checkWorkflowEnv runs the env-set checks on the environment each step
// of a GitHub Actions workflow gets: the workflow's env:, its job's and
// its own. A step that writes $GITHUB_ENV may set more for later steps.
func (r *runner) checkWorkflowEnv(rep *report, d *yaml.Node) {
	wf, wfOpen := ciEnv(get(d, "env"))
	pairs(get(d, "jobs"), func(jk, job *yaml.Node) {
		jv, jOpen := ciEnv(get(job, "env"))
		base := append(append([]envVar(nil), wf...), jv...)
		open := wfOpen || jOpen
		steps := items(get(job, "steps"))
		for _, st := range steps {
			if run, ok := str(get(st, "run")); ok && strings.Contains(run, "GITHUB_ENV") {
				open = true
			}
		}
		what := "workflow job " + jk.Value
		if len(steps) == 0 {
			r.checkEnvSet(rep, &envSet{Vars: base, Open: open, What: what, Origin: originGitHub, Line: jk.Line, Col: jk.Column})
			return
		}
		for i, st := range steps {
			sv, sOpen := ciEnv(get(st, "env"))
			name, _ := str(get(st, "name"))
			if name == "" {
				name = "#" + strconv.Itoa(i+1)
			}
			vars := append(append([]envVar(nil), base...), sv...)
			r.checkEnvSet(rep, &envSet{Vars: vars, Open: open || sOpen, What: what + " step " + name, Origin: originGitHub, Line: st.Line, Col: st.Column})
		}
	})
}

// checkGitLabEnv runs the env-set checks on each GitLab job's variables:
// the pipeline's and its own. Jobs also receive the project's CI/CD
// variables, so an absent variable proves nothing.
func (r *runner) checkGitLabEnv(rep *report, d *yaml.Node) {
	global, _ := ciEnv(get(d, "variables"))
	jobs := 0
	pairs(d, func(jk, job *yaml.Node) {
		if gitlabReserved[jk.Value] || jk.Value == "default" || deref(job) == nil || deref(job).Kind != yaml.MappingNode {
			return
		}
		jobs++
		jv, _ := ciEnv(get(job, "variables"))
		vars := append(append([]envVar(nil), global...), jv...)
		r.checkEnvSet(rep, &envSet{Vars: vars, Open: true, What: "GitLab job " + jk.Value, Origin: originGitLab, Line: jk.Line, Col: jk.Column})
	})
	if jobs == 0 && len(global) > 0 {
		r.checkEnvSet(rep, &envSet{Vars: global, Open: true, What: "GitLab pipeline variables", Origin: originGitLab, Line: 1, Col: 1})
	}
}
