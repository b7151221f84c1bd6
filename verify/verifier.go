package verify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Credential is what a verifier sends: the finding's secret and, for
// credentials in two parts (an AWS key id and its secret), the partner's.
type Credential struct {
	Secret  string
	Partner string
}

// Outcome is a verifier's reading of the provider's answer.
type Outcome struct {
	Status   string
	Identity map[string]string
	Scopes   []string
	Detail   string
}

// Verifier checks one provider's credentials with one read-only request.
// Most are data only: where the credential goes, and which fields of a
// successful JSON answer name the owner and the scopes. Read is the small
// function for providers whose answers need more.
type Verifier struct {
	// Provider names the verifier in docs and results, and groups
	// verifiers under one concurrency and rate limit.
	Provider string
	// Rules are the rule ids whose findings it checks.
	Rules []string
	// Partner is the rule id of the other part of a two-part credential.
	// A finding of Partner is checked too, paired with the nearest finding
	// of Rules in the same file.
	Partner string
	// Host is the provider's API host. It is fixed: never taken from the
	// scanned content. Empty for a product that only runs self-hosted
	// (Vault, Databricks), which is asked only at --verify-hosts hosts.
	Host string
	// Regions are further fixed hosts of the same provider (Mailgun's EU
	// API), asked in order when Host does not say live.
	Regions []string
	// SelfHosted says the credential may belong to a self-hosted instance:
	// the hosts the user lists with --verify-hosts are asked after Host.
	SelfHosted bool
	Method     string
	// Path is the request path and query; {secret} and {partner} are
	// replaced by the path-escaped parts where a provider wants them there.
	Path string
	// PathFor, when set, builds the path from the credential instead
	// (a webhook URL's path, a token cut out of a longer match). An error
	// makes the result unknown; it must not quote the credential.
	PathFor func(c Credential) (string, error)
	// Body is sent as is (with ContentType) when not empty.
	Body        string
	ContentType string
	// Header sets the request's credential headers.
	Header func(h http.Header, c Credential)
	// Sign, when set, finishes the request (AWS SigV4).
	Sign func(r *http.Request, c Credential, body []byte) error

	// Identity maps the names reported in identity to dotted paths into a
	// 2xx JSON answer ("account.email", "items.0.name").
	Identity map[string]string
	// IdentityHeader maps identity names to answer headers.
	IdentityHeader map[string]string
	// Scopes is the dotted path of a list (or a single string) of scopes
	// in the answer; ScopesHeader a header holding a comma-separated list.
	Scopes       string
	ScopesHeader string
	// Invalid lists the statuses that mean the credential was refused
	// (default 401 and 403).
	Invalid []int

	// Read, when set, interprets the answer instead of the fields above
	// (v.live still reads them for a live answer).
	// It is called for every status the checker did not settle itself
	// (429, 5xx and redirects are unknown before it is asked).
	Read func(v *Verifier, code int, h http.Header, body []byte) Outcome
}

func (v *Verifier) requestPath(c Credential) (string, error) {
	if v.PathFor != nil {
		return v.PathFor(c)
	}
	return strings.NewReplacer("{secret}", escape(c.Secret), "{partner}", escape(c.Partner)).Replace(v.Path), nil
}

// hosts lists the fixed hosts in the order they are asked.
func (v *Verifier) hosts() []string {
	var hs []string
	if v.Host != "" {
		hs = append(hs, v.Host)
	}
	return append(hs, v.Regions...)
}

// read interprets an answer: with Read, or else 2xx live with the identity and
// scopes found, Invalid statuses invalid, anything else unknown.
func (v *Verifier) read(code int, h http.Header, body []byte) Outcome {
	if v.Read != nil {
		return v.Read(v, code, h, body)
	}
	return v.standard(code, h, body)
}

// standard is read without Read: the answer the data fields describe.
func (v *Verifier) standard(code int, h http.Header, body []byte) Outcome {
	invalidCodes := v.Invalid
	if invalidCodes == nil {
		invalidCodes = []int{http.StatusUnauthorized, http.StatusForbidden}
	}
	switch {
	case code >= 200 && code < 300:
		return v.live(h, body)
	case slices.Contains(invalidCodes, code):
		return Outcome{Status: invalid, Detail: fmt.Sprintf("%d %s", code, http.StatusText(code))}
	}
	return Outcome{Status: unknown, Detail: fmt.Sprintf("unexpected status %d", code)}
}

// live builds a live outcome from the fields the verifier names.
func (v *Verifier) live(h http.Header, body []byte) Outcome {
	o := Outcome{Status: live}
	doc := decode(body)
	var kv []string
	for name, path := range v.Identity {
		kv = append(kv, name, str(lookup(doc, path)))
	}
	for name, hdr := range v.IdentityHeader {
		kv = append(kv, name, h.Get(hdr))
	}
	o.Identity = ident(kv...)
	if v.Scopes != "" {
		o.Scopes = strs(lookup(doc, v.Scopes))
	}
	if v.ScopesHeader != "" {
		o.Scopes = append(o.Scopes, splitList(h.Get(v.ScopesHeader))...)
	}
	return o
}

// byStatus reads the common answer: 2xx live, 401 and 403 invalid,
// anything else unknown.
func byStatus(code int) Outcome { return (&Verifier{}).read(code, nil, nil) }

// decode parses a JSON answer, keeping numbers as written; nil when it is
// not JSON.
func decode(body []byte) any {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return nil
	}
	return v
}

// lookup follows a dotted path of object keys and array indexes.
func lookup(v any, path string) any {
	if path == "" {
		return v
	}
	for _, k := range strings.Split(path, ".") {
		switch t := v.(type) {
		case map[string]any:
			v = t[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

// str renders a JSON scalar; "" for objects, arrays and null.
func str(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

// strs renders a JSON list of scalars, or one scalar, as strings.
func strs(v any) []string {
	if l, ok := v.([]any); ok {
		var out []string
		for _, x := range l {
			if s := str(x); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	if s := str(v); s != "" {
		return []string{s}
	}
	return nil
}

// ident builds an identity from key, value pairs, leaving out empty values.
func ident(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			m[kv[i]] = kv[i+1]
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// splitList splits a comma- or space-separated list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// bearer sets Authorization: Bearer <secret>.
func bearer(h http.Header, c Credential) { h.Set("Authorization", "Bearer "+c.Secret) }

// header returns a Header func that puts the secret in the named header,
// after prefix, and sets the extra header pairs.
func header(name, prefix string, extra ...string) func(http.Header, Credential) {
	return func(h http.Header, c Credential) {
		h.Set(name, prefix+c.Secret)
		for i := 0; i+1 < len(extra); i += 2 {
			h.Set(extra[i], extra[i+1])
		}
	}
}

// withBearer is bearer plus extra header pairs.
func withBearer(extra ...string) func(http.Header, Credential) {
	return header("Authorization", "Bearer ", extra...)
}

// basicUser returns a Header func for HTTP basic auth as user with the
// secret as password.
func basicUser(user string) func(http.Header, Credential) {
	return func(h http.Header, c Credential) { (&http.Request{Header: h}).SetBasicAuth(user, c.Secret) }
}

// basicPair sends the primary part as user and the partner as password.
func basicPair(h http.Header, c Credential) {
	(&http.Request{Header: h}).SetBasicAuth(c.Secret, c.Partner)
}
