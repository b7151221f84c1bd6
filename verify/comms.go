package verify

import (
	"errors"
	"net/http"
	"regexp"
)

// Messaging and email providers.

// sendgrid lists the key's scopes (GET /v3/scopes).
var sendgrid = &Verifier{
	Provider: "sendgrid",
	Rules:    []string{"sendgrid-api-key"},
	Host:     "api.sendgrid.com",
	Method:   http.MethodGet,
	Path:     "/v3/scopes",
	Header:   bearer,
	Scopes:   "scopes",
}

// mailgun lists one domain with the key as basic auth password of the
// user "api". Keys of EU accounts are only known to the EU API.
var mailgun = &Verifier{
	Provider: "mailgun",
	Rules:    []string{"mailgun-api-key"},
	Host:     "api.mailgun.net",
	Regions:  []string{"api.eu.mailgun.net"},
	Method:   http.MethodGet,
	Path:     "/v3/domains?limit=1",
	Header:   basicUser("api"),
	Identity: map[string]string{"domain": "items.0.name"},
}

// twilio lists the accounts an API key (SK…, the user) and its secret
// (the password) can read.
var twilio = &Verifier{
	Provider: "twilio",
	Rules:    []string{"twilio-api-key"},
	Partner:  "twilio-auth-token",
	Host:     "api.twilio.com",
	Method:   http.MethodGet,
	Path:     "/2010-04-01/Accounts.json?PageSize=1",
	Header:   basicPair,
	Identity: map[string]string{"account": "accounts.0.sid", "name": "accounts.0.friendly_name"},
	Invalid:  []int{http.StatusUnauthorized},
}

// telegramToken cuts the bot token out of a match that may start with
// the word telegram.
var telegramToken = regexp.MustCompile(`\d{8,10}:A[A-Za-z0-9_-]{34}`)

var errNoBotToken = errors.New("no bot token in the match")

// telegram calls getMe. The API takes the token in the path, so the
// request URL is never quoted in a result.
var telegram = &Verifier{
	Provider: "telegram",
	Rules:    []string{"telegram-bot-token"},
	Host:     "api.telegram.org",
	Method:   http.MethodGet,
	PathFor: func(c Credential) (string, error) {
		t := telegramToken.FindString(c.Secret)
		if t == "" {
			return "", errNoBotToken
		}
		return "/bot" + t + "/getMe", nil
	},
	Identity: map[string]string{"username": "result.username", "id": "result.id"},
	Invalid:  []int{http.StatusUnauthorized, http.StatusNotFound},
}

var discordBot = &Verifier{
	Provider: "discord",
	Rules:    []string{"discord-bot-token"},
	Host:     "discord.com",
	Method:   http.MethodGet,
	Path:     "/api/v10/users/@me",
	Header:   header("Authorization", "Bot "),
	Identity: map[string]string{"username": "username", "id": "id"},
	Invalid:  []int{http.StatusUnauthorized},
}

// discordWebhook reads the webhook (GET without posting): its name,
// channel and server.
var discordWebhook = &Verifier{
	Provider: "discord",
	Rules:    []string{"discord-webhook"},
	Host:     "discord.com",
	Method:   http.MethodGet,
	PathFor:  webhookPath("discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com"),
	Identity: map[string]string{"webhook": "name", "channel_id": "channel_id", "guild_id": "guild_id"},
	Invalid:  []int{http.StatusUnauthorized, http.StatusNotFound},
}
