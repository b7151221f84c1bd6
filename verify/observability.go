package verify

import "net/http"

// datadog validates an API key (GET /api/v1/validate) at each Datadog
// site in turn: a key belongs to one site and is unknown to the others.
var datadog = &Verifier{
	Provider: "datadog",
	Rules:    []string{"datadog-api-key"},
	Host:     "api.datadoghq.com",
	Regions:  []string{"api.datadoghq.eu", "api.us3.datadoghq.com", "api.us5.datadoghq.com", "api.ap1.datadoghq.com"},
	Method:   http.MethodGet,
	Path:     "/api/v1/validate",
	Header:   header("DD-API-KEY", ""),
	Read: func(v *Verifier, code int, h http.Header, body []byte) Outcome {
		if code == http.StatusOK && str(lookup(decode(body), "valid")) != "true" {
			return Outcome{Status: invalid}
		}
		return v.standard(code, h, body)
	},
}

// newRelic asks NerdGraph for the key's user, at the US then the EU
// endpoint.
var newRelic = &Verifier{
	Provider:    "newrelic",
	Rules:       []string{"newrelic-user-api-key"},
	Host:        "api.newrelic.com",
	Regions:     []string{"api.eu.newrelic.com"},
	Method:      http.MethodPost,
	Path:        "/graphql",
	Body:        `{"query":"{ actor { user { name email } } }"}`,
	ContentType: "application/json",
	Header:      header("API-Key", ""),
	Identity:    map[string]string{"name": "data.actor.user.name", "email": "data.actor.user.email"},
	Read: func(v *Verifier, code int, h http.Header, body []byte) Outcome {
		if code == http.StatusOK && lookup(decode(body), "data.actor.user") == nil {
			return Outcome{Status: invalid, Detail: "no user for the key"}
		}
		return v.standard(code, h, body)
	},
}
