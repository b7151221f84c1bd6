package policy

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"
)

// tfDocs parses a Terraform file and returns the policy documents it holds
// inline, as node trees with the file's line numbers: jsonencode({...})
// arguments, heredoc or quoted JSON in *policy attributes, and
// aws_iam_policy_document data sources rewritten into the JSON shape.
func tfDocs(path string, data []byte) (docs []*yaml.Node, err error) {
	t, err := tfParse(path, data)
	if err != nil {
		return nil, err
	}
	return t.docs, nil
}

// tfParse parses a Terraform file into its inline policy documents and
// ECS container definition lists.
func tfParse(path string, data []byte) (t *tfConv, err error) {
	defer func() {
		if p := recover(); p != nil {
			t, err = nil, fmt.Errorf("hcl parser failed: %v", p)
		}
	}()
	f, diags := hclsyntax.ParseConfig(data, path, hcl.InitialPos)
	if syntaxErrors(diags) || f == nil {
		return nil, fmt.Errorf("parse terraform: %s", firstDiag(diags))
	}
	t = &tfConv{src: data}
	if body, ok := f.Body.(*hclsyntax.Body); ok {
		t.body(body, nil)
	}
	return t, nil
}

// syntaxErrors reports whether the diagnostics hold an error other than a
// repeated attribute, which leaves a usable tree (the last value wins).
func syntaxErrors(d hcl.Diagnostics) bool {
	for _, x := range d {
		if x.Severity == hcl.DiagError && x.Summary != "Attribute redefined" {
			return true
		}
	}
	return false
}

func firstDiag(d hcl.Diagnostics) string {
	for _, x := range d {
		if x.Severity == hcl.DiagError {
			if x.Subject != nil {
				return fmt.Sprintf("line %d: %s: %s", x.Subject.Start.Line, x.Summary, x.Detail)
			}
			return x.Summary + ": " + x.Detail
		}
	}
	return d.Error()
}

type tfConv struct {
	src  []byte
	docs []*yaml.Node
	// ecs holds container_definitions lists (ECS task definitions).
	ecs []*yaml.Node
}

func (t *tfConv) body(b *hclsyntax.Body, labels []string) {
	for _, a := range b.Attributes {
		t.attr(a)
	}
	for _, blk := range b.Blocks {
		if blk.Type == "data" && len(blk.Labels) > 0 && blk.Labels[0] == "aws_iam_policy_document" {
			t.docs = append(t.docs, t.policyDocument(blk))
			continue
		}
		t.body(blk.Body, blk.Labels)
	}
}

func (t *tfConv) attr(a *hclsyntax.Attribute) {
	hclsyntax.VisitAll(a.Expr, func(n hclsyntax.Node) hcl.Diagnostics {
		if fc, ok := n.(*hclsyntax.FunctionCallExpr); ok && fc.Name == "jsonencode" && len(fc.Args) == 1 {
			d := t.node(fc.Args[0])
			t.docs = append(t.docs, d)
			if a.Name == "container_definitions" {
				t.ecs = append(t.ecs, d)
			}
		}
		return nil
	})
	isECS := a.Name == "container_definitions"
	if !strings.Contains(strings.ToLower(a.Name), "policy") && !isECS {
		return
	}
	var tmpl *hclsyntax.TemplateExpr
	switch e := a.Expr.(type) {
	case *hclsyntax.TemplateExpr:
		tmpl = e
	default:
		return
	}
	text := t.templateText(tmpl)
	if !strings.Contains(text, "Statement") && !isECS {
		return
	}
	// A heredoc's content begins on the line after its opening marker.
	startLine := tmpl.SrcRange.Start.Line
	if len(tmpl.Parts) > 0 {
		startLine = tmpl.Parts[0].Range().Start.Line
	}
	n, err := parseJSON([]byte(text))
	if err != nil {
		return // not JSON after all (an interpolated policy); nothing to check
	}
	walk(n, func(x *yaml.Node) bool {
		x.Line += startLine - 1
		return true
	})
	t.docs = append(t.docs, n)
	if isECS {
		t.ecs = append(t.ecs, n)
	}
}

// templateText renders a template with its interpolations kept as ${...}
// source text, which stays valid inside JSON strings.
func (t *tfConv) templateText(e *hclsyntax.TemplateExpr) string {
	var b strings.Builder
	for _, p := range e.Parts {
		if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			b.WriteString(lit.Val.AsString())
			continue
		}
		b.WriteString("${" + t.text(p.Range()) + "}")
	}
	return b.String()
}

func (t *tfConv) text(r hcl.Range) string {
	if r.Start.Byte < 0 || r.End.Byte > len(t.src) || r.Start.Byte > r.End.Byte {
		return "?"
	}
	return string(t.src[r.Start.Byte:r.End.Byte])
}

// node converts an HCL expression into a node tree: objects become
// mappings, tuples sequences, literals scalars and anything computed a
// "${source}" scalar tagged !expr.
func (t *tfConv) node(e hclsyntax.Expression) *yaml.Node {
	r := e.Range()
	n := &yaml.Node{Line: r.Start.Line, Column: r.Start.Column}
	switch x := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
		for _, it := range x.Items {
			k := t.node(it.KeyExpr)
			if kw := hcl.ExprAsKeyword(it.KeyExpr); kw != "" {
				k.Kind, k.Tag, k.Value = yaml.ScalarNode, "!!str", kw
			}
			n.Content = append(n.Content, k, t.node(it.ValueExpr))
		}
		return n
	case *hclsyntax.ObjectConsKeyExpr:
		if kw := hcl.ExprAsKeyword(x.Wrapped); kw != "" && !x.ForceNonLiteral {
			n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", kw
			return n
		}
		return t.node(x.Wrapped)
	case *hclsyntax.TupleConsExpr:
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		for _, it := range x.Exprs {
			n.Content = append(n.Content, t.node(it))
		}
		return n
	case *hclsyntax.TemplateExpr:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", t.templateText(x)
		return n
	case *hclsyntax.LiteralValueExpr:
		n.Kind = yaml.ScalarNode
		v := x.Val
		switch {
		case v.IsNull() || !v.IsKnown():
			n.Tag, n.Value = "!!null", "null"
		case v.Type() == cty.String:
			n.Tag, n.Value = "!!str", v.AsString()
		case v.Type() == cty.Number:
			n.Tag, n.Value = "!!int", v.AsBigFloat().Text('f', -1)
		case v.Type() == cty.Bool:
			n.Tag, n.Value = "!!bool", fmt.Sprint(v.True())
		default:
			n.Tag, n.Value = "!expr", "${"+t.text(r)+"}"
		}
		return n
	case *hclsyntax.ParenthesesExpr:
		return t.node(x.Expression)
	}
	n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!expr", "${"+t.text(r)+"}"
	return n
}

// policyDocument rewrites a data "aws_iam_policy_document" block into the
// JSON policy shape.
func (t *tfConv) policyDocument(blk *hclsyntax.Block) *yaml.Node {
	doc := mapping(blk.TypeRange.Start.Line, blk.TypeRange.Start.Column)
	var sts []*yaml.Node
	for _, s := range blocksOf(blk.Body, "statement") {
		st := mapping(s.TypeRange.Start.Line, s.TypeRange.Start.Column)
		effect := "Allow"
		for name, a := range s.Body.Attributes {
			key := map[string]string{
				"sid": "Sid", "effect": "Effect", "actions": "Action", "not_actions": "NotAction",
				"resources": "Resource", "not_resources": "NotResource",
			}[name]
			if key == "" {
				continue
			}
			v := t.node(a.Expr)
			if key == "Effect" {
				effect = ""
			}
			st.Content = append(st.Content, scalarAt(key, a.SrcRange), v)
		}
		if effect != "" {
			st.Content = append(st.Content, scalarAt("Effect", s.TypeRange), scalarAt(effect, s.TypeRange))
		}
		var conds []*yaml.Node
		var inner []*hclsyntax.Block
		inner = append(inner, blocksOf(s.Body, "principals")...)
		inner = append(inner, blocksOf(s.Body, "not_principals")...)
		inner = append(inner, blocksOf(s.Body, "condition")...)
		for _, pb := range inner {
			switch pb.Type {
			case "principals", "not_principals":
				key := "Principal"
				if pb.Type == "not_principals" {
					key = "NotPrincipal"
				}
				typ, ids := "", (*yaml.Node)(nil)
				if a := pb.Body.Attributes["type"]; a != nil {
					typ = t.node(a.Expr).Value
				}
				if a := pb.Body.Attributes["identifiers"]; a != nil {
					ids = t.node(a.Expr)
				}
				if ids == nil {
					continue
				}
				p := get(st, key)
				if p == nil {
					p = mapping(pb.TypeRange.Start.Line, pb.TypeRange.Start.Column)
					st.Content = append(st.Content, scalarAt(key, pb.TypeRange), p)
				}
				if typ == "*" {
					typ = "AWS"
				}
				p.Content = append(p.Content, scalarAt(typ, pb.TypeRange), ids)
			case "condition":
				test, variable := "", ""
				var vals *yaml.Node
				if a := pb.Body.Attributes["test"]; a != nil {
					test = t.node(a.Expr).Value
				}
				if a := pb.Body.Attributes["variable"]; a != nil {
					variable = t.node(a.Expr).Value
				}
				if a := pb.Body.Attributes["values"]; a != nil {
					vals = t.node(a.Expr)
				}
				if vals == nil {
					vals = scalarAt("", pb.TypeRange)
				}
				c := mapping(pb.TypeRange.Start.Line, pb.TypeRange.Start.Column)
				c.Content = append(c.Content, scalarAt(variable, pb.TypeRange), vals)
				conds = append(conds, scalarAt(test, pb.TypeRange), c)
			}
		}
		if len(conds) > 0 {
			c := mapping(s.TypeRange.Start.Line, s.TypeRange.Start.Column)
			c.Content = conds
			st.Content = append(st.Content, scalarAt("Condition", s.TypeRange), c)
		}
		sts = append(sts, st)
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: doc.Line, Column: doc.Column, Content: sts}
	doc.Content = append(doc.Content, scalarAt("Statement", blk.TypeRange), seq)
	return doc
}

// blocksOf returns the blocks of a type in a body, with each
// `dynamic "<type>" { content { ... } }` standing for one such block (its
// for_each is not evaluated).
func blocksOf(b *hclsyntax.Body, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, blk := range b.Blocks {
		switch {
		case blk.Type == typ:
			out = append(out, blk)
		case blk.Type == "dynamic" && len(blk.Labels) == 1 && blk.Labels[0] == typ:
			for _, c := range blk.Body.Blocks {
				if c.Type == "content" {
					cp := *c
					cp.Type = typ
					out = append(out, &cp)
				}
			}
		}
	}
	return out
}

func mapping(line, col int) *yaml.Node {
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: col}
}

func scalarAt(v string, r hcl.Range) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Line: r.Start.Line, Column: r.Start.Column}
}
