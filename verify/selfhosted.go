package verify

import "net/http"

// Products that run on the customer's own hosts. They have no public host:
// a token is sent only to the hosts the user names with --verify-hosts.

// vault looks the token up on itself (lookup-self needs no policy).
var vault = &Verifier{
	Provider:   "vault",
	Rules:      []string{"vault-service-token", "vault-batch-token"},
	SelfHosted: true,
	Method:     http.MethodGet,
	Path:       "/v1/auth/token/lookup-self",
	Header:     header("X-Vault-Token", ""),
	Identity:   map[string]string{"display_name": "data.display_name", "entity_id": "data.entity_id"},
	Scopes:     "data.policies",
}

// databricks reads the workspace user the token belongs to.
var databricks = &Verifier{
	Provider:   "databricks",
	Rules:      []string{"databricks-token"},
	SelfHosted: true,
	Method:     http.MethodGet,
	Path:       "/api/2.0/preview/scim/v2/Me",
	Header:     bearer,
	Identity:   map[string]string{"user": "userName"},
}
