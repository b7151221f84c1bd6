package policy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
	"mvdan.cc/sh/v3/syntax"
)

var toJSONSecrets = regexp.MustCompile(`(?i)\btojson\s*\(\s*secrets\s*\)`)

// exprSecret reports whether a ${{ }} expression yields a secret.
func exprSecret(expr string) bool {
	if ghaSecret.MatchString(expr) || strings.Contains(strings.ToLower(expr), "github.token") {
		return true
	}
	for _, m := range ghaInput.FindAllStringSubmatch(expr, -1) {
		if secretName(m[1]) {
			return true
		}
	}
	return false
}

// ghaInput finds inputs.NAME, which carries a secret when NAME says so
// (inputs.github-token, inputs.api_key).
var ghaInput = regexp.MustCompile(`\binputs\.([A-Za-z_][A-Za-z0-9_-]*)`)

// checkWorkflow checks a GitHub Actions workflow.
func (r *runner) checkWorkflow(rep *report, d *yaml.Node) {
	walk(d, func(n *yaml.Node) bool {
		if n.Kind == yaml.ScalarNode {
			for _, m := range toJSONSecrets.FindAllStringIndex(n.Value, -1) {
				line, col := scalarPos(n, m[0])
				rep.add("ci-secrets-inherit", line, col, "tojson:"+n.Value, "",
					"toJSON(secrets) expands every repository and organisation secret into one string")
			}
		}
		return true
	})
	wfEnv := secretEnv(get(d, "env"))
	pairs(get(d, "jobs"), func(jk, job *yaml.Node) {
		if s := get(job, "secrets"); s != nil {
			// A workflow of this repository (./.github/workflows/...) is
			// the project's own code, reviewed with the caller, and sees
			// only what it names; inherit matters when the called
			// workflow lives in another repository.
			uses, _ := str(get(job, "uses"))
			if v, ok := str(s); ok && v == "inherit" && uses != "" && !strings.HasPrefix(uses, "./") {
				rep.add("ci-secrets-inherit", s.Line, s.Column, "inherit:"+jk.Value, "",
					fmt.Sprintf("job %s passes every secret to %s, a workflow of another repository, with `secrets: inherit`", jk.Value, uses))
			}
		}
		jobEnv := merge(wfEnv, secretEnv(get(job, "env")))
		shell, _ := str(dig(job, "defaults", "run", "shell"))
		if shell == "" {
			shell, _ = str(dig(d, "defaults", "run", "shell"))
		}
		runsOn, _ := str(get(job, "runs-on"))
		r.checkSteps(rep, get(job, "steps"), "job "+jk.Value, jobEnv, shell, runsOn)
	})
}

// checkSteps checks the run: steps of a job or a composite action.
func (r *runner) checkSteps(rep *report, steps *yaml.Node, owner string, env map[string]bool, shell, runsOn string) {
	for i, st := range items(steps) {
		run := get(st, "run")
		if run == nil || run.Kind != yaml.ScalarNode {
			continue
		}
		sh, _ := str(get(st, "shell"))
		if sh == "" {
			sh = shell
		}
		if sh == "" && strings.Contains(strings.ToLower(runsOn), "windows") {
			sh = "pwsh"
		}
		if sh != "" && !bashLike(sh) {
			continue
		}
		name, _ := str(get(st, "name"))
		if name == "" {
			name = "#" + strconv.Itoa(i+1)
		}
		sc := &shellCheck{
			rep:   rep,
			what:  fmt.Sprintf("%s step %s", owner, name),
			vars:  merge(env, secretEnv(get(st, "env"))),
			exprs: map[string]bool{},
			node:  run,
		}
		sc.run(run.Value)
	}
}

// checkAction checks a composite action (action.yml): its steps run in the
// caller's job, and inputs with secret-looking names carry secrets.
func (r *runner) checkAction(rep *report, d *yaml.Node) {
	if u, _ := str(dig(d, "runs", "using")); u != "composite" {
		return
	}
	r.checkSteps(rep, dig(d, "runs", "steps"), "composite action", nil, "", "")
}

func bashLike(sh string) bool {
	f := strings.Fields(sh)
	if len(f) == 0 {
		return true
	}
	switch strings.TrimSuffix(f[0], ".exe") {
	case "bash", "sh", "zsh", "dash", "ksh", "/bin/bash", "/bin/sh", "/usr/bin/bash":
		return true
	}
	return false
}

// secretEnv returns the names in an env: mapping whose values come from
// secrets.
func secretEnv(env *yaml.Node) map[string]bool {
	out := map[string]bool{}
	pairs(env, func(k, v *yaml.Node) {
		if s, ok := str(v); ok {
			for _, m := range ghaExpr.FindAllString(s, -1) {
				if exprSecret(m) {
					out[k.Value] = true
				}
			}
		}
	})
	return out
}

func merge(a, b map[string]bool) map[string]bool {
	out := make(map[string]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// gitlabReserved are top-level .gitlab-ci.yml keys that are not jobs.
var gitlabReserved = map[string]bool{
	"stages": true, "variables": true, "include": true, "workflow": true, "image": true,
	"services": true, "cache": true, "before_script": true, "after_script": true, "spec": true,
}

// checkGitLab checks a GitLab CI configuration. Every job receives the
// project's CI/CD variables, so any secret-named variable is in scope.
func (r *runner) checkGitLab(rep *report, d *yaml.Node) {
	literal := map[string]bool{}
	pairs(get(d, "variables"), func(k, v *yaml.Node) {
		if _, ok := str(v); ok {
			literal[k.Value] = true
		}
	})
	pairs(d, func(jk, job *yaml.Node) {
		if gitlabReserved[jk.Value] || job.Kind != yaml.MappingNode {
			return
		}
		jobLiteral := merge(literal, nil)
		pairs(get(job, "variables"), func(k, v *yaml.Node) {
			if s, ok := str(v); ok && !strings.Contains(s, "$") {
				jobLiteral[k.Value] = true
			}
		})
		for _, field := range []string{"before_script", "script", "after_script"} {
			var lines []*yaml.Node
			var flat func(n *yaml.Node)
			flat = func(n *yaml.Node) {
				n = deref(n)
				if n == nil {
					return
				}
				if n.Kind == yaml.SequenceNode {
					for _, c := range n.Content {
						flat(c)
					}
					return
				}
				if n.Kind == yaml.ScalarNode {
					lines = append(lines, n)
				}
			}
			flat(get(job, field))
			for _, ln := range lines {
				sc := &shellCheck{
					rep:     rep,
					what:    fmt.Sprintf("job %s %s", jk.Value, field),
					exprs:   map[string]bool{},
					node:    ln,
					gitlab:  true,
					literal: jobLiteral,
				}
				sc.run(ln.Value)
			}
		}
	})
}

// shellCheck looks at one CI shell script.
type shellCheck struct {
	rep  *report
	what string
	// vars are environment variables bound to secrets.
	vars map[string]bool
	// exprs maps the placeholder standing for each ${{ }} expression to
	// whether it yields a secret.
	exprs map[string]bool
	node  *yaml.Node
	// gitlab: any secret-named variable not set literally is a secret.
	gitlab  bool
	literal map[string]bool
	src     string
}

// text returns a node's source text, which identifies a finding without
// depending on its line.
func (c *shellCheck) text(n syntax.Node) string {
	a, b := int(n.Pos().Offset()), int(n.End().Offset())
	if a < 0 || b > len(c.src) || a > b {
		return ""
	}
	return c.src[a:b]
}

var placeholderRE = regexp.MustCompile(`__SLX\d+__`)

func (c *shellCheck) run(script string) {
	i := 0
	src := ghaExpr.ReplaceAllStringFunc(script, func(m string) string {
		ph := fmt.Sprintf("__SLX%d__", i)
		i++
		c.exprs[ph] = exprSecret(m)
		return ph
	})
	c.src = src
	f, err := parseShell(src)
	if err != nil {
		c.rep.skip(fmt.Sprintf("%s at line %d: script does not parse as POSIX/bash shell (%v)", c.what, c.node.Line, err))
		return
	}
	piped := map[*syntax.Stmt]bool{}
	captured := map[*syntax.Stmt]bool{}
	stmtOf := map[*syntax.CallExpr]*syntax.Stmt{}
	usesSecret := false
	markAll := func(n syntax.Node, set map[*syntax.Stmt]bool) {
		syntax.Walk(n, func(x syntax.Node) bool {
			if s, ok := x.(*syntax.Stmt); ok {
				set[s] = true
			}
			return true
		})
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.Stmt:
			if call, ok := x.Cmd.(*syntax.CallExpr); ok {
				stmtOf[call] = x
			}
		case *syntax.BinaryCmd:
			if x.Op == syntax.Pipe || x.Op == syntax.PipeAll {
				markAll(x.X, piped)
			}
		case *syntax.CmdSubst:
			markAll(x, captured)
		case *syntax.ProcSubst:
			markAll(x, captured)
		case *syntax.Word:
			if c.secretIn(x) {
				usesSecret = true
			}
		}
		return true
	})
	inScope := usesSecret || len(c.vars) > 0 || c.gitlab
	syntax.Walk(f, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		stmt := stmtOf[call]
		// Output reaches the log unless captured or redirected; echo into
		// a pipe feeds the next command (docker login --password-stdin).
		logged := stmt != nil && !captured[stmt] && !redirectsStdout(stmt)
		printed := logged && !piped[stmt]
		args := call.Args
		for len(args) > 1 {
			if w := args[0].Lit(); w == "sudo" || w == "exec" || w == "command" || w == "nohup" || w == "time" {
				args = args[1:]
				continue
			}
			break
		}
		name := args[0].Lit()
		line := c.line(call.Pos())
		switch name {
		case "echo", "printf", "print":
			for _, a := range args[1:] {
				if c.secretIn(a) && printed && !strings.HasPrefix(literalPrefix(a), "::add-mask::") {
					line := c.line(a.Pos())
					c.rep.add("ci-secret-echo", line, 1, c.what+":"+name+":"+c.text(a), "",
						fmt.Sprintf("%s prints a secret with %s; masking misses transformed or partial values", c.what, name))
					break
				}
			}
			return true
		case "cat":
			// cat <<EOF … EOF prints the here-document.
			if stmt == nil {
				return true
			}
			for _, rd := range stmt.Redirs {
				if (rd.Op == syntax.Hdoc || rd.Op == syntax.DashHdoc || rd.Op == syntax.WordHdoc) && printed {
					w := rd.Hdoc
					if rd.Op == syntax.WordHdoc {
						w = rd.Word
					}
					if w != nil && c.secretIn(w) {
						c.rep.add("ci-secret-echo", line, 1, c.what+":cat:"+c.text(w), "",
							fmt.Sprintf("%s prints a secret through a here-document", c.what))
						break
					}
				}
			}
		case "set":
			if tracing(args[1:]) && (usesSecret || len(c.vars) > 0) {
				c.rep.add("ci-secret-echo", line, 1, c.what+":set-x:"+c.text(call), "",
					fmt.Sprintf("%s turns on shell tracing (set -x) while secrets are in scope; every expanded command line goes to the log", c.what))
			}
			if len(args) == 1 && logged && inScope {
				c.dump(line, "set")
			}
			return true
		case "env", "printenv", "export", "declare", "typeset":
			dump := len(args) == 1 || (name != "env" && len(args) == 2 && (args[1].Lit() == "-p" || args[1].Lit() == "-x"))
			if dump && logged && inScope {
				c.dump(line, strings.Join(wordsLit(args), " "))
				return true
			}
			if name == "printenv" && printed {
				for _, a := range args[1:] {
					if v := a.Lit(); v != "" && c.isSecretVar(v) {
						c.rep.add("ci-secret-echo", line, 1, c.what+":printenv:"+v, "",
							fmt.Sprintf("%s prints secret variable %s with printenv", c.what, v))
						break
					}
				}
				return true
			}
			if name != "env" {
				return true
			}
		case "bash", "sh":
			if tracing(args[1:min(2, len(args))]) && (usesSecret || len(c.vars) > 0) {
				c.rep.add("ci-secret-echo", line, 1, c.what+":sh-x:"+c.text(call), "",
					fmt.Sprintf("%s runs a shell with tracing (-x) while secrets are in scope", c.what))
			}
		case "test", "[", ":", "true", "false", "cd", "read", "local", "readonly", "unset", "eval", "return", "exit", "shift":
			return true
		}
		for _, a := range args[1:] {
			if c.secretIn(a) {
				line := c.line(a.Pos())
				c.rep.add("ci-secret-argv", line, 1, c.what+":"+name+":"+c.text(a), "",
					fmt.Sprintf("%s passes a secret as an argument to %s, visible to every process on the runner (ps, /proc)", c.what, orUnknown(name)))
				break
			}
		}
		return true
	})
}

func orUnknown(s string) string {
	if s == "" {
		return "a command"
	}
	return s
}

func (c *shellCheck) dump(line int, cmd string) {
	c.rep.add("ci-secret-echo", line, 1, c.what+":dump:"+cmd, "",
		fmt.Sprintf("%s dumps the environment (%s) while secrets are in scope", c.what, cmd))
}

func parseShell(src string) (f *syntax.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("shell parser failed: %v", p)
		}
	}()
	return syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), "")
}

// line maps a position in the script to a line of the file.
func (c *shellCheck) line(p syntax.Pos) int {
	l := int(p.Line())
	if l < 1 {
		l = 1
	}
	if c.node.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		if c.node.Style&yaml.FoldedStyle != 0 {
			return c.node.Line + 1
		}
		return c.node.Line + l
	}
	return c.node.Line + l - 1
}

func redirectsStdout(s *syntax.Stmt) bool {
	for _, r := range s.Redirs {
		switch r.Op {
		case syntax.RdrOut, syntax.AppOut, syntax.RdrClob, syntax.RdrAll, syntax.AppAll:
			if r.N == nil || r.N.Value == "1" {
				return true
			}
		case syntax.DplOut:
			if (r.N == nil || r.N.Value == "1") && r.Word != nil && r.Word.Lit() != "2" {
				return true
			}
		}
	}
	return false
}

// tracing reports whether set/bash arguments turn on xtrace.
func tracing(args []*syntax.Word) bool {
	for i, a := range args {
		v := a.Lit()
		if v == "-o" && i+1 < len(args) && args[i+1].Lit() == "xtrace" {
			return true
		}
		if strings.HasPrefix(v, "-") && !strings.HasPrefix(v, "--") && strings.Contains(v, "x") {
			return true
		}
	}
	return false
}

func wordsLit(ws []*syntax.Word) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		out = append(out, w.Lit())
	}
	return out
}

// literalPrefix returns the leading literal text of a word.
func literalPrefix(w *syntax.Word) string {
	var b strings.Builder
	for _, p := range w.Parts {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(x.Value)
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(l.Value)
					continue
				}
				return b.String()
			}
		default:
			return b.String()
		}
	}
	return b.String()
}

func (c *shellCheck) isSecretVar(name string) bool {
	if c.vars[name] {
		return true
	}
	return c.gitlab && !c.literal[name] && secretName(name)
}

// secretIn reports whether a word expands a secret: a secret ${{ }}
// expression or a variable bound to one.
func (c *shellCheck) secretIn(w *syntax.Word) bool {
	found := false
	var parts func(ps []syntax.WordPart)
	lit := func(s string) {
		for _, m := range placeholderRE.FindAllString(s, -1) {
			if c.exprs[m] {
				found = true
			}
		}
	}
	parts = func(ps []syntax.WordPart) {
		for _, p := range ps {
			switch x := p.(type) {
			case *syntax.Lit:
				lit(x.Value)
			case *syntax.SglQuoted:
				lit(x.Value)
			case *syntax.DblQuoted:
				parts(x.Parts)
			case *syntax.ParamExp:
				// ${#T} is a length and ${T:+set} a fixed word, not the value.
				alt := x.Exp != nil && (x.Exp.Op == syntax.AlternateUnset || x.Exp.Op == syntax.AlternateUnsetOrNull)
				if x.Param != nil && !x.Length && !x.IsSet && !alt && c.isSecretVar(x.Param.Value) {
					found = true
				}
				if x.Exp != nil && x.Exp.Word != nil {
					parts(x.Exp.Word.Parts)
				}
			}
		}
	}
	parts(w.Parts)
	return found
}
