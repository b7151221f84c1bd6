package policy

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/secretlint/secretlint/rules"
)

func (r *runner) checkDotenv(rep *report, p string, data []byte, template bool) error {
	vars, err := parseDotenv(data)
	if err != nil {
		return err
	}
	r.checkEnvSet(rep, &envSet{Vars: vars, What: "env file " + lastElem(p), Origin: originDotenv, Line: 1, Col: 1})
	if template {
		for _, v := range vars {
			if why := r.looksReal(v.Name, v.Value); why != "" {
				rep.add("dotenv-template-value", v.Line, v.Col, "key:"+v.Name, v.Value,
					fmt.Sprintf("template entry %s holds a value that looks real (%s); templates are committed and must hold placeholders", v.Name, why))
			}
		}
		return nil
	}
	if r.fs != nil {
		if why := r.fs.dotenvExposed(p); why != "" {
			rep.add("dotenv-not-ignored", 1, 1, "dotenv", "", fmt.Sprintf("%s %s", lastElem(p), why))
		}
	}
	return nil
}

// looksReal says why a template value looks like a real credential, or ""
// when it looks like a placeholder or harmless setting.
func (r *runner) looksReal(name, value string) string {
	v := strings.TrimSpace(value)
	if v == "" || isReference(v) || rules.IsPlaceholder([]byte(v)) || strings.Trim(v, "0-") == "" || typedPlaceholder(v) {
		return ""
	}
	if r.rules != nil {
		line := []byte(name + "=" + v)
		for _, m := range r.rules.Find(line) {
			// Generic rules key on the name alone; the shape tests below
			// judge those values instead.
			if m.Start > len(name) && !strings.HasPrefix(m.Rule.ID, "generic") && !rules.IsPlaceholder(m.Secret(line)) {
				return "matches rule " + m.Rule.ID
			}
		}
	}
	if u, err := url.Parse(v); err == nil && u.Scheme != "" && u.Host != "" {
		if pw, ok := u.User.Password(); ok && len(pw) >= 8 && !rules.IsPlaceholder([]byte(pw)) && rules.Entropy([]byte(pw)) >= 3 {
			return "URL with an embedded password"
		}
		return ""
	}
	if len(v) < 12 || strings.ContainsAny(v, " \t/,") || hostLike.MatchString(v) {
		return ""
	}
	ent := rules.Entropy([]byte(v))
	switch {
	case secretName(name) && ent >= 3.0 && hasLetterAndDigit(v):
		return fmt.Sprintf("random-looking value, %.1f bits/char, for a secret-named key", ent)
	case len(v) >= 20 && ent >= 4.0:
		return fmt.Sprintf("high-entropy value, %.1f bits/char", ent)
	}
	return ""
}

// typedPlaceholder reports whether v is words joined by - or _ with one
// counting run among them (secure-password-123, demo-root-token-12345,
// api-key-demo-567890abcdef): a value a person typed to stand for a
// credential, not one a system generated.
func typedPlaceholder(v string) bool {
	parts := strings.FieldsFunc(v, func(r rune) bool { return r == '-' || r == '_' })
	words, runs := 0, 0
	for _, p := range parts {
		switch {
		case countingRun(p):
			runs++
		case strings.Trim(strings.ToLower(p), "abcdefghijklmnopqrstuvwxyz") == "":
			words++
		default:
			return false
		}
	}
	return words >= 2 && runs == 1
}

// countingRun reports whether s is three or more consecutive characters of
// 1234567890abcdef…z, as people type them (123, 12345, 567890abcdef).
func countingRun(s string) bool {
	const order = "1234567890abcdefghijklmnopqrstuvwxyz"
	s = strings.ToLower(s)
	if len(s) < 3 {
		return false
	}
	i := strings.IndexByte(order, s[0])
	return i >= 0 && strings.HasPrefix(order[i:], s)
}

// hostLike matches host names, domain lists and dotted identifiers.
var hostLike = regexp.MustCompile(`^[a-z0-9*][a-z0-9.*:-]*\.[a-z0-9.*:-]+$`)

func hasLetterAndDigit(s string) bool {
	l, d := false, false
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			d = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			l = true
		}
	}
	return l && d
}

// nonSecretSuffixes end variable names that describe a secret without
// holding one (MLFLOW_AWS_SECRET_NAME, DB_PASSWORD_FILE).
var nonSecretSuffixes = []string{
	"_NAME", "_ARN", "_FILE", "_PATH", "_DIR", "_ID", "_URL", "_URI", "_HOST", "_HOSTS", "_ENABLE",
	"_ENABLED", "_MODE", "_SEC", "_VERSION", "_LEVEL", "_TYPE", "_PROVIDER", "_REGION", "_LENGTH",
	"_SIZE", "_MOUNT", "_REF", "_ENV", "_VAR", "_PREFIX", "_LOCATION", "_STORE", "_BACKEND",
}

// secretName reports whether a variable name says it holds a secret:
// *_TOKEN, *_KEY, *PASSWORD*, *SECRET* and the like.
func secretName(name string) bool {
	n := strings.ReplaceAll(strings.ToUpper(name), "-", "_")
	for _, s := range nonSecretSuffixes {
		if strings.HasSuffix(n, s) {
			return false
		}
	}
	switch n {
	case "GPG_KEY", "GPG_KEYS", "PUBLIC_KEY":
		return false
	}
	if strings.HasSuffix(n, "_PUBLIC_KEY") || strings.HasSuffix(n, "_PUB_KEY") {
		return false
	}
	switch {
	case strings.Contains(n, "PASSWORD") || strings.Contains(n, "PASSWD") || strings.Contains(n, "SECRET"):
		return true
	case strings.HasSuffix(n, "_TOKEN") || n == "TOKEN" || strings.HasSuffix(n, "_KEY") || strings.HasSuffix(n, "APIKEY") || n == "KEY":
		return true
	case strings.HasSuffix(n, "_CREDENTIALS") || strings.HasSuffix(n, "_PASS") || strings.HasSuffix(n, "_PWD"):
		return true
	}
	return false
}
