package verify_test

import (
	"context"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/verify"
)

// fixtureSecrets scans the rule fixtures (testdata/rules, fake and
// format-valid, checksum tokens generated as the rule tests generate
// them) with the built-in rules and returns one secret per rule id. A
// verifier's test takes its credentials from here, so each verifier is
// tested on a value its rule really reports.
func fixtureSecrets(t *testing.T) map[string]string {
	t.Helper()
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	eng := scan.NewEngine(set)
	const dir = "../testdata/rules"
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	gen := regexp.MustCompile(`@@gen:([a-z]+)@@`)
	r := rand.New(rand.NewPCG(1, 2))
	var all []scan.Finding
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		data = gen.ReplaceAllFunc(data, func(m []byte) []byte {
			return []byte(checksumToken(r, string(gen.FindSubmatch(m)[1])))
		})
		if _, err := eng.ScanReader(strings.NewReader(string(data)), &scan.Origin{Path: e.Name()}, func(fs []scan.Finding) { all = append(all, fs...) }); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]string{}
	for _, f := range all {
		if _, ok := out[f.RuleID]; !ok && f.Secret != "" {
			out[f.RuleID] = f.Secret
		}
	}
	return out
}

// checksumToken is prefix_<30 base62><6 base62 CRC32>, GitHub's format.
func checksumToken(r *rand.Rand, prefix string) string {
	const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	body := make([]byte, 30)
	for i := range body {
		body[i] = base62[r.IntN(62)]
	}
	v := crc32.ChecksumIEEE(body)
	sum := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		sum[i] = base62[v%62]
		v /= 62
	}
	return prefix + "_" + string(body) + string(sum)
}

// provider is a local stand-in for one provider's API, answering as its
// documentation says for a live, a revoked and a rate-limited credential.
type provider struct {
	// route is the method and path the verifier must call.
	route string
	// cred reads the credential from the request where the provider
	// expects it ("" when it is not there).
	cred func(r *http.Request, body []byte) string
	// want is what cred must read for the fixture credential (default:
	// the primary secret).
	want func(c verify.Credential) string
	// live is the documented success answer (status 200 unless liveCode).
	live     string
	liveCode int
	liveHdr  map[string]string
	// dead is the answer for a revoked or unknown credential.
	deadCode int
	dead     string
	// identity and scopes must appear in the live result.
	identity map[string]string
	scopes   []string
}

func bearerOf(r *http.Request, _ []byte) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

func headerOf(name, prefix string) func(*http.Request, []byte) string {
	return func(r *http.Request, _ []byte) string {
		v := r.Header.Get(name)
		if !strings.HasPrefix(v, prefix) {
			return ""
		}
		return strings.TrimPrefix(v, prefix)
	}
}

func basicPassword(user string) func(*http.Request, []byte) string {
	return func(r *http.Request, _ []byte) string {
		u, p, ok := r.BasicAuth()
		if !ok || u != user {
			return ""
		}
		return p
	}
}

func pathAfter(prefix, suffix string) func(*http.Request, []byte) string {
	return func(r *http.Request, _ []byte) string {
		p, ok := strings.CutPrefix(r.URL.Path, prefix)
		if !ok {
			return ""
		}
		return strings.TrimSuffix(p, suffix)
	}
}

func urlPath(c verify.Credential) string {
	s := strings.TrimPrefix(strings.TrimPrefix(c.Secret, "https://"), "http://")
	return s[strings.IndexByte(s, '/'):]
}

const unauthorizedJSON = `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}`

// providers has one local provider per verifier, keyed by the verifier's
// Provider and first rule.
var providers = map[string]provider{
	"aws/aws-access-key-id": {
		route: "POST /",
		cred: func(r *http.Request, body []byte) string {
			if checkSigV4(r, body) != nil {
				return ""
			}
			return "signed"
		},
		want: func(verify.Credential) string { return "signed" },
		live: `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/ci</Arn>` +
			`<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`,
		deadCode: 403, dead: `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>`,
		identity: map[string]string{"account": "123456789012", "arn": "arn:aws:iam::123456789012:user/ci"},
	},
	"github/github-pat": {
		route: "GET /user", cred: bearerOf, live: `{"login":"octo","type":"User"}`,
		liveHdr:  map[string]string{"X-OAuth-Scopes": "repo, read:org"},
		deadCode: 401, dead: `{"message":"Bad credentials"}`,
		identity: map[string]string{"login": "octo"}, scopes: []string{"repo", "read:org"},
	},
	"github/github-app-installation-token": {
		route: "GET /installation/repositories", cred: bearerOf,
		live:     `{"total_count":1,"repositories":[{"name":"app","owner":{"login":"acme"}}]}`,
		deadCode: 401, dead: `{"message":"Bad credentials"}`,
		identity: map[string]string{"owner": "acme"},
	},
	"gitlab/gitlab-pat": {
		route: "GET /api/v4/personal_access_tokens/self", cred: headerOf("Private-Token", ""),
		live:     `{"id":4,"name":"ci","revoked":false,"scopes":["read_api","read_repository"],"user_id":17,"active":true}`,
		deadCode: 401, dead: `{"message":"401 Unauthorized"}`,
		identity: map[string]string{"user_id": "17", "token": "ci"}, scopes: []string{"read_api", "read_repository"},
	},
	"slack/slack-bot-token": {
		route: "POST /api/auth.test", cred: bearerOf,
		live:     `{"ok":true,"url":"https://acme.slack.com/","team":"Acme","user":"deploybot","team_id":"T0001","user_id":"U0001"}`,
		liveHdr:  map[string]string{"X-OAuth-Scopes": "chat:write,channels:read"},
		deadCode: 200, dead: `{"ok":false,"error":"invalid_auth"}`,
		identity: map[string]string{"team": "Acme", "user": "deploybot"}, scopes: []string{"chat:write", "channels:read"},
	},
	"slack/slack-webhook": {
		route: "POST ", cred: func(r *http.Request, body []byte) string {
			if string(body) != "{}" {
				return "" // anything else could post a message
			}
			return r.URL.Path
		},
		want: urlPath, liveCode: 400, live: "no_text", deadCode: 404, dead: "no_service",
	},
	"stripe/stripe-secret-key": {
		route: "GET /v1/account", cred: bearerOf, live: `{"id":"acct_1Example","object":"account","email":"ops@example.com"}`,
		deadCode: 401, dead: `{"error":{"code":"api_key_expired","message":"Expired API Key provided","type":"invalid_request_error"}}`,
		identity: map[string]string{"account": "acct_1Example"},
	},
	"openai/openai-api-key": {
		route: "GET /v1/models", cred: bearerOf, live: `{"object":"list","data":[{"id":"gpt-4o","object":"model"}]}`,
		liveHdr:  map[string]string{"openai-organization": "acme-research"},
		deadCode: 401, dead: unauthorizedJSON, identity: map[string]string{"organization": "acme-research"},
	},
	"anthropic/anthropic-api-key": {
		route: "GET /v1/models", cred: headerOf("X-Api-Key", ""), live: `{"data":[{"id":"claude-x","type":"model"}],"has_more":false}`,
		deadCode: 401, dead: `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`,
	},
	"anthropic/anthropic-admin-key": {
		route: "GET /v1/organizations/me", cred: headerOf("X-Api-Key", ""), live: `{"id":"org-123","type":"organization","name":"Acme"}`,
		deadCode: 401, dead: `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`,
		identity: map[string]string{"organization": "Acme", "organization_id": "org-123"},
	},
	"huggingface/huggingface-token": {
		route: "GET /api/whoami-v2", cred: bearerOf,
		live:     `{"type":"user","name":"alice","auth":{"type":"access_token","accessToken":{"displayName":"ci","role":"write"}}}`,
		deadCode: 401, dead: `{"error":"Invalid credentials in Authorization header"}`,
		identity: map[string]string{"user": "alice", "token": "ci"}, scopes: []string{"write"},
	},
	"replicate/replicate-api-token": {
		route: "GET /v1/account", cred: bearerOf, live: `{"type":"organization","username":"acme","name":"Acme"}`,
		deadCode: 401, dead: `{"title":"Unauthenticated","detail":"You did not pass a valid authentication token","status":401}`,
		identity: map[string]string{"username": "acme"},
	},
	"groq/groq-api-key": {
		route: "GET /openai/v1/models", cred: bearerOf, live: `{"object":"list","data":[]}`, deadCode: 401, dead: unauthorizedJSON,
	},
	"mistral/mistral-api-key": {
		route: "GET /v1/models", cred: bearerOf, live: `{"object":"list","data":[]}`, deadCode: 401, dead: `{"message":"Unauthorized"}`,
	},
	"cohere/cohere-api-key": {
		route: "GET /v1/models", cred: bearerOf, live: `{"models":[]}`, deadCode: 401, dead: `{"message":"invalid api token"}`,
	},
	"wandb/wandb-api-key": {
		route: "POST /graphql", cred: basicPassword("api"), live: `{"data":{"viewer":{"username":"alice","entity":"acme"}}}`,
		deadCode: 401, dead: `{"errors":[{"message":"user is not logged in"}]}`,
		identity: map[string]string{"username": "alice", "entity": "acme"},
	},
	"baseten/baseten-api-key": {
		route: "GET /v1/models", cred: headerOf("Authorization", "Api-Key "), live: `{"models":[]}`, deadCode: 401, dead: `{"error":"Invalid API key"}`,
	},
	"npm/npm-token": {
		route: "GET /-/whoami", cred: bearerOf, live: `{"username":"alice"}`, deadCode: 401, dead: `{"error":"You must be logged in"}`,
		identity: map[string]string{"username": "alice"},
	},
	"sentry/sentry-user-token": {
		route: "GET /api/0/organizations/", cred: bearerOf, live: `[{"id":"1","slug":"acme","name":"Acme"}]`,
		deadCode: 401, dead: `{"detail":"Invalid token"}`, identity: map[string]string{"organization": "acme"},
	},
	"postman/postman-api-key": {
		route: "GET /me", cred: headerOf("X-Api-Key", ""), live: `{"user":{"id":12,"username":"alice"}}`,
		deadCode: 401, dead: `{"error":{"name":"AuthenticationError","message":"Invalid API Key."}}`,
		identity: map[string]string{"username": "alice", "user_id": "12"},
	},
	"linear/linear-api-key": {
		route: "POST /graphql", cred: headerOf("Authorization", "lin_api_"),
		want:     func(c verify.Credential) string { return strings.TrimPrefix(c.Secret, "lin_api_") },
		live:     `{"data":{"viewer":{"id":"u1","name":"Alice","email":"alice@example.com"}}}`,
		deadCode: 400, dead: `{"errors":[{"message":"Authentication required, not authenticated","extensions":{"type":"authentication error"}}]}`,
		identity: map[string]string{"name": "Alice"},
	},
	"notion/notion-integration-token": {
		route: "GET /v1/users/me", cred: bearerOf,
		live:     `{"object":"user","id":"b1","type":"bot","name":"Deploy","bot":{"owner":{"type":"workspace"},"workspace_name":"Acme"}}`,
		deadCode: 401, dead: `{"object":"error","status":401,"code":"unauthorized","message":"API token is invalid."}`,
		identity: map[string]string{"bot": "Deploy", "workspace": "Acme"},
	},
	"doppler/doppler-token": {
		route: "GET /v3/me", cred: bearerOf, live: `{"workplace":{"name":"Acme","slug":"acme"},"type":"service_token","name":"ci"}`,
		deadCode: 401, dead: `{"messages":["Invalid Auth token"],"success":false}`,
		identity: map[string]string{"workplace": "Acme", "type": "service_token"},
	},
	"heroku/heroku-api-key": {
		route: "GET /account", cred: bearerOf, live: `{"email":"ops@example.com","id":"01234567-89ab-cdef-0123-456789abcdef"}`,
		deadCode: 401, dead: `{"id":"unauthorized","message":"Invalid credentials provided."}`,
		identity: map[string]string{"email": "ops@example.com"},
	},
	"digitalocean/digitalocean-pat": {
		route: "GET /v2/account", cred: bearerOf, live: `{"account":{"email":"ops@example.com","uuid":"u-1","status":"active"}}`,
		deadCode: 401, dead: `{"id":"Unauthorized","message":"Unable to authenticate you."}`,
		identity: map[string]string{"email": "ops@example.com", "uuid": "u-1"},
	},
	"cloudflare/cloudflare-api-token": {
		route: "GET /client/v4/user/tokens/verify", cred: bearerOf,
		live:     `{"success":true,"errors":[],"result":{"id":"tok1","status":"active"}}`,
		deadCode: 401, dead: `{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}]}`,
		identity: map[string]string{"token_id": "tok1"},
	},
	"sendgrid/sendgrid-api-key": {
		route: "GET /v3/scopes", cred: bearerOf, live: `{"scopes":["mail.send","alerts.read"]}`,
		deadCode: 401, dead: `{"errors":[{"field":null,"message":"authorization required"}]}`,
		scopes: []string{"mail.send", "alerts.read"},
	},
	"mailgun/mailgun-api-key": {
		route: "GET /v3/domains", cred: basicPassword("api"), live: `{"total_count":1,"items":[{"name":"mg.example.com"}]}`,
		deadCode: 401, dead: "Forbidden", identity: map[string]string{"domain": "mg.example.com"},
	},
	"twilio/twilio-api-key": {
		route: "GET /2010-04-01/Accounts.json", cred: func(r *http.Request, _ []byte) string {
			u, p, _ := r.BasicAuth()
			return u + ":" + p
		},
		want:     func(c verify.Credential) string { return c.Secret + ":" + c.Partner },
		live:     `{"accounts":[{"sid":"AC0123","friendly_name":"Acme"}]}`,
		deadCode: 401, dead: `{"code":20003,"message":"Authenticate","status":401}`,
		identity: map[string]string{"account": "AC0123", "name": "Acme"},
	},
	"telegram/telegram-bot-token": {
		route: "GET ", cred: pathAfter("/bot", "/getMe"),
		want: func(c verify.Credential) string {
			return regexp.MustCompile(`\d{8,10}:A[A-Za-z0-9_-]{34}`).FindString(c.Secret)
		},
		live:     `{"ok":true,"result":{"id":123456789,"is_bot":true,"username":"acme_bot"}}`,
		deadCode: 401, dead: `{"ok":false,"error_code":401,"description":"Unauthorized"}`,
		identity: map[string]string{"username": "acme_bot", "id": "123456789"},
	},
	"discord/discord-bot-token": {
		route: "GET /api/v10/users/@me", cred: headerOf("Authorization", "Bot "), live: `{"id":"80351110224678912","username":"deploy","bot":true}`,
		deadCode: 401, dead: `{"message":"401: Unauthorized","code":0}`, identity: map[string]string{"username": "deploy"},
	},
	"discord/discord-webhook": {
		route: "GET ", cred: func(r *http.Request, _ []byte) string { return r.URL.Path },
		want: urlPath, live: `{"type":1,"id":"1","name":"alerts","channel_id":"c1","guild_id":"g1"}`,
		deadCode: 401, dead: `{"message":"Invalid Webhook Token","code":50027}`,
		identity: map[string]string{"webhook": "alerts", "channel_id": "c1"},
	},
	"datadog/datadog-api-key": {
		route: "GET /api/v1/validate", cred: headerOf("Dd-Api-Key", ""), live: `{"valid":true}`,
		deadCode: 403, dead: `{"errors":["Forbidden"]}`,
	},
	"newrelic/newrelic-user-api-key": {
		route: "POST /graphql", cred: headerOf("Api-Key", ""), live: `{"data":{"actor":{"user":{"name":"Alice","email":"alice@example.com"}}}}`,
		deadCode: 401, dead: `{"errors":[{"message":"Invalid API key"}]}`, identity: map[string]string{"name": "Alice"},
	},
	"google/google-api-key": {
		route: "GET /v1beta/models", cred: headerOf("X-Goog-Api-Key", ""),
		liveCode: 403, live: `{"error":{"code":403,"message":"Generative Language API has not been used in project 123456 before or it is disabled.","status":"PERMISSION_DENIED",` +
			`"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","metadata":{"consumer":"projects/123456"}}]}}`,
		deadCode: 400, dead: `{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT",` +
			`"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}`,
		identity: map[string]string{"project": "123456"},
	},
	"vault/vault-service-token": {
		route: "GET /v1/auth/token/lookup-self", cred: headerOf("X-Vault-Token", ""),
		live:     `{"data":{"display_name":"token-ci","entity_id":"e-1","policies":["default","deploy"]}}`,
		deadCode: 403, dead: `{"errors":["permission denied"]}`,
		identity: map[string]string{"display_name": "token-ci"}, scopes: []string{"default", "deploy"},
	},
	"databricks/databricks-token": {
		route: "GET /api/2.0/preview/scim/v2/Me", cred: bearerOf, live: `{"id":"1","userName":"alice@example.com"}`,
		deadCode: 401, dead: `{"error_code":"401","message":"Credential was not sent or was of an unsupported type"}`,
		identity: map[string]string{"user": "alice@example.com"},
	},
}

// selfHost is where the tests' self-hosted GitLab, Vault and Databricks
// run (--verify-hosts).
const selfHost = "selfhosted.test:8200"

// TestProviders runs every built-in verifier against its local provider
// in three states: the credential is live (and sent where and how the
// provider documents; anything else is refused), revoked, and rate
// limited.
func TestProviders(t *testing.T) {
	secrets := fixtureSecrets(t)
	awsSecrets[secrets["aws-access-key-id"]] = secrets["aws-secret-access-key"]
	seen := map[string]bool{}
	vs := verify.Builtin()
	if len(vs) < 30 {
		t.Errorf("%d verifiers, want at least 30", len(vs))
	}
	for _, v := range vs {
		key := v.Provider + "/" + v.Rules[0]
		seen[key] = true
		p, ok := providers[key]
		if !ok {
			t.Errorf("verifier %s has no local provider in this test", key)
			continue
		}
		t.Run(key, func(t *testing.T) {
			// Every rule it handles has a fixture the rule reports.
			for _, r := range append(v.Rules, v.Partner) {
				if _, ok := secrets[r]; r != "" && !ok {
					t.Errorf("rule %s has no fixture finding", r)
				}
			}
			fs := []scan.Finding{finding(v.Rules[0], secrets[v.Rules[0]], "app.env", 1)}
			cred := verify.Credential{Secret: secrets[v.Rules[0]]}
			if v.Partner != "" {
				fs = append(fs, finding(v.Partner, secrets[v.Partner], "app.env", 2))
				cred.Partner = secrets[v.Partner]
			}
			want := cred.Secret
			if p.want != nil {
				want = p.want(cred)
			}
			if want == "" {
				t.Fatalf("fixture credential %q gives nothing to send", cred.Secret)
			}
			for _, mode := range []string{"live", "revoked", "limited"} {
				t.Run(mode, func(t *testing.T) {
					s := httptest.NewServer(p.handler(t, mode, want))
					defer s.Close()
					route(t, map[string]*httptest.Server{v.Host: s, selfHost: s})
					got := append([]scan.Finding(nil), fs...)
					verify.New(verify.WithHosts(selfHost)).Verify(context.Background(), got)
					for _, f := range got {
						p.check(t, mode, f.Verification)
					}
				})
			}
		})
	}
	for k := range providers {
		if !seen[k] {
			t.Errorf("local provider %s has no verifier", k)
		}
	}
}

func (p provider) handler(t *testing.T, mode, want string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		method, path, _ := strings.Cut(p.route, " ")
		if r.Method != method || path != "" && r.URL.Path != path {
			t.Errorf("request %s %s, want %s", r.Method, r.URL.Path, p.route)
		}
		if ua := r.Header.Get("User-Agent"); !strings.HasPrefix(ua, "secretlint") {
			t.Errorf("User-Agent %q", ua)
		}
		switch {
		case mode == "limited":
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		case mode == "live" && p.cred(r, body) == want:
			for k, v := range p.liveHdr {
				w.Header().Set(k, v)
			}
			if p.liveCode != 0 {
				w.WriteHeader(p.liveCode)
			}
			io.WriteString(w, p.live)
			return
		case mode == "live":
			t.Errorf("the credential was not sent as the provider expects it")
		}
		w.WriteHeader(p.deadCode)
		io.WriteString(w, p.dead)
	})
}

func (p provider) check(t *testing.T, mode string, v *scan.Verification) {
	t.Helper()
	want := map[string]string{"live": scan.VerifyLive, "revoked": scan.VerifyInvalid, "limited": scan.VerifyUnknown}[mode]
	if v == nil || v.Status != want {
		t.Fatalf("%s: verification %+v, want %s", mode, v, want)
	}
	if mode != "live" {
		return
	}
	for k, x := range p.identity {
		if v.Identity[k] != x {
			t.Errorf("identity %s = %q, want %q (identity %v)", k, v.Identity[k], x, v.Identity)
		}
	}
	if got, want := strings.Join(v.Scopes, ","), strings.Join(p.scopes, ","); got != want {
		t.Errorf("scopes %q, want %q", got, want)
	}
}
