package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// envVar is one environment variable as a delivery file sets it.
type envVar struct {
	Name  string
	Value string
	// Literal is false when the value comes from elsewhere (a secretKeyRef,
	// a build argument, a ${VAR} reference).
	Literal bool
	// FromSecret is true when the value is taken from a secret store.
	FromSecret bool
	Line, Col  int
	// From is the file that sets the variable when it is not the file
	// being checked (a ConfigMap loaded through envFrom, an
	// EnvironmentFile); nil otherwise.
	From *envFile
}

// set reports whether the variable has a non-empty value.
func (v envVar) set() bool { return v.Value != "" || !v.Literal }

// envSet is the environment one unit receives: an env file, a container, a
// Dockerfile stage, a Truss config.
type envSet struct {
	Vars []envVar
	// Open is true when more variables may arrive from elsewhere (envFrom,
	// env_file), so an absent variable proves nothing.
	Open bool
	// What names the unit in messages ("container api").
	What      string
	Origin    origin
	Line, Col int
	// pending are the ConfigMaps of other files the set still needs.
	pending []pendingRef
}

func (s *envSet) lookup(name string) (envVar, bool) {
	for i := len(s.Vars) - 1; i >= 0; i-- {
		if s.Vars[i].Name == name {
			return s.Vars[i], true
		}
	}
	return envVar{}, false
}

// parseDotenv reads KEY=value lines the way dotenv loaders do: optional
// `export`, # comments, single quotes (raw), double quotes (escapes, may
// span lines) and unquoted values ending at an inline ` #` comment.
func parseDotenv(data []byte) ([]envVar, error) {
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("parse env file: not valid UTF-8")
	}
	var out []envVar
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		raw := lines[i]
		s := strings.TrimLeft(raw, " \t")
		indent := len(raw) - len(s)
		if s == "" || s[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(s, "export "); ok {
			trimmed := strings.TrimLeft(rest, " \t")
			indent += len(s) - len(trimmed)
			s = trimmed
		}
		eq := strings.IndexAny(s, "=:")
		if eq <= 0 {
			return nil, fmt.Errorf("parse env file: line %d: want KEY=value", i+1)
		}
		name := strings.TrimSpace(s[:eq])
		if !validEnvName(name) {
			// The name is not quoted: a malformed line may be a bare credential.
			return nil, fmt.Errorf("parse env file: line %d: bad variable name", i+1)
		}
		v := strings.TrimLeft(s[eq+1:], " \t")
		line := i + 1
		val := ""
		switch {
		case strings.HasPrefix(v, "'"):
			end := strings.IndexByte(v[1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("parse env file: line %d: unterminated single quote", line)
			}
			val = v[1 : 1+end]
		case strings.HasPrefix(v, `"`):
			var b strings.Builder
			body := v[1:]
			closed := false
			for !closed {
				for j := 0; j < len(body); j++ {
					c := body[j]
					if c == '\\' && j+1 < len(body) {
						j++
						switch body[j] {
						case 'n':
							b.WriteByte('\n')
						case 't':
							b.WriteByte('\t')
						default:
							b.WriteByte(body[j])
						}
						continue
					}
					if c == '"' {
						closed = true
						break
					}
					b.WriteByte(c)
				}
				if !closed {
					if i+1 >= len(lines) {
						return nil, fmt.Errorf("parse env file: line %d: unterminated double quote", line)
					}
					i++
					b.WriteByte('\n')
					body = lines[i]
				}
			}
			val = b.String()
		case strings.HasPrefix(v, "#"):
			val = ""
		default:
			if j := strings.Index(v, " #"); j >= 0 {
				v = v[:j]
			}
			if j := strings.Index(v, "\t#"); j >= 0 {
				v = v[:j]
			}
			val = strings.TrimSpace(v)
		}
		out = append(out, envVar{Name: name, Value: val, Literal: !isReference(val), Line: line, Col: indent + 1})
	}
	return out, nil
}

func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || c == '.' || c == '-' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'):
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// isReference reports whether a value only refers to another variable or a
// template expression rather than holding data itself.
func isReference(v string) bool {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return false
	case strings.HasPrefix(v, "${") && strings.HasSuffix(v, "}") && strings.Count(v, "${") == 1:
		return true
	case strings.HasPrefix(v, "$(") && strings.HasSuffix(v, ")"):
		return true
	case strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}"):
		return true
	case strings.HasPrefix(v, "$") && validEnvName(v[1:]):
		return true
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
