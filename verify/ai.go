package verify

import "net/http"

// Model and ML platforms. Most have no "who am I" call: listing the
// models the key may use is the documented read-only check, and 401 is
// the refusal.

var openAI = &Verifier{
	Provider: "openai",
	Rules:    []string{"openai-api-key"},
	Host:     "api.openai.com",
	Method:   http.MethodGet,
	Path:     "/v1/models",
	Header:   bearer,
	// Every answer names the organisation (and project) the key bills to.
	IdentityHeader: map[string]string{"organization": "openai-organization", "project": "openai-project"},
	Invalid:        []int{http.StatusUnauthorized},
}

var anthropicKey = &Verifier{
	Provider: "anthropic",
	Rules:    []string{"anthropic-api-key"},
	Host:     "api.anthropic.com",
	Method:   http.MethodGet,
	Path:     "/v1/models?limit=1",
	Header:   header("x-api-key", "", "anthropic-version", "2023-06-01"),
	Invalid:  []int{http.StatusUnauthorized},
}

// anthropicAdmin reads the organisation an Admin API key belongs to.
var anthropicAdmin = &Verifier{
	Provider: "anthropic",
	Rules:    []string{"anthropic-admin-key"},
	Host:     "api.anthropic.com",
	Method:   http.MethodGet,
	Path:     "/v1/organizations/me",
	Header:   header("x-api-key", "", "anthropic-version", "2023-06-01"),
	Identity: map[string]string{"organization": "name", "organization_id": "id"},
	Invalid:  []int{http.StatusUnauthorized},
}

// huggingFace asks whoami-v2: the user or organisation, and the token's
// role (read, write or fineGrained) as its scope.
var huggingFace = &Verifier{
	Provider: "huggingface",
	Rules:    []string{"huggingface-token", "huggingface-org-token"},
	Host:     "huggingface.co",
	Method:   http.MethodGet,
	Path:     "/api/whoami-v2",
	Header:   bearer,
	Identity: map[string]string{"user": "name", "type": "type", "token": "auth.accessToken.displayName"},
	Scopes:   "auth.accessToken.role",
	Invalid:  []int{http.StatusUnauthorized},
}

var replicate = &Verifier{
	Provider: "replicate",
	Rules:    []string{"replicate-api-token"},
	Host:     "api.replicate.com",
	Method:   http.MethodGet,
	Path:     "/v1/account",
	Header:   bearer,
	Identity: map[string]string{"username": "username", "type": "type"},
	Invalid:  []int{http.StatusUnauthorized},
}

var groq = &Verifier{
	Provider: "groq",
	Rules:    []string{"groq-api-key"},
	Host:     "api.groq.com",
	Method:   http.MethodGet,
	Path:     "/openai/v1/models",
	Header:   bearer,
	Invalid:  []int{http.StatusUnauthorized},
}

var mistral = &Verifier{
	Provider: "mistral",
	Rules:    []string{"mistral-api-key"},
	Host:     "api.mistral.ai",
	Method:   http.MethodGet,
	Path:     "/v1/models",
	Header:   bearer,
	Invalid:  []int{http.StatusUnauthorized},
}

var cohere = &Verifier{
	Provider: "cohere",
	Rules:    []string{"cohere-api-key"},
	Host:     "api.cohere.com",
	Method:   http.MethodGet,
	Path:     "/v1/models?page_size=1",
	Header:   bearer,
	Invalid:  []int{http.StatusUnauthorized},
}

// wandb asks the GraphQL API for the viewer, with the key as the basic
// auth password of the user "api" (as the wandb client does).
var wandb = &Verifier{
	Provider:    "wandb",
	Rules:       []string{"wandb-api-key"},
	Host:        "api.wandb.ai",
	Method:      http.MethodPost,
	Path:        "/graphql",
	Body:        `{"query":"query { viewer { username entity } }"}`,
	ContentType: "application/json",
	Header:      basicUser("api"),
	Identity:    map[string]string{"username": "data.viewer.username", "entity": "data.viewer.entity"},
	Invalid:     []int{http.StatusUnauthorized},
	Read: func(v *Verifier, code int, h http.Header, body []byte) Outcome {
		if code == http.StatusOK && lookup(decode(body), "data.viewer.username") == nil {
			return Outcome{Status: invalid, Detail: "no viewer for the key"}
		}
		return v.standard(code, h, body)
	},
}

var baseten = &Verifier{
	Provider: "baseten",
	Rules:    []string{"baseten-api-key"},
	Host:     "api.baseten.co",
	Method:   http.MethodGet,
	Path:     "/v1/models",
	Header:   header("Authorization", "Api-Key "),
}
