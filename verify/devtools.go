package verify

import (
	"net/http"
	"strings"
)

// Developer platforms and package registries.

var npmWhoami = &Verifier{
	Provider: "npm",
	Rules:    []string{"npm-token"},
	Host:     "registry.npmjs.org",
	Method:   http.MethodGet,
	Path:     "/-/whoami",
	Header:   bearer,
	Identity: map[string]string{"username": "username"},
}

// sentry lists the organisations a user or organisation token can read.
var sentry = &Verifier{
	Provider: "sentry",
	Rules:    []string{"sentry-user-token", "sentry-org-token"},
	Host:     "sentry.io",
	Method:   http.MethodGet,
	Path:     "/api/0/organizations/",
	Header:   bearer,
	Identity: map[string]string{"organization": "0.slug"},
	Invalid:  []int{http.StatusUnauthorized},
}

var postman = &Verifier{
	Provider: "postman",
	Rules:    []string{"postman-api-key"},
	Host:     "api.getpostman.com",
	Method:   http.MethodGet,
	Path:     "/me",
	Header:   header("X-Api-Key", ""),
	Identity: map[string]string{"username": "user.username", "user_id": "user.id"},
}

// linear asks the GraphQL API for the viewer. A personal API key goes in
// Authorization as it is, without "Bearer"; a refused key is answered 400
// or 401 with an authentication error.
var linear = &Verifier{
	Provider:    "linear",
	Rules:       []string{"linear-api-key"},
	Host:        "api.linear.app",
	Method:      http.MethodPost,
	Path:        "/graphql",
	Body:        `{"query":"{ viewer { id name email } }"}`,
	ContentType: "application/json",
	Header:      header("Authorization", ""),
	Identity:    map[string]string{"name": "data.viewer.name", "email": "data.viewer.email"},
	Read: func(v *Verifier, code int, h http.Header, body []byte) Outcome {
		authErr := strings.Contains(strings.ToLower(string(body)), "authentication")
		switch {
		case code == http.StatusOK && lookup(decode(body), "data.viewer.id") != nil:
			return v.live(h, body)
		case (code == http.StatusBadRequest || code == http.StatusUnauthorized || code == http.StatusOK) && authErr:
			return Outcome{Status: invalid, Detail: "authentication error"}
		}
		return v.standard(code, h, body)
	},
}

var notion = &Verifier{
	Provider: "notion",
	Rules:    []string{"notion-integration-token"},
	Host:     "api.notion.com",
	Method:   http.MethodGet,
	Path:     "/v1/users/me",
	Header:   withBearer("Notion-Version", "2022-06-28"),
	Identity: map[string]string{"bot": "name", "workspace": "bot.workspace_name"},
}

var doppler = &Verifier{
	Provider: "doppler",
	Rules:    []string{"doppler-token"},
	Host:     "api.doppler.com",
	Method:   http.MethodGet,
	Path:     "/v3/me",
	Header:   bearer,
	Identity: map[string]string{"workplace": "workplace.name", "type": "type", "name": "name"},
}

var heroku = &Verifier{
	Provider: "heroku",
	Rules:    []string{"heroku-api-key", "heroku-api-key-legacy"},
	Host:     "api.heroku.com",
	Method:   http.MethodGet,
	Path:     "/account",
	Header:   withBearer("Accept", "application/vnd.heroku+json; version=3"),
	Identity: map[string]string{"email": "email", "id": "id"},
}

var digitalOcean = &Verifier{
	Provider: "digitalocean",
	Rules:    []string{"digitalocean-pat"},
	Host:     "api.digitalocean.com",
	Method:   http.MethodGet,
	Path:     "/v2/account",
	Header:   bearer,
	Identity: map[string]string{"email": "account.email", "uuid": "account.uuid"},
}

// cloudflare asks the token verification endpoint; a token that exists
// but is disabled or expired has another status than "active".
var cloudflare = &Verifier{
	Provider: "cloudflare",
	Rules:    []string{"cloudflare-api-token"},
	Host:     "api.cloudflare.com",
	Method:   http.MethodGet,
	Path:     "/client/v4/user/tokens/verify",
	Header:   bearer,
	Identity: map[string]string{"token_id": "result.id"},
	Invalid:  []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden},
	Read: func(v *Verifier, code int, h http.Header, body []byte) Outcome {
		if code == http.StatusOK {
			if st := str(lookup(decode(body), "result.status")); st != "active" {
				return Outcome{Status: invalid, Detail: "token " + st}
			}
		}
		return v.standard(code, h, body)
	},
}
