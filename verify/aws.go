package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// awsSTS asks STS who owns an access key pair. GetCallerIdentity needs no
// permission and changes nothing. The request is signed with the AWS SDK's
// SigV4 signer: hand-written signing is easy to get subtly wrong
// (canonical headers, payload hash, date scope), and a wrong signature
// looks exactly like an invalid key.
var awsSTS = &Verifier{
	Provider:    "aws",
	Rules:       []string{"aws-access-key-id"},
	Partner:     "aws-secret-access-key",
	Host:        "sts.amazonaws.com",
	Method:      http.MethodPost,
	Path:        "/",
	Body:        "Action=GetCallerIdentity&Version=2011-06-15",
	ContentType: "application/x-www-form-urlencoded; charset=utf-8",
	Sign:        signSTS,
	Read:        readSTS,
}

func signSTS(r *http.Request, c Credential, body []byte) error {
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: c.Secret, SecretAccessKey: c.Partner}
	return v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now())
}

func readSTS(_ *Verifier, code int, _ http.Header, body []byte) Outcome {
	if code == http.StatusOK {
		var r struct {
			Result struct {
				Arn     string `xml:"Arn"`
				Account string `xml:"Account"`
				UserID  string `xml:"UserId"`
			} `xml:"GetCallerIdentityResult"`
		}
		if err := xml.Unmarshal(body, &r); err != nil || r.Result.Account == "" {
			return Outcome{Status: unknown, Detail: "unreadable GetCallerIdentity answer"}
		}
		return Outcome{Status: live, Identity: map[string]string{"account": r.Result.Account, "arn": r.Result.Arn}}
	}
	var e struct {
		Code string `xml:"Error>Code"`
	}
	_ = xml.Unmarshal(body, &e)
	switch e.Code {
	case "InvalidClientTokenId", "SignatureDoesNotMatch", "AccessDenied", "ExpiredToken":
		return Outcome{Status: invalid, Detail: e.Code}
	}
	if code == http.StatusForbidden && strings.Contains(string(body), "not valid") {
		return Outcome{Status: invalid}
	}
	return byStatus(code)
}
