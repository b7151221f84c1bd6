package policy

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/secretlint/secretlint/rules"
)

// parseDockerfile runs BuildKit's Dockerfile parser, turning a panic on a
// hostile file into an error.
func parseDockerfile(data []byte) (res *parser.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("dockerfile parser failed: %v", p)
		}
	}()
	res, err = parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse dockerfile: %w", err)
	}
	return res, nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

func args(n *parser.Node) []string {
	var out []string
	for a := n.Next; a != nil; a = a.Next {
		out = append(out, a.Value)
	}
	return out
}

func (r *runner) checkDockerfile(rep *report, p string, data []byte) error {
	res, err := parseDockerfile(data)
	if err != nil {
		return err
	}
	mounted := secretMounts(res.AST.Children)
	stage := &envSet{What: "Dockerfile stage 1", Line: 1, Col: 1}
	stages := 0
	for _, n := range res.AST.Children {
		instr := strings.ToUpper(n.Value)
		switch instr {
		case "FROM":
			if stages > 0 {
				r.checkEnvSet(rep, stage)
			}
			stages++
			stage = &envSet{What: fmt.Sprintf("Dockerfile stage %d", stages), Line: n.StartLine, Col: 1}
		case "ENV":
			// The parser chains each pair as name, value, separator.
			a := args(n)
			for i := 0; i+1 < len(a); i += 3 {
				name, val := a[i], unquote(a[i+1])
				lit := !isReference(val) && !strings.Contains(val, "$")
				stage.Vars = append(stage.Vars, envVar{Name: name, Value: val, Literal: lit, Line: n.StartLine, Col: 1})
				if secretName(name) && lit && strings.TrimSpace(val) != "" && !rules.IsPlaceholder([]byte(val)) {
					rep.add("dockerfile-secret-env", n.StartLine, 1, "env:"+name, val,
						fmt.Sprintf("ENV %s bakes a literal secret into every layer and the image config", name))
				}
			}
		case "ARG":
			for _, w := range args(n) {
				name, def, hasDef := strings.Cut(w, "=")
				if !secretName(name) {
					continue
				}
				secret := ""
				if hasDef {
					if d := unquote(def); d != "" && !isReference(d) && !rules.IsPlaceholder([]byte(d)) {
						secret = d
					}
				}
				if secret == "" && mounted[strings.ToLower(name)] {
					// An empty leftover declaration: the value arrives
					// through RUN --mount=type=secret.
					continue
				}
				rep.add("dockerfile-secret-env", n.StartLine, 1, "arg:"+name, secret,
					fmt.Sprintf("ARG %s passes a secret as a build argument, which is recorded in the image history; use RUN --mount=type=secret", name))
			}
		case "COPY", "ADD":
			a := args(n)
			if len(a) < 2 {
				continue
			}
			from := false
			for _, f := range n.Flags {
				if strings.HasPrefix(f, "--from") {
					from = true
				}
			}
			for _, src := range a[:len(a)-1] {
				src = unquote(src)
				if credentialPath(src) {
					rep.add("dockerfile-copy-credentials", n.StartLine, 1, instr+":"+src, "",
						fmt.Sprintf("%s %s puts a credential file into the image", instr, src))
					continue
				}
				if !from && wholeContext(src) && r.fs != nil {
					dir := filepath.Dir(filepath.FromSlash(p))
					if why := r.fs.contextLeak(dir, filepath.FromSlash(p)); why != "" {
						rep.add("dockerfile-copy-credentials", n.StartLine, 1, instr+":"+src, "",
							fmt.Sprintf("%s %s copies the whole build context, and %s", instr, src, why))
					}
				}
			}
		}
	}
	r.checkEnvSet(rep, stage)
	return nil
}

// secretMounts returns the ids and env targets of every
// RUN --mount=type=secret in a Dockerfile, lower-cased.
func secretMounts(nodes []*parser.Node) map[string]bool {
	out := map[string]bool{}
	for _, n := range nodes {
		if !strings.EqualFold(n.Value, "RUN") {
			continue
		}
		for _, f := range n.Flags {
			spec, ok := strings.CutPrefix(f, "--mount=")
			if !ok {
				continue
			}
			kv := map[string]string{}
			for _, field := range strings.Split(spec, ",") {
				k, v, _ := strings.Cut(field, "=")
				kv[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
			if kv["type"] != "secret" {
				continue
			}
			for _, k := range []string{"id", "env"} {
				if v := kv[k]; v != "" {
					out[strings.ToLower(v)] = true
				}
			}
		}
	}
	return out
}

func wholeContext(src string) bool {
	switch strings.TrimSuffix(src, "/") {
	case ".", "", "*", "./*", "./.":
		return true
	}
	return false
}
