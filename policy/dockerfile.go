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
	stage := &envSet{What: "Dockerfile stage 1", Origin: originDockerfile, Line: 1, Col: 1}
	stages := 0
	for _, n := range res.AST.Children {
		instr := strings.ToUpper(n.Value)
		switch instr {
		case "FROM":
			if stages > 0 {
				r.checkEnvSet(rep, stage)
			}
			stages++
			stage = &envSet{What: fmt.Sprintf("Dockerfile stage %d", stages), Origin: originDockerfile, Line: n.StartLine, Col: 1}
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
					r.checkContextCopy(rep, n.StartLine, instr+" "+src, instr+":"+src, p)
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

// checkContextCopy reports a whole-context COPY or ADD when the build
// context holds credential files that its .dockerignore leaves in. The
// context is the one the commands that build this Dockerfile give (compose,
// Makefile, CI, skaffold, bake); without any, the Dockerfile's directory,
// as `docker build <dir>` and a compose `build: <dir>` use. When the only
// commands that build it name the context with a variable, the context is
// not known: the Dockerfile's directory is checked and the finding is
// medium.
func (r *runner) checkContextCopy(rep *report, line int, what, subject, p string) {
	df, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return
	}
	root, _ := filepath.Abs(r.fs.root)
	inRoot := func(d string) bool {
		return d == root || strings.HasPrefix(d, root+string(filepath.Separator))
	}
	type choice struct{ dir, from string }
	var choices []choice
	unknown := ""
	for _, ref := range r.builds.contextsFor(df) {
		if ref.context == "" || !inRoot(ref.context) {
			unknown = ref.where(root)
			continue
		}
		choices = append(choices, choice{ref.context, ref.where(root)})
	}
	if len(choices) == 0 {
		choices = []choice{{dir: filepath.Dir(df)}}
	} else {
		unknown = ""
	}
	for _, c := range choices {
		cs := r.fs.contextCredentials(c.dir, df)
		ctx := "."
		if rel, err := filepath.Rel(root, c.dir); err == nil {
			ctx = filepath.ToSlash(rel)
		}
		subj := subject // as before build contexts were resolved, so baselines hold
		if len(choices) > 1 {
			subj += "@" + ctx
		}
		var where string
		switch {
		case c.from != "":
			where = fmt.Sprintf("copies the build context %s (built by %s)", ctx, c.from)
		case unknown != "":
			where = fmt.Sprintf("copies a build context that is not known (%s names it with a variable); the Dockerfile's directory %s", unknown, ctx)
		default:
			where = fmt.Sprintf("copies the build context %s (the Dockerfile's directory: no compose, Makefile, CI, skaffold or bake file in the tree builds it elsewhere)", ctx)
		}
		sev := catalogSeverity("dockerfile-copy-credentials")
		if unknown != "" {
			sev = rules.Medium
		}
		if cs.err != "" {
			rep.addSeverity("dockerfile-copy-credentials", sev, line, 1, subj, "",
				fmt.Sprintf("%s %s, and its %s", what, where, cs.err))
			continue
		}
		if len(cs.files) == 0 {
			continue
		}
		ignore := "no .dockerignore excludes them"
		if cs.ignore != "" {
			ignore = cs.ignore + " does not exclude them"
		}
		verb := ", which holds"
		if unknown != "" {
			verb = " holds"
		}
		rep.addSeverity("dockerfile-copy-credentials", sev, line, 1, subj, "",
			fmt.Sprintf("%s %s%s %s (%s)", what, where, verb, namedFiles(cs.files), ignore))
	}
}

// maxFilesNamed bounds the credential files a finding names.
const maxFilesNamed = 3

// namedFiles says "2 credential files: .env, keys/id_rsa", naming at most
// maxFilesNamed.
func namedFiles(files []string) string {
	named := files
	if len(named) > maxFilesNamed {
		named = named[:maxFilesNamed]
	}
	s := fmt.Sprintf("%d credential %s: %s", len(files), plural(len(files), "file", "files"), strings.Join(named, ", "))
	if n := len(files) - len(named); n > 0 {
		s += fmt.Sprintf(" and %d more", n)
	}
	return s
}
