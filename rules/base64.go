package rules

import (
	"encoding/base64"
	"strings"
)

// DecodeBase64 decodes standard or URL-safe base64, padded or not. It is
// the one base64 reader of the validators, the engine's decoding of
// encoded secrets and the policy checks, so all three agree on what a
// base64 value is.
func DecodeBase64(s []byte) ([]byte, bool) {
	str := strings.TrimRight(string(s), "=")
	for _, enc := range []*base64.Encoding{base64.RawURLEncoding, base64.RawStdEncoding} {
		if d, err := enc.DecodeString(str); err == nil {
			return d, true
		}
	}
	return nil, false
}
