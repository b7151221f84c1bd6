package policy

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// shellEnv returns the environment a shell script exports: `export X=…`,
// `declare -x X=…`, assignments while `set -a` is on, a plain `X=…` later
// exported with `export X`, and `X=… cmd` (and `env X=… cmd`) prefixes.
// open is true when the script sources another file (`.`, `source`),
// which may set more.
func shellEnv(src string) (vars []envVar, open bool, err error) {
	f, err := parseShell(src)
	if err != nil {
		return nil, false, fmt.Errorf("parse shell script: %w", err)
	}
	allexport := false
	assigned := map[string]envVar{} // set but not (yet) exported
	value := func(w *syntax.Word) (string, bool) {
		if w == nil {
			return "", true
		}
		if s, ok := wordLiteral(w); ok {
			return s, true
		}
		a, b := int(w.Pos().Offset()), int(w.End().Offset())
		if a < 0 || b > len(src) || a > b {
			return "", false
		}
		return src[a:b], false
	}
	assign := func(a *syntax.Assign) (envVar, bool) {
		if a == nil || a.Name == nil || a.Array != nil || a.Index != nil || a.Append {
			return envVar{}, false
		}
		v, lit := value(a.Value)
		return envVar{Name: a.Name.Value, Value: v, Literal: lit && literalValue(v),
			Line: int(a.Pos().Line()), Col: int(a.Pos().Col())}, true
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch x := n.(type) {
		case *syntax.CallExpr:
			if len(x.Args) == 0 {
				for _, a := range x.Assigns {
					if v, ok := assign(a); ok {
						if allexport {
							vars = append(vars, v)
						} else {
							assigned[v.Name] = v
						}
					}
				}
				return true
			}
			for _, a := range x.Assigns {
				if v, ok := assign(a); ok {
					vars = append(vars, v) // the command's environment
				}
			}
			args := x.Args
			switch args[0].Lit() {
			case "set":
				for i, a := range args[1:] {
					w := a.Lit()
					on := strings.HasPrefix(w, "-")
					switch {
					case (w == "-o" || w == "+o") && i+2 < len(args) && args[i+2].Lit() == "allexport":
						allexport = on
					case len(w) > 1 && !strings.HasPrefix(w, "--") && (w[0] == '-' || w[0] == '+') && strings.Contains(w[1:], "a"):
						allexport = on
					}
				}
			case "source", ".":
				open = true
			case "env":
				for _, a := range args[1:] {
					w, ok := wordLiteral(a)
					if strings.HasPrefix(w, "-") {
						continue
					}
					name, val, has := strings.Cut(w, "=")
					if !ok || !has || !validEnvName(name) {
						break
					}
					vars = append(vars, envVar{Name: name, Value: val, Literal: literalValue(val),
						Line: int(a.Pos().Line()), Col: int(a.Pos().Col())})
				}
			}
		case *syntax.DeclClause:
			exported := x.Variant.Value == "export"
			if x.Variant.Value == "declare" || x.Variant.Value == "typeset" {
				for _, a := range x.Args {
					if a.Name == nil && a.Value != nil {
						if fl := a.Value.Lit(); strings.HasPrefix(fl, "-") && strings.Contains(fl, "x") {
							exported = true
						}
					}
				}
			}
			if !exported {
				for _, a := range x.Args {
					if v, ok := assign(a); ok && !a.Naked {
						assigned[v.Name] = v
					}
				}
				return true
			}
			for _, a := range x.Args {
				if a.Name == nil {
					continue
				}
				if a.Naked {
					if v, ok := assigned[a.Name.Value]; ok {
						vars = append(vars, v)
					}
					continue
				}
				if v, ok := assign(a); ok {
					vars = append(vars, v)
				}
			}
		}
		return true
	})
	return vars, open, nil
}

// wordLiteral returns a shell word's value when it holds no expansion.
func wordLiteral(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch x := p.(type) {
		case *syntax.Lit:
			b.WriteString(x.Value)
		case *syntax.SglQuoted:
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, q := range x.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok {
					return "", false
				}
				b.WriteString(l.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

func (r *runner) checkShell(rep *report, p string, data []byte) error {
	vars, open, err := shellEnv(string(data))
	if err != nil {
		return err
	}
	r.checkEnvSet(rep, &envSet{Vars: vars, Open: open, What: "shell script " + lastElem(p), Origin: originShell, Line: 1, Col: 1})
	return nil
}
