package verify

import (
	"net/http"
	"strings"
)

// googleAPIKey lists one model of the Generative Language API, a free,
// read-only call, with the key in a header rather than the URL. Google
// checks the key before the API: a key that is valid but not allowed
// this API is refused 403 with the project it belongs to, so it is live.
var googleAPIKey = &Verifier{
	Provider: "google",
	Rules:    []string{"google-api-key"},
	Host:     "generativelanguage.googleapis.com",
	Method:   http.MethodGet,
	Path:     "/v1beta/models?pageSize=1",
	Header:   header("x-goog-api-key", ""),
	Read: func(v *Verifier, code int, h http.Header, body []byte) Outcome {
		doc := decode(body)
		reason := ""
		var project string
		if ds, ok := lookup(doc, "error.details").([]any); ok {
			for _, d := range ds {
				if r := str(lookup(d, "reason")); r != "" {
					reason = r
				}
				if c := str(lookup(d, "metadata.consumer")); c != "" {
					project = strings.TrimPrefix(c, "projects/")
				}
			}
		}
		switch {
		case code == http.StatusOK:
			return Outcome{Status: live}
		case reason == "API_KEY_INVALID" || code == http.StatusBadRequest && strings.Contains(string(body), "API key not valid"):
			return Outcome{Status: invalid, Detail: "API_KEY_INVALID"}
		case code == http.StatusForbidden && (reason == "SERVICE_DISABLED" || reason == "API_KEY_SERVICE_BLOCKED"):
			return Outcome{Status: live, Identity: ident("project", project), Detail: "key valid; " + reason + " for the Generative Language API"}
		}
		return Outcome{Status: unknown, Detail: "unexpected answer " + reason}
	},
}
