package policy

import (
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kinds of Ref.
const (
	RefTruss          = "truss-secret"       // a key of a Truss config.yaml secrets: block
	RefEnvTemplate    = "env-template-key"   // a key of a .env.template/.example/.sample
	RefK8sSecretKey   = "k8s-secret-key"     // env[].valueFrom.secretKeyRef
	RefK8sEnvFrom     = "k8s-secret-envfrom" // envFrom[].secretRef
	RefK8sVolume      = "k8s-secret-volume"  // volumes[].secret / projected secret
	RefWorkflowSecret = "workflow-secret"    // ${{ secrets.NAME }} in a GitHub Actions workflow
)

// Ref is a place where a delivery file names a secret (never its value).
type Ref struct {
	Kind string
	// Name is the secret's name: the Truss secret, the env key, the
	// Kubernetes Secret object, the Actions secret.
	Name string
	// Key is the key inside a Kubernetes Secret, when one is named.
	Key string
	// Env is the environment variable the secret is delivered as, if any.
	Env string
	// Namespace is the Kubernetes namespace of the consuming workload,
	// when its manifest names one.
	Namespace    string
	Path         string
	Line, Column int
}

// TrussSecretNames returns the secret names declared in a Truss
// config.yaml's secrets: block. Files that are not Truss configs give none.
func TrussSecretNames(path string, data []byte) ([]Ref, error) {
	docs, err := parseYAML(data)
	if err != nil {
		return nil, err
	}
	var out []Ref
	for _, d := range docs {
		if !isTrussConfig(d) {
			continue
		}
		pairs(get(d, "secrets"), func(k, _ *yaml.Node) {
			out = append(out, Ref{Kind: RefTruss, Name: k.Value, Path: path, Line: k.Line, Column: k.Column})
		})
	}
	return out, nil
}

// EnvTemplateKeys returns the keys of a .env-style file (.env.template,
// .env.example, .env.sample or any dotenv file).
func EnvTemplateKeys(path string, data []byte) ([]Ref, error) {
	vars, err := parseDotenv(data)
	if err != nil {
		return nil, err
	}
	out := make([]Ref, 0, len(vars))
	for _, v := range vars {
		out = append(out, Ref{Kind: RefEnvTemplate, Name: v.Name, Env: v.Name, Path: path, Line: v.Line, Column: v.Col})
	}
	return out, nil
}

// KubernetesSecretRefs returns the Secrets that Kubernetes workloads in a
// manifest (YAML, multi-document, or JSON by extension) consume: through
// secretKeyRef, envFrom secretRef, and secret or projected volumes.
func KubernetesSecretRefs(path string, data []byte) ([]Ref, error) {
	var docs []*yaml.Node
	if strings.HasSuffix(strings.ToLower(path), ".json") {
		n, err := parseJSON(data)
		if err != nil {
			return nil, err
		}
		docs = []*yaml.Node{n}
	} else {
		var err error
		if docs, err = parseYAML(data); err != nil {
			return nil, err
		}
	}
	var out []Ref
	for _, d := range docs {
		for _, doc := range k8sDocs(d) {
			kind, _ := str(get(doc, "kind"))
			specs, _ := extraPodSpecs(doc, kind)
			if spec, _ := podSpec(doc, kind); spec != nil {
				specs = append(specs, spec)
			}
			ns, _ := str(dig(doc, "metadata", "namespace"))
			for _, spec := range specs {
				for _, r := range podSecretRefs(path, spec) {
					r.Namespace = ns
					out = append(out, r)
				}
			}
		}
	}
	return out, nil
}

// podSecretRefs lists the Secrets one pod spec consumes.
func podSecretRefs(path string, spec *yaml.Node) []Ref {
	var out []Ref
	for _, field := range []string{"initContainers", "containers", "ephemeralContainers"} {
		for _, c := range items(get(spec, field)) {
			for _, e := range items(get(c, "env")) {
				if sk := dig(e, "valueFrom", "secretKeyRef"); sk != nil {
					name, _ := str(get(sk, "name"))
					key, _ := str(get(sk, "key"))
					env, _ := str(get(e, "name"))
					out = append(out, Ref{Kind: RefK8sSecretKey, Name: name, Key: key, Env: env, Path: path, Line: sk.Line, Column: sk.Column})
				}
			}
			for _, ef := range items(get(c, "envFrom")) {
				if sr := get(ef, "secretRef"); sr != nil {
					name, _ := str(get(sr, "name"))
					out = append(out, Ref{Kind: RefK8sEnvFrom, Name: name, Path: path, Line: sr.Line, Column: sr.Column})
				}
			}
		}
	}
	for _, v := range items(get(spec, "volumes")) {
		if sec := get(v, "secret"); sec != nil {
			name, _ := str(get(sec, "secretName"))
			out = append(out, Ref{Kind: RefK8sVolume, Name: name, Path: path, Line: sec.Line, Column: sec.Column})
		}
		for _, src := range items(dig(v, "projected", "sources")) {
			if sec := get(src, "secret"); sec != nil {
				name, _ := str(get(sec, "name"))
				out = append(out, Ref{Kind: RefK8sVolume, Name: name, Path: path, Line: sec.Line, Column: sec.Column})
			}
		}
	}
	return out
}

// ghaSecret finds secrets.NAME and secrets['NAME'] inside ${{ }} expressions.
var (
	ghaExpr   = regexp.MustCompile(`\$\{\{(?:[^}]|\}[^}])*\}\}`)
	ghaSecret = regexp.MustCompile(`(?i)\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*['"]([^'"]+)['"]\s*\])`)
)

// WorkflowSecretRefs returns every ${{ secrets.NAME }} reference in a
// GitHub Actions workflow, with the environment variable it is bound to
// when it is the value of an env: entry.
func WorkflowSecretRefs(path string, data []byte) ([]Ref, error) {
	docs, err := parseYAML(data)
	if err != nil {
		return nil, err
	}
	var out []Ref
	for _, d := range docs {
		walkPairs(d, "", func(key string, v *yaml.Node) {
			for _, m := range ghaExpr.FindAllStringIndex(v.Value, -1) {
				expr := v.Value[m[0]:m[1]]
				for _, s := range ghaSecret.FindAllStringSubmatch(expr, -1) {
					name := s[1]
					if name == "" {
						name = s[2]
					}
					line, col := scalarPos(v, m[0])
					out = append(out, Ref{Kind: RefWorkflowSecret, Name: name, Env: key, Path: path, Line: line, Column: col})
				}
			}
		})
	}
	return out, nil
}

// walkPairs visits every scalar under n with the key of the env: entry it
// is the value of ("" otherwise).
func walkPairs(n *yaml.Node, envKey string, fn func(envKey string, v *yaml.Node)) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.ScalarNode:
		fn(envKey, n)
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "env" && v.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(v.Content); j += 2 {
					walkPairs(v.Content[j+1], v.Content[j].Value, fn)
				}
				continue
			}
			walkPairs(v, "", fn)
		}
	case yaml.SequenceNode, yaml.DocumentNode:
		for _, c := range n.Content {
			walkPairs(c, "", fn)
		}
	}
}

// scalarPos maps a byte offset inside a scalar's value to a file position.
// Block scalars (| and >) start on the line after their indicator.
func scalarPos(n *yaml.Node, off int) (line, col int) {
	if off > len(n.Value) {
		off = len(n.Value)
	}
	before := n.Value[:off]
	nl := strings.Count(before, "\n")
	line = n.Line + nl
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		line++
		return line, n.Column + 2 + off - (strings.LastIndexByte(before, '\n') + 1)
	}
	if nl == 0 {
		return line, n.Column + off
	}
	return line, 1
}
