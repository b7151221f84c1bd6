package verify

import (
	"errors"
	"net/http"
	"strings"
)

// slackAuth asks auth.test who a token belongs to. Slack answers 200 for
// every token and says in "ok" and "error" whether it was accepted.
var slackAuth = &Verifier{
	Provider:     "slack",
	Rules:        []string{"slack-bot-token", "slack-user-token", "slack-legacy-token"},
	Host:         "slack.com",
	Method:       http.MethodPost,
	Path:         "/api/auth.test",
	ContentType:  "application/x-www-form-urlencoded",
	Header:       bearer,
	Identity:     map[string]string{"team": "team", "user": "user", "team_id": "team_id", "user_id": "user_id"},
	ScopesHeader: "X-OAuth-Scopes",
	Read:         readSlackAuth,
}

// slackRefused are auth.test errors that mean the token does not work.
var slackRefused = map[string]bool{"invalid_auth": true, "not_authed": true, "account_inactive": true,
	"token_revoked": true, "token_expired": true, "no_permission": false}

func readSlackAuth(v *Verifier, code int, h http.Header, body []byte) Outcome {
	if code != http.StatusOK {
		return byStatus(code)
	}
	doc := decode(body)
	if str(lookup(doc, "ok")) == "true" {
		return v.live(h, body)
	}
	e := str(lookup(doc, "error"))
	if slackRefused[e] {
		return Outcome{Status: invalid, Detail: e}
	}
	return Outcome{Status: unknown, Detail: "auth.test error " + e}
}

// slackWebhook posts an empty JSON object to the webhook. Slack refuses
// it without posting anything: a live webhook answers 400 (no_text,
// invalid_payload), a dead one 403, 404 or 410.
var slackWebhook = &Verifier{
	Provider:    "slack",
	Rules:       []string{"slack-webhook"},
	Host:        "hooks.slack.com",
	Method:      http.MethodPost,
	PathFor:     webhookPath("hooks.slack.com"),
	Body:        "{}",
	ContentType: "application/json",
	Read: func(v *Verifier, code int, _ http.Header, body []byte) Outcome {
		b := strings.TrimSpace(string(body))
		switch {
		case code == http.StatusBadRequest && (b == "no_text" || b == "invalid_payload" || b == "missing_text_or_fallback_or_attachments"):
			return Outcome{Status: live, Detail: "webhook accepts messages (an empty one was refused, nothing was posted)"}
		case code == http.StatusForbidden || code == http.StatusNotFound || code == http.StatusGone:
			return Outcome{Status: invalid, Detail: b}
		}
		return Outcome{Status: unknown, Detail: "unexpected webhook answer"}
	},
}

var errNotWebhook = errors.New("not a webhook URL of the provider's host")

// webhookPath returns a PathFor that keeps only the path of a webhook URL
// found in the content, after checking it names the provider's host: the
// request always goes to the verifier's fixed host.
func webhookPath(hosts ...string) func(Credential) (string, error) {
	return func(c Credential) (string, error) {
		u := c.Secret
		u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		for _, h := range hosts {
			if p, ok := strings.CutPrefix(u, h+"/"); ok && !strings.ContainsAny(p, "?#@\\") {
				return "/" + p, nil
			}
		}
		return "", errNotWebhook
	}
}
