package verify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/secretlint/secretlint/internal/verifyhook"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/verify"
)

// route points every provider host at the servers given for it; a host
// without one goes to a closed port, so a request that should not be made
// fails instead of leaving the machine.
func route(t *testing.T, servers map[string]*httptest.Server) {
	t.Helper()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	t.Cleanup(verifyhook.Set(func(host string) string {
		if s := servers[host]; s != nil {
			return s.URL
		}
		return closedURL
	}))
}

func finding(rule, secret, path string, line int) scan.Finding {
	return scan.Finding{RuleID: rule, Secret: secret, Location: scan.Location{Path: path, Line: line}}
}

// bearerServer answers 200 with body for Authorization: Bearer <live>, 401
// otherwise, and counts requests.
func bearerServer(t *testing.T, live, body string, n *atomic.Int64) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+live {
			http.Error(w, `{"message":"Bad credentials"}`, http.StatusUnauthorized)
			return
		}
		io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

// TestOncePerSecret: five findings of one token in three files and one of
// another make two requests, and every finding gets its token's answer.
func TestOncePerSecret(t *testing.T) {
	var n atomic.Int64
	live, dead := ghToken("a"), ghToken("b")
	route(t, map[string]*httptest.Server{"api.github.com": bearerServer(t, live, `{"login":"octo"}`, &n)})
	fs := []scan.Finding{
		finding("github-pat", live, "a.env", 1), finding("github-pat", live, "b.env", 1),
		finding("github-pat", live, "c.env", 3), finding("github-pat", live, "c.env", 9),
		finding("github-pat", live, "a.env", 7), finding("github-pat", dead, "d.env", 1),
	}
	c := verify.New()
	if err := c.Verify(context.Background(), fs); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 || c.Requests() != 2 {
		t.Errorf("server saw %d requests, checker sent %d; want 2 (one per distinct secret)", n.Load(), c.Requests())
	}
	for i, f := range fs[:5] {
		if v := f.Verification; v == nil || v.Status != scan.VerifyLive || v.Identity["login"] != "octo" || v.CheckedAt == "" {
			t.Errorf("finding %d: %+v, want live as octo with checked_at", i, v)
		}
	}
	if v := fs[5].Verification; v == nil || v.Status != scan.VerifyInvalid {
		t.Errorf("revoked token: %+v, want invalid", v)
	}
}

// TestRedirectNotFollowed: a provider answering with a redirect to another
// host gets the credential once; the other host sees nothing and the
// result is unknown.
func TestRedirectNotFollowed(t *testing.T) {
	var other atomic.Int64
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { other.Add(1) }))
	defer elsewhere.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	route(t, map[string]*httptest.Server{"api.github.com": redirect})
	fs := []scan.Finding{finding("github-pat", ghToken("r"), "a", 1)}
	verify.New().Verify(context.Background(), fs)
	if other.Load() != 0 {
		t.Errorf("the redirect target got %d requests, want 0", other.Load())
	}
	if v := fs[0].Verification; v == nil || v.Status != scan.VerifyUnknown || !strings.Contains(v.Detail, "redirect") {
		t.Errorf("verification %+v, want unknown for a redirect", v)
	}
}

// TestRetries: 429 and 5xx are retried (then unknown), 401 is not.
func TestRetries(t *testing.T) {
	for _, tt := range []struct {
		code     int
		requests int64
		status   string
	}{
		{http.StatusTooManyRequests, 3, scan.VerifyUnknown},
		{http.StatusBadGateway, 3, scan.VerifyUnknown},
		{http.StatusUnauthorized, 1, scan.VerifyInvalid},
	} {
		t.Run(fmt.Sprint(tt.code), func(t *testing.T) {
			var n atomic.Int64
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(tt.code)
			}))
			defer s.Close()
			route(t, map[string]*httptest.Server{"api.github.com": s})
			fs := []scan.Finding{finding("github-pat", ghToken("x"), "a", 1)}
			verify.New().Verify(context.Background(), fs)
			if n.Load() != tt.requests || fs[0].Verification.Status != tt.status {
				t.Errorf("%d requests, status %q; want %d, %q", n.Load(), fs[0].Verification.Status, tt.requests, tt.status)
			}
		})
	}
}

// TestRetryThenLive: a rate-limited first answer is retried and the
// second, live, answer counts.
func TestRetryThenLive(t *testing.T) {
	var n atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, `{"login":"octo"}`)
	}))
	defer s.Close()
	route(t, map[string]*httptest.Server{"api.github.com": s})
	fs := []scan.Finding{finding("github-pat", ghToken("y"), "a", 1)}
	verify.New().Verify(context.Background(), fs)
	if fs[0].Verification.Status != scan.VerifyLive || n.Load() != 2 {
		t.Errorf("status %q after %d requests, want live after 2", fs[0].Verification.Status, n.Load())
	}
}

// TestNoNetwork: with every provider unreachable each result is unknown,
// Verify succeeds, and no detail quotes the secret, even for a verifier
// that puts the token in the URL (Telegram).
func TestNoNetwork(t *testing.T) {
	route(t, nil)
	tg := "123456789:AA" + strings.Repeat("b", 33)
	fs := []scan.Finding{finding("github-pat", ghToken("n"), "a", 1), finding("telegram-bot-token", tg, "a", 2)}
	if err := verify.New().Verify(context.Background(), fs); err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		v := f.Verification
		if v == nil || v.Status != scan.VerifyUnknown {
			t.Errorf("%s: %+v, want unknown", f.RuleID, v)
			continue
		}
		if strings.Contains(v.Detail, f.Secret) || strings.Contains(v.Detail, url.PathEscape(f.Secret)) {
			t.Errorf("%s: detail %q quotes the secret", f.RuleID, v.Detail)
		}
	}
}

// TestTLSVerified: a server whose certificate no CA vouches for gets no
// answer read: the result is unknown, so TLS verification is on.
func TestTLSVerified(t *testing.T) {
	var n atomic.Int64
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		io.WriteString(w, `{"login":"octo"}`)
	}))
	defer s.Close()
	t.Cleanup(verifyhook.Set(func(string) string { return s.URL }))
	fs := []scan.Finding{finding("github-pat", ghToken("t"), "a", 1)}
	verify.New().Verify(context.Background(), fs)
	if v := fs[0].Verification; v.Status != scan.VerifyUnknown || !strings.Contains(v.Detail, "certificate") || n.Load() != 0 {
		t.Errorf("verification %+v after %d handled requests, want unknown for an untrusted certificate", v, n.Load())
	}
}

// TestUserAgentAndLimit: every request names secretlint, and one
// provider never has more than the per-provider cap of requests in flight
// while several are (the checker is concurrent).
func TestUserAgentAndLimit(t *testing.T) {
	var mu sync.Mutex
	inFlight, peak := 0, 0
	release := make(chan struct{})
	var agents sync.Map
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agents.Store(r.Header.Get("User-Agent"), true)
		mu.Lock()
		inFlight++
		peak = max(peak, inFlight)
		full := inFlight == verify.PerProvider
		mu.Unlock()
		if full {
			close(release)
		}
		<-release
		mu.Lock()
		inFlight--
		mu.Unlock()
		io.WriteString(w, `{"login":"octo"}`)
	}))
	defer s.Close()
	route(t, map[string]*httptest.Server{"api.github.com": s})
	var fs []scan.Finding
	for i := range 12 {
		fs = append(fs, finding("github-pat", ghToken(fmt.Sprint(i)), "a", i+1))
	}
	verify.New(verify.WithUserAgent("secretlint/1.2.3")).Verify(context.Background(), fs)
	if peak != verify.PerProvider {
		t.Errorf("peak %d requests in flight to one provider, want %d", peak, verify.PerProvider)
	}
	var uas []string
	agents.Range(func(k, _ any) bool { uas = append(uas, k.(string)); return true })
	sort.Strings(uas)
	if len(uas) != 1 || uas[0] != "secretlint/1.2.3" {
		t.Errorf("user agents %q, want only secretlint/1.2.3", uas)
	}
}

// TestSelfHosted: a GitLab token is asked at gitlab.com and at the hosts
// --verify-hosts allows for GitLab, and a Vault token only at an allowed
// host; without one it is unknown and nothing is sent.
func TestSelfHosted(t *testing.T) {
	var public, corp atomic.Int64
	gl := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		public.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer gl.Close()
	self := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		corp.Add(1)
		io.WriteString(w, `{"name":"ci","scopes":["read_api"],"user_id":7,"active":true}`)
	}))
	defer self.Close()
	route(t, map[string]*httptest.Server{"gitlab.com": gl, "git.corp.example": self})
	tok := "glpat-" + strings.Repeat("Ab1", 7)
	vault := "hvs." + strings.Repeat("Cd2", 9)

	fs := []scan.Finding{finding("gitlab-pat", tok, "a", 1), finding("vault-service-token", vault, "a", 2)}
	verify.New().Verify(context.Background(), fs)
	if fs[0].Verification.Status != scan.VerifyInvalid || corp.Load() != 0 {
		t.Errorf("without --verify-hosts: gitlab %+v, %d requests to the company host; want invalid, 0", fs[0].Verification, corp.Load())
	}
	if v := fs[1].Verification; v.Status != scan.VerifyUnknown || !strings.Contains(v.Detail, "--verify-hosts") {
		t.Errorf("vault without a host: %+v, want unknown naming --verify-hosts", v)
	}

	fs = []scan.Finding{finding("gitlab-pat", tok, "a", 1)}
	verify.New(verify.WithHosts("gitlab=git.corp.example")).Verify(context.Background(), fs)
	if v := fs[0].Verification; v.Status != scan.VerifyLive || !strings.Contains(v.Detail, "git.corp.example") {
		t.Errorf("with --verify-hosts: %+v, want live at git.corp.example", v)
	}
}

// awsSecrets are the fake account's key pairs; the server signs with them.
var awsSecrets = map[string]string{}

// stsServer is a local STS: it recomputes each request's SigV4 signature
// (written out here from AWS's documentation, independently of the SDK)
// with the secret of the key id the request names, and answers
// GetCallerIdentity only when it matches.
func stsServer(t *testing.T) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := checkSigV4(r, body); err != nil {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error></ErrorResponse>`, "SignatureDoesNotMatch", err)
			return
		}
		if string(body) != "Action=GetCallerIdentity&Version=2011-06-15" {
			http.Error(w, "unexpected action", http.StatusBadRequest)
			return
		}
		io.WriteString(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
			`<Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>`+
			`</GetCallerIdentityResult></GetCallerIdentityResponse>`)
	}))
	t.Cleanup(s.Close)
	return s
}

func checkSigV4(r *http.Request, body []byte) error {
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ")
	if !ok {
		return fmt.Errorf("not SigV4")
	}
	parts := map[string]string{}
	for _, p := range strings.Split(auth, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		parts[k] = v
	}
	scope := strings.SplitN(parts["Credential"], "/", 2)
	if len(scope) != 2 || !strings.HasSuffix(scope[1], "/us-east-1/sts/aws4_request") {
		return fmt.Errorf("bad credential scope")
	}
	secret, ok := awsSecrets[scope[0]]
	if !ok {
		return fmt.Errorf("unknown key id")
	}
	date := r.Header.Get("X-Amz-Date")
	payload := sha256.Sum256(body)
	if got := r.Header.Get("X-Amz-Content-Sha256"); got != "" && got != hex.EncodeToString(payload[:]) {
		return fmt.Errorf("payload hash mismatch")
	}
	var canon strings.Builder
	signed := strings.Split(parts["SignedHeaders"], ";")
	for _, h := range signed {
		v := r.Header.Get(h)
		if h == "host" {
			v = r.Host
		}
		canon.WriteString(h + ":" + strings.Join(strings.Fields(v), " ") + "\n")
	}
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	creq := strings.Join([]string{r.Method, path, r.URL.RawQuery, canon.String(), parts["SignedHeaders"], hex.EncodeToString(payload[:])}, "\n")
	h := sha256.Sum256([]byte(creq))
	sts := strings.Join([]string{"AWS4-HMAC-SHA256", date, scope[1], hex.EncodeToString(h[:])}, "\n")
	mac := func(key []byte, s string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(s))
		return m.Sum(nil)
	}
	k := []byte("AWS4" + secret)
	for _, s := range strings.Split(scope[1], "/") {
		k = mac(k, s)
	}
	if want := hex.EncodeToString(mac(k, sts)); !hmac.Equal([]byte(want), []byte(parts["Signature"])) {
		return fmt.Errorf("signature mismatch")
	}
	return nil
}

// TestAWSSigV4: a key pair the server knows is live with its account and
// ARN; the same key id with another secret signs differently and is
// invalid. The key id and the secret are paired within their file.
func TestAWSSigV4(t *testing.T) {
	id := "AKIA" + strings.Repeat("QX7Z", 4)
	secret := "wJalrXUtnFEMIK7MDENGbPxRfiCYFAKEKEY12345"
	awsSecrets[id] = secret
	route(t, map[string]*httptest.Server{"sts.amazonaws.com": stsServer(t)})
	fs := []scan.Finding{
		finding("aws-access-key-id", id, "good.env", 1), finding("aws-secret-access-key", secret, "good.env", 2),
		finding("aws-access-key-id", id, "bad.env", 1), finding("aws-secret-access-key", "X"+secret[1:], "bad.env", 2),
		finding("aws-access-key-id", id, "alone.env", 1),
	}
	c := verify.New()
	c.Verify(context.Background(), fs)
	for _, f := range fs[:2] {
		v := f.Verification
		if v == nil || v.Status != scan.VerifyLive || v.Identity["account"] != "123456789012" || v.Identity["arn"] != "arn:aws:iam::123456789012:user/ci" {
			t.Errorf("%s in good.env: %+v, want live as the account's user", f.RuleID, v)
		}
	}
	for _, f := range fs[2:4] {
		if v := f.Verification; v == nil || v.Status != scan.VerifyInvalid || !strings.Contains(v.Detail, "SignatureDoesNotMatch") {
			t.Errorf("%s in bad.env: %+v, want invalid (SignatureDoesNotMatch)", f.RuleID, v)
		}
	}
	if v := fs[4].Verification; v == nil || v.Status != scan.VerifyUnknown {
		t.Errorf("key id without a secret: %+v, want unknown", v)
	}
	if c.Requests() != 2 {
		t.Errorf("%d requests, want 2 (one per pair)", c.Requests())
	}
}

// ghToken is a fake classic GitHub token, distinct per seed.
func ghToken(seed string) string {
	s := fmt.Sprintf("%x", sha256.Sum256([]byte(seed)))
	return "ghp_" + s[:36]
}

// TestProxyFromEnvironment: with HTTPS_PROXY set, the request goes to the
// proxy, as a CONNECT to the provider's fixed host. The proxy refuses the
// tunnel, so nothing leaves the machine and the result is unknown. The
// check runs in a child process: net/http reads the proxy variables once
// per process.
func TestProxyFromEnvironment(t *testing.T) {
	if os.Getenv("SECRETLINT_TEST_PROXY_CHILD") == "1" {
		fs := []scan.Finding{finding("github-pat", ghToken("p"), "a", 1)}
		verify.New().Verify(context.Background(), fs)
		if v := fs[0].Verification; v == nil || v.Status != scan.VerifyUnknown {
			t.Fatalf("through a refusing proxy: %+v, want unknown", v)
		}
		return
	}
	var mu sync.Mutex
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.Host)
		mu.Unlock()
		w.WriteHeader(http.StatusForbidden)
	}))
	defer proxy.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestProxyFromEnvironment$")
	cmd.Env = append(os.Environ(), "SECRETLINT_TEST_PROXY_CHILD=1", "HTTPS_PROXY="+proxy.URL, "https_proxy="+proxy.URL, "NO_PROXY=", "no_proxy=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 || seen[0] != "CONNECT api.github.com:443" {
		t.Errorf("the proxy saw %q, want one CONNECT api.github.com:443", seen)
	}
}
