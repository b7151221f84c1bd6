package verify

import "net/http"

// githubUser reads the token owner's profile (GET /user). Classic tokens
// list their scopes in X-OAuth-Scopes; fine-grained tokens have none there.
var githubUser = &Verifier{
	Provider: "github",
	Rules: []string{"github-pat", "github-fine-grained-pat", "github-oauth-token",
		"github-user-to-server-token"},
	Host:         "api.github.com",
	Method:       http.MethodGet,
	Path:         "/user",
	Header:       withBearer("Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28"),
	Identity:     map[string]string{"login": "login", "type": "type"},
	ScopesHeader: "X-OAuth-Scopes",
	Invalid:      []int{http.StatusUnauthorized},
}

// githubInstallation checks an app installation token (ghs_): it cannot
// read /user, but lists the repositories it was granted.
var githubInstallation = &Verifier{
	Provider: "github",
	Rules:    []string{"github-app-installation-token"},
	Host:     "api.github.com",
	Method:   http.MethodGet,
	Path:     "/installation/repositories?per_page=1",
	Header:   withBearer("Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28"),
	Identity: map[string]string{"owner": "repositories.0.owner.login"},
	Invalid:  []int{http.StatusUnauthorized},
}

// gitlabPAT reads the token itself (GET /personal_access_tokens/self):
// its name, owner's user id and scopes. Self-managed GitLab answers the
// same at the hosts --verify-hosts allows.
var gitlabPAT = &Verifier{
	Provider:   "gitlab",
	Rules:      []string{"gitlab-pat"},
	Host:       "gitlab.com",
	SelfHosted: true,
	Method:     http.MethodGet,
	Path:       "/api/v4/personal_access_tokens/self",
	Header:     header("PRIVATE-TOKEN", ""),
	Identity:   map[string]string{"user_id": "user_id", "token": "name"},
	Scopes:     "scopes",
	Invalid:    []int{http.StatusUnauthorized},
}
