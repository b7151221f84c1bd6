package policy

import (
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Statement is one statement of an AWS IAM policy document, wherever it was
// found: a JSON policy file, CloudFormation, or Terraform (jsonencode,
// heredoc JSON, aws_iam_policy_document). Values that are computed there
// (!Ref, ${var.x}) appear as "${...}" text.
type Statement struct {
	Path         string
	Line, Column int
	Sid          string
	Effect       string
	Actions      []string
	NotActions   []string
	Resources    []string
	NotResources []string
	// Principals maps a principal type (AWS, Service, Federated,
	// CanonicalUser) to its values; `"Principal": "*"` is {"*": ["*"]}.
	Principals map[string][]string
	// NotPrincipal is true when the statement uses NotPrincipal.
	NotPrincipal bool
	// Conditions maps an operator to condition keys and their values.
	Conditions map[string]map[string][]string

	node *yaml.Node
}

// IAMStatements returns the IAM policy statements in a file, chosen by its
// extension: .tf (HCL), .json, .yaml/.yml (CloudFormation or any YAML that
// embeds policy documents). It returns an error when the file does not
// parse.
func IAMStatements(path string, data []byte) ([]Statement, error) {
	var docs []*yaml.Node
	var err error
	switch strings.ToLower(extOf(path)) {
	case ".tf":
		docs, err = tfDocs(path, data)
	case ".json":
		var n *yaml.Node
		if n, err = parseJSON(data); n != nil {
			docs = []*yaml.Node{n}
		}
	case ".yaml", ".yml", ".template":
		docs, err = parseYAML(data)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Statement
	for _, d := range docs {
		out = append(out, statementsIn(path, d)...)
	}
	return out, nil
}

func extOf(p string) string {
	i := strings.LastIndexAny(p, "./\\")
	if i < 0 || p[i] != '.' {
		return ""
	}
	return p[i:]
}

// statementsIn finds every policy document (a mapping with a Statement key)
// under n.
func statementsIn(path string, n *yaml.Node) []Statement {
	var out []Statement
	walk(n, func(x *yaml.Node) bool {
		if x.Kind != yaml.MappingNode {
			return true
		}
		st := get(x, "Statement")
		if st == nil || (st.Kind != yaml.SequenceNode && st.Kind != yaml.MappingNode) {
			return true
		}
		for _, s := range items(st) {
			if s.Kind == yaml.MappingNode {
				out = append(out, statementOf(path, s))
			}
		}
		return true
	})
	return out
}

func statementOf(path string, s *yaml.Node) Statement {
	st := Statement{Path: path, Line: s.Line, Column: s.Column, node: s}
	if len(s.Content) > 0 {
		st.Line, st.Column = s.Content[0].Line, s.Content[0].Column
	}
	st.Sid, _ = cfnString(get(s, "Sid"))
	st.Effect, _ = cfnString(get(s, "Effect"))
	st.Actions = cfnStrings(get(s, "Action"))
	st.NotActions = cfnStrings(get(s, "NotAction"))
	st.Resources = cfnStrings(get(s, "Resource"))
	st.NotResources = cfnStrings(get(s, "NotResource"))
	p := get(s, "Principal")
	if p == nil {
		p = get(s, "NotPrincipal")
		st.NotPrincipal = p != nil
	}
	if p != nil {
		st.Principals = map[string][]string{}
		if v, ok := cfnString(p); ok {
			st.Principals[v] = []string{v}
		}
		pairs(p, func(k, v *yaml.Node) {
			st.Principals[k.Value] = append(st.Principals[k.Value], cfnStrings(v)...)
		})
	}
	if c := get(s, "Condition"); c != nil {
		st.Conditions = map[string]map[string][]string{}
		pairs(c, func(op, m *yaml.Node) {
			keys := map[string][]string{}
			pairs(m, func(k, v *yaml.Node) { keys[k.Value] = cfnStrings(v) })
			st.Conditions[op.Value] = keys
		})
	}
	return st
}

// cfnString reads a scalar, rendering CloudFormation intrinsics (!Ref X,
// {"Fn::GetAtt": [...]}, !Sub "...") as "${...}" text.
func cfnString(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n == nil {
		return "", false
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "", false
		}
		switch n.Tag {
		case "!Ref", "!GetAtt", "!ImportValue", "!FindInMap", "!If", "!Select", "!GetAZs":
			return "${" + n.Value + "}", true
		}
		return n.Value, true
	case yaml.SequenceNode:
		if strings.HasPrefix(n.Tag, "!") && n.Tag != "!!seq" {
			return fnText(n.Tag[1:], n), true
		}
	case yaml.MappingNode:
		if len(n.Content) == 2 {
			k := n.Content[0].Value
			if k == "Ref" || strings.HasPrefix(k, "Fn::") {
				return fnText(strings.TrimPrefix(k, "Fn::"), deref(n.Content[1])), true
			}
		}
	}
	return "", false
}

// fnText renders an intrinsic function: Sub keeps its template text, Join
// joins its parts, anything else becomes an opaque ${Fn(...)}.
func fnText(fn string, arg *yaml.Node) string {
	switch fn {
	case "Ref":
		if s, ok := cfnString(arg); ok {
			return "${" + s + "}"
		}
	case "Sub":
		if s, ok := cfnString(arg); ok && arg.Kind == yaml.ScalarNode {
			return s
		}
		if arg != nil && arg.Kind == yaml.SequenceNode && len(arg.Content) > 0 {
			if s, ok := cfnString(arg.Content[0]); ok {
				return s
			}
		}
	case "Join":
		if arg != nil && arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 {
			sep, _ := cfnString(arg.Content[0])
			var parts []string
			for _, p := range items(arg.Content[1]) {
				s, ok := cfnString(p)
				if !ok {
					s = "${?}"
				}
				parts = append(parts, s)
			}
			return strings.Join(parts, sep)
		}
	}
	return "${" + fn + "(...)}"
}

func cfnStrings(n *yaml.Node) []string {
	n = deref(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.SequenceNode && (n.Tag == "" || n.Tag == "!!seq") {
		var out []string
		for _, it := range items(n) {
			if s, ok := cfnString(it); ok {
				out = append(out, s)
			}
		}
		return out
	}
	if s, ok := cfnString(n); ok {
		return []string{s}
	}
	return nil
}

// Actions that read a secret value.
var secretReadActions = []string{
	"secretsmanager:GetSecretValue",
	"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
	"kms:Decrypt",
}

// actionMatches reports whether an IAM action pattern (with * and ?)
// grants the action. IAM action names are case-insensitive.
func actionMatches(pattern, action string) bool {
	return globMatch(strings.ToLower(pattern), strings.ToLower(action))
}

// globMatch matches IAM-style wildcards: * any run, ? one character.
func globMatch(p, s string) bool {
	px, sx := 0, 0
	nextP, nextS := -1, -1
	for px < len(p) || sx < len(s) {
		if px < len(p) {
			switch c := p[px]; c {
			case '*':
				nextP, nextS = px, sx+1
				px++
				continue
			case '?':
				if sx < len(s) {
					px++
					sx++
					continue
				}
			default:
				if sx < len(s) && s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if nextS > 0 && nextS <= len(s) {
			px, sx = nextP, nextS
			continue
		}
		return false
	}
	return true
}

// wildcardResource reports whether a resource covers every secret,
// parameter or key: "*" or an ARN whose resource part is only a wildcard.
var wildcardARN = regexp.MustCompile(`^arn:[^:]*:(secretsmanager|ssm|kms):(?:\$\{[^}]*\}|[^:])*:(?:\$\{[^}]*\}|[^:])*:(secret:\*|parameter/?\*|key/\*|\*)$`)

func wildcardResource(r string) bool { return r == "*" || wildcardARN.MatchString(r) }

// secretARNPrefix matches a Secrets Manager ARN whose name ends in a bare *.
var secretARN = regexp.MustCompile(`^arn:[^:]*:secretsmanager:(?:\$\{[^}]*\}|[^:])*:(?:\$\{[^}]*\}|[^:])*:secret:(.+)$`)

var accountID = regexp.MustCompile(`^\d{12}$`)
var iamARNAccount = regexp.MustCompile(`^arn:[^:]*:(?:iam|sts)::(\d{12}):`)

func (r *runner) checkIAM(rep *report, st Statement) {
	if !strings.EqualFold(st.Effect, "Allow") {
		return
	}
	resourcePolicy := st.Principals != nil
	desc := "statement"
	if st.Sid != "" {
		desc = "statement " + st.Sid
	}
	subject := "sid:" + st.Sid

	if !resourcePolicy {
		flagged := false
		for _, a := range st.Actions {
			la := strings.ToLower(a)
			if la == "*" || la == "secretsmanager:*" {
				n := valueNode(st.node, "Action", a)
				rep.add("iam-wildcard-secret-access", n.Line, n.Column, subject+":"+a, "",
					fmt.Sprintf("%s allows action %q, which includes reading every secret value", desc, a))
				flagged = true
				break
			}
		}
		if !flagged {
		outer:
			for _, a := range st.Actions {
				for _, want := range secretReadActions {
					if !actionMatches(a, want) {
						continue
					}
					for _, res := range st.Resources {
						if wildcardResource(res) {
							n := valueNode(st.node, "Resource", res)
							rep.add("iam-wildcard-secret-access", n.Line, n.Column, subject+":"+want, "",
								fmt.Sprintf("%s allows %s on resource %q, so the role can read every secret it can see; scope it to exact ARNs", desc, want, res))
							break outer
						}
					}
				}
			}
		}
	}

	for _, res := range st.Resources {
		m := secretARN.FindStringSubmatch(res)
		if m == nil {
			continue
		}
		name := m[1]
		if !strings.HasSuffix(name, "*") || name == "*" {
			continue
		}
		prefix := strings.TrimRight(name, "*")
		if prefix == "" || strings.HasSuffix(prefix, "/") || strings.HasSuffix(prefix, "-??????") || strings.Contains(prefix, "${") && strings.HasSuffix(prefix, "}") {
			continue
		}
		n := valueNode(st.node, "Resource", res)
		rep.add("iam-secret-arn-prefix-wildcard", n.Line, n.Column, subject+":"+res, "",
			fmt.Sprintf("resource %q also matches any other secret whose name starts with %q; use %q", res, prefix, strings.TrimSuffix(prefix, "-")+"-??????"))
	}

	if resourcePolicy && !st.NotPrincipal {
		grantsAssume := false
		for _, a := range st.Actions {
			if actionMatches(a, "sts:AssumeRole") {
				grantsAssume = true
			}
		}
		if grantsAssume && !hasConditionKey(st, "sts:ExternalId") {
			for _, p := range st.Principals["AWS"] {
				acct := ""
				if accountID.MatchString(p) {
					acct = p
				} else if m := iamARNAccount.FindStringSubmatch(p); m != nil {
					acct = m[1]
				}
				if acct == "" || trusted(r.limits, acct) {
					continue
				}
				n := valueNode(st.node, "Principal", p)
				rep.add("iam-assume-role-no-external-id", n.Line, n.Column, subject+":"+p, "",
					fmt.Sprintf("%s lets account %s assume this role with no sts:ExternalId condition (confused-deputy risk)", desc, acct))
			}
		}
		star := false
		for typ, vs := range st.Principals {
			for _, v := range vs {
				if v == "*" && (typ == "*" || typ == "AWS") {
					star = true
				}
			}
		}
		if star && len(st.Conditions) == 0 {
			n := get(st.node, "Principal")
			if n == nil {
				n = st.node
			}
			rep.add("iam-principal-wildcard", n.Line, n.Column, subject+":principal", "",
				fmt.Sprintf("%s allows any AWS principal (%q) with no condition", desc, "*"))
		}
	}
}

func hasConditionKey(st Statement, key string) bool {
	for _, keys := range st.Conditions {
		for k := range keys {
			if strings.EqualFold(k, key) {
				return true
			}
		}
	}
	return false
}

// valueNode finds the node holding value under key (searching nested
// mappings such as Principal.AWS) so findings point at the exact line.
func valueNode(st *yaml.Node, key, value string) *yaml.Node {
	v := get(st, key)
	if v == nil {
		return st
	}
	var found *yaml.Node
	walk(v, func(n *yaml.Node) bool {
		if found != nil {
			return false
		}
		if s, ok := cfnString(n); ok && s == value && n.Kind == yaml.ScalarNode {
			found = n
			return false
		}
		if s, ok := cfnString(n); ok && s == value {
			found = n
			return false
		}
		return true
	})
	if found == nil {
		return v
	}
	return found
}
