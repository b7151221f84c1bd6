package verify

import "net/http"

// stripeAccount reads the account a key belongs to (GET /v1/account). A
// restricted key without the account read permission is refused with 403
// and a permission error: it is live, only narrower.
var stripeAccount = &Verifier{
	Provider: "stripe",
	Rules:    []string{"stripe-secret-key", "stripe-restricted-key"},
	Host:     "api.stripe.com",
	Method:   http.MethodGet,
	Path:     "/v1/account",
	Header:   bearer,
	Identity: map[string]string{"account": "id", "email": "email"},
	Read: func(v *Verifier, code int, h http.Header, body []byte) Outcome {
		switch code {
		case http.StatusOK:
			return v.live(h, body)
		case http.StatusForbidden:
			return Outcome{Status: live, Detail: "restricted key without permission to read the account"}
		case http.StatusUnauthorized:
			return Outcome{Status: invalid, Detail: str(lookup(decode(body), "error.code"))}
		}
		return byStatus(code)
	},
}
