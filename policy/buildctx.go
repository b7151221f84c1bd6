package policy

import (
	"bytes"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

// A Dockerfile's `COPY .` copies its build context, which the Dockerfile
// does not name: the command that builds it does. buildRef is one such
// command found in the tree: a compose service's build, a `docker build`
// line in a Makefile, script or CI job, a skaffold artifact, a bake target,
// a docker/build-push-action step.
type buildRef struct {
	dockerfile string // absolute, cleaned
	context    string // absolute, cleaned; "" when the command's context is not known
	from       string // the file that holds the command, absolute
	line       int    // the command's line in it
}

// where names the command for a message: its file relative to root, and line.
func (r buildRef) where(root string) string {
	p := r.from
	if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
		p = rel
	}
	return filepath.ToSlash(p) + ":" + strconv.Itoa(r.line)
}

// buildRefs maps a Dockerfile's absolute path to the commands that build it.
type buildRefs map[string][]buildRef

func (b buildRefs) add(r buildRef) {
	b[r.dockerfile] = append(b[r.dockerfile], r)
}

// isBuildFile reports whether a file may hold a command that builds an
// image: the files findBuildRefs reads.
func isBuildFile(p string) bool {
	base := strings.ToLower(path.Base(p))
	switch {
	case base == "makefile" || base == "gnumakefile" || strings.HasSuffix(base, ".mk"),
		strings.HasSuffix(base, ".sh") || strings.HasSuffix(base, ".bash"),
		base == "justfile" || base == "taskfile.yml" || base == "taskfile.yaml",
		strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml"),
		strings.HasPrefix(base, "docker-bake") || strings.HasSuffix(base, ".bake.hcl"):
		return true
	}
	return false
}

// findBuildRefs reads one build file (at p, with bytes data) and records
// the builds it names. root is the scan root: a CI job runs at the
// repository root, which is the directory holding .github or .gitlab-ci.yml.
func findBuildRefs(refs buildRefs, p string, data []byte) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return
	}
	dir := filepath.Dir(abs)
	base := strings.ToLower(filepath.Base(abs))
	switch {
	case strings.HasPrefix(base, "docker-bake") || strings.HasSuffix(base, ".bake.hcl"):
		if strings.HasSuffix(base, ".hcl") {
			bakeRefs(refs, p, dir, data)
		}
		return
	case strings.HasSuffix(base, ".yml") || strings.HasSuffix(base, ".yaml"):
		if bytes.Contains(data, []byte("build:")) || bytes.Contains(data, []byte("build-push-action")) ||
			bytes.Contains(data, []byte(" build")) && (bytes.Contains(data, []byte("docker")) || bytes.Contains(data, []byte("podman"))) {
			yamlRefs(refs, p, dir, data)
		}
		return
	}
	if bytes.Contains(data, []byte(" build")) {
		shellRefs(refs, p, dir, data, 0)
	}
}

// shellRefs finds `docker build` commands in shell-like text (a Makefile
// recipe, a script, a CI run: block), run from cwd. lineBase is the line
// of the text's first line in its file, less one.
func shellRefs(refs buildRefs, p, cwd string, data []byte, lineBase int) {
	p, _ = filepath.Abs(p)
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		start := i
		l := lines[i]
		for strings.HasSuffix(strings.TrimRight(l, " \t"), "\\") && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(strings.TrimRight(l, " \t"), "\\") + " " + lines[i]
		}
		for _, cmd := range splitCommands(l) {
			if r, ok := dockerBuild(cmd, cwd); ok {
				r.from, r.line = p, lineBase+start+1
				refs.add(r)
			}
		}
	}
}

// splitCommands splits a command line at ;, &&, || and |.
func splitCommands(l string) [][]string {
	var out [][]string
	var cur []string
	for _, w := range strings.Fields(l) {
		switch w {
		case ";", "&&", "||", "|", "&":
			out, cur = append(out, cur), nil
			continue
		}
		if t := strings.TrimRight(w, ";"); t != w {
			cur = append(cur, t)
			out, cur = append(out, cur), nil
			continue
		}
		cur = append(cur, w)
	}
	return append(out, cur)
}

// valueFlags are the `docker build` flags that take a separate value.
var valueFlags = map[string]bool{
	"-t": true, "--tag": true, "--build-arg": true, "--label": true, "--target": true, "--platform": true,
	"--cache-from": true, "--cache-to": true, "--secret": true, "--ssh": true, "-o": true, "--output": true,
	"--network": true, "--progress": true, "--iidfile": true, "--build-context": true, "--add-host": true,
	"--metadata-file": true, "--builder": true, "--shm-size": true, "-m": true, "--memory": true,
	"--ulimit": true, "--annotation": true, "--attest": true, "--cgroup-parent": true, "--isolation": true,
	"--cpu-shares": true, "--cpuset-cpus": true, "--memory-swap": true, "--squash-all": false,
	"--provenance": false, "--sbom": false,
}

// dockerBuild recognises `docker build`, `docker buildx build`, `docker
// image build` and `podman build` and returns the Dockerfile and context
// they name, resolved against cwd.
func dockerBuild(words []string, cwd string) (buildRef, bool) {
	i := 0
	for i < len(words) && (strings.Contains(words[i], "=") && !strings.HasPrefix(words[i], "-") || words[i] == "sudo" || words[i] == "exec") {
		i++ // environment assignments, sudo
	}
	if i >= len(words) {
		return buildRef{}, false
	}
	tool := strings.TrimLeft(path.Base(words[i]), "@-")
	if tool != "docker" && tool != "podman" && !strings.HasSuffix(tool, "$(DOCKER)") {
		return buildRef{}, false
	}
	i++
	for i < len(words) && (words[i] == "buildx" || words[i] == "image") {
		i++
	}
	if i >= len(words) || words[i] != "build" {
		return buildRef{}, false
	}
	var file, ctx string
	for i++; i < len(words); i++ {
		w := words[i]
		switch {
		case w == "-f" || w == "--file":
			if i+1 < len(words) {
				i++
				file = words[i]
			}
		case strings.HasPrefix(w, "--file="):
			file = strings.TrimPrefix(w, "--file=")
		case strings.HasPrefix(w, "-f") && len(w) > 2 && !strings.HasPrefix(w, "--"):
			file = w[2:]
		case strings.HasPrefix(w, "-"):
			if !strings.Contains(w, "=") && valueFlags[w] && i+1 < len(words) {
				i++
			}
		case strings.HasPrefix(w, ">") || strings.HasPrefix(w, "2>"):
			i = len(words)
		default:
			if ctx == "" {
				ctx = w
			}
		}
	}
	if ctx == "" {
		return buildRef{}, false
	}
	ctx = unquote(ctx)
	file = unquote(file)
	r := buildRef{}
	if ctx == "-" || strings.Contains(ctx, "://") || strings.HasPrefix(ctx, "git@") {
		return buildRef{}, false // stdin or a remote context: no local files are copied
	}
	known := !variable(ctx)
	if known {
		r.context = filepath.Clean(filepath.Join(cwd, filepath.FromSlash(ctx)))
	}
	switch {
	case file == "" && known:
		r.dockerfile = filepath.Join(r.context, "Dockerfile")
	case file == "" || variable(file):
		return buildRef{}, false // which Dockerfile is not known either
	default:
		// -f is relative to the working directory, not the context.
		r.dockerfile = filepath.Clean(filepath.Join(cwd, filepath.FromSlash(file)))
	}
	return r, true
}

// variable reports whether a word is (or holds) a variable the shell, make
// or the CI expands, so its value is not known here.
func variable(w string) bool {
	return strings.ContainsAny(w, "$`") || strings.Contains(w, "{{")
}

// yamlRefs reads compose services, skaffold artifacts, CI steps
// (docker/build-push-action and run:/script: lines) from a YAML file.
func yamlRefs(refs buildRefs, p, dir string, data []byte) {
	docs, err := parseYAML(data)
	if err != nil {
		return
	}
	slash := filepath.ToSlash(p)
	abs, _ := filepath.Abs(p)
	ci := isWorkflow(slash) || strings.HasSuffix(strings.ToLower(slash), ".gitlab-ci.yml") || strings.Contains(slash, ".gitlab/ci/")
	cwd := dir
	if ci {
		cwd = repoRootOf(dir)
	}
	for _, d := range docs {
		// Compose: services.<name>.build is a context path or {context, dockerfile}.
		pairs(get(d, "services"), func(_, svc *yaml.Node) {
			b := get(svc, "build")
			bk := keyNode(svc, "build")
			if b == nil {
				return
			}
			ctx, df := "", ""
			if s, ok := str(b); ok && b.Kind == yaml.ScalarNode {
				ctx = s
			} else {
				ctx, _ = str(get(b, "context"))
				df, _ = str(get(b, "dockerfile"))
				if ctx == "" {
					ctx = "."
				}
			}
			addContextRef(refs, dir, ctx, df, abs, bk.Line)
		})
		// Skaffold: build.artifacts[].{context, docker.dockerfile}, also under profiles.
		if v, _ := str(get(d, "apiVersion")); strings.HasPrefix(v, "skaffold/") {
			arts := items(dig(d, "build", "artifacts"))
			for _, pr := range items(get(d, "profiles")) {
				arts = append(arts, items(dig(pr, "build", "artifacts"))...)
			}
			for _, a := range arts {
				if get(a, "docker") == nil && get(a, "kaniko") == nil && get(a, "context") == nil {
					continue
				}
				ctx, ok := str(get(a, "context"))
				if !ok {
					ctx = "."
				}
				df, _ := str(dig(a, "docker", "dockerfile"))
				if df == "" {
					df, _ = str(dig(a, "kaniko", "dockerfile"))
				}
				addContextRef(refs, dir, ctx, df, abs, a.Line)
			}
		}
		// CI: docker/build-push-action and build commands in run:/script:.
		walk(d, func(n *yaml.Node) bool {
			if n.Kind == yaml.MappingNode {
				if u, _ := str(get(n, "uses")); strings.HasPrefix(u, "docker/build-push-action") {
					w := get(n, "with")
					ctx, ok := str(get(w, "context"))
					if !ok {
						ctx = "." // the action's default git context is the repository at the ref
					}
					df, _ := str(get(w, "file"))
					c := filepath.Clean(filepath.Join(cwd, filepath.FromSlash(ctx)))
					r := buildRef{from: abs, line: n.Line}
					if !variable(ctx) {
						r.context = c
					}
					switch {
					case df == "" && r.context != "":
						r.dockerfile = filepath.Join(c, "Dockerfile")
					case df != "" && !variable(df):
						r.dockerfile = filepath.Clean(filepath.Join(cwd, filepath.FromSlash(df)))
					default:
						return true
					}
					refs.add(r)
				}
			}
			if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, " build") && (strings.Contains(n.Value, "docker") || strings.Contains(n.Value, "podman")) {
				lineBase := n.Line - 1
				if n.Style == yaml.LiteralStyle || n.Style == yaml.FoldedStyle {
					lineBase = n.Line
				}
				shellRefs(refs, p, cwd, []byte(n.Value), lineBase)
			}
			return true
		})
	}
}

// addContextRef records a build whose context is ctx (relative to dir) and
// whose Dockerfile is df relative to the context (compose, skaffold, bake).
func addContextRef(refs buildRefs, dir, ctx, df, from string, line int) {
	if strings.Contains(ctx, "://") || strings.HasPrefix(ctx, "git@") {
		return
	}
	if df == "" {
		df = "Dockerfile"
	}
	if variable(df) {
		return
	}
	if variable(ctx) {
		// The Dockerfile is named relative to a context we cannot
		// resolve: nothing to attach the build to.
		return
	}
	c := filepath.Clean(filepath.Join(dir, filepath.FromSlash(ctx)))
	refs.add(buildRef{context: c, dockerfile: filepath.Clean(filepath.Join(c, filepath.FromSlash(df))), from: from, line: line})
}

// bakeRefs reads the targets of a docker-bake.hcl file: literal context
// and dockerfile attributes.
func bakeRefs(refs buildRefs, p, dir string, data []byte) {
	f, diags := hclsyntax.ParseConfig(data, p, hcl.InitialPos)
	if diags.HasErrors() || f == nil {
		return
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	for _, b := range body.Blocks {
		if b.Type != "target" {
			continue
		}
		lit := func(name string) (string, bool) {
			a, ok := b.Body.Attributes[name]
			if !ok {
				return "", false
			}
			v, d := a.Expr.Value(nil)
			if d.HasErrors() || !v.IsKnown() || v.IsNull() || !v.Type().Equals(cty.String) {
				return "$", true // an expression: not known here
			}
			return v.AsString(), true
		}
		ctx, ok := lit("context")
		if !ok {
			ctx = "."
		}
		df, _ := lit("dockerfile")
		abs, _ := filepath.Abs(p)
		addContextRef(refs, dir, ctx, df, abs, b.TypeRange.Start.Line)
	}
}

// repoRootOf returns the directory above dir that holds .github (or
// .gitlab-ci.yml): where CI jobs run.
func repoRootOf(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if filepath.Base(d) == ".github" || filepath.Base(d) == ".gitlab" {
			return filepath.Dir(d)
		}
		if fileExists(filepath.Join(d, ".gitlab-ci.yml")) || fileExists(filepath.Join(d, ".github")) {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

// contextsFor returns the build contexts of a Dockerfile, sorted and each
// once, and the commands that name them.
func (b buildRefs) contextsFor(dockerfile string) []buildRef {
	abs, err := filepath.Abs(dockerfile)
	if err != nil {
		return nil
	}
	rs := append([]buildRef(nil), b[filepath.Clean(abs)]...)
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].context != rs[j].context {
			return rs[i].context < rs[j].context
		}
		if rs[i].from != rs[j].from {
			return rs[i].from < rs[j].from
		}
		return rs[i].line < rs[j].line
	})
	out := rs[:0]
	for i, r := range rs {
		if i == 0 || r.context != rs[i-1].context {
			out = append(out, r)
		}
	}
	return out
}
