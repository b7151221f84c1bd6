package verify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/internal/verifyhook"
	"github.com/secretlint/secretlint/scan"
)

const (
	live    = scan.VerifyLive
	invalid = scan.VerifyInvalid
	unknown = scan.VerifyUnknown
	errored = scan.VerifyError
)

// Limits of the checker. Retries back off from retryBase; tests shorten it.
var (
	retryBase  = 500 * time.Millisecond
	maxRetries = 2
	// maxBody caps how much of an answer is read.
	maxBody int64 = 1 << 20
)

const (
	// perProvider caps the requests in flight to one provider.
	perProvider = 4
	// providerRate is the least time between two requests to one provider.
	providerRate = 20 * time.Millisecond
	// inFlight caps the requests in flight in all.
	inFlight = 32
)

// errBuild marks a request that could not be made from the credential:
// the result is an error of the check, not an answer.
var errBuild = errors.New("cannot build the request")

// Option configures a Checker.
type Option func(*Checker)

// WithTimeout sets the time each request may take (default 10s).
func WithTimeout(d time.Duration) Option { return func(c *Checker) { c.timeout = d } }

// WithHosts lists the self-hosted hosts (a company's GitLab, Vault or
// Databricks workspace) that credentials of those providers may also be
// sent to: "host[:port]" for every self-hosted provider, or
// "provider=host[:port]" (gitlab=git.example.com) for one.
func WithHosts(hosts ...string) Option { return func(c *Checker) { c.hosts = hosts } }

// WithUserAgent sets the User-Agent (default "secretlint"); the command
// sends "secretlint/<version>".
func WithUserAgent(ua string) Option { return func(c *Checker) { c.ua = ua } }

// WithVerifiers replaces the built-in verifiers.
func WithVerifiers(vs ...*Verifier) Option { return func(c *Checker) { c.verifiers = vs } }

// Checker verifies findings: Verify sets Verification on every finding a
// verifier handles, asking the provider once per distinct credential, a
// few requests at a time per provider. It is the pipeline's Verifier.
type Checker struct {
	timeout   time.Duration
	hosts     []string
	ua        string
	verifiers []*Verifier
	client    *http.Client
	now       func() time.Time

	byRule   map[string]*Verifier
	requests atomic.Int64
}

// New returns a Checker with the built-in verifiers.
func New(opts ...Option) *Checker {
	c := &Checker{timeout: 10 * time.Second, ua: "secretlint", verifiers: Builtin(), now: time.Now}
	for _, o := range opts {
		o(c)
	}
	c.client = &http.Client{
		Transport: &http.Transport{
			// Enterprise networks reach providers through a proxy.
			Proxy:               http.ProxyFromEnvironment,
			ForceAttemptHTTP2:   true,
			MaxIdleConnsPerHost: perProvider,
			TLSHandshakeTimeout: c.timeout,
		},
		// A redirect could carry the credential to another host; the
		// answer is read as it is, and a 3xx is unknown.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c.byRule = map[string]*Verifier{}
	for _, v := range c.verifiers {
		for _, r := range v.Rules {
			c.byRule[r] = v
		}
		if v.Partner != "" {
			c.byRule[v.Partner] = v
		}
	}
	return c
}

func (*Checker) String() string { return "verify" }

// Requests returns how many requests the checker has sent.
func (c *Checker) Requests() int64 { return c.requests.Load() }

// Handles reports whether a verifier checks the rule's findings.
func (c *Checker) Handles(ruleID string) bool { return c.byRule[ruleID] != nil }

// job is one distinct credential and the findings that carry it.
type job struct {
	v        *Verifier
	cred     Credential
	findings []int
	result   Outcome
	at       string
}

// Verify verifies the findings in place. The failure of a single check is
// its result (status error or unknown), never a failed run.
func (c *Checker) Verify(ctx context.Context, fs []scan.Finding) error {
	jobs := map[string]*job{}
	var order []string
	for i := range fs {
		v := c.byRule[fs[i].RuleID]
		if v == nil {
			continue
		}
		cred, ok := credential(v, fs, i)
		if !ok {
			fs[i].Verification = &scan.Verification{Status: unknown, CheckedAt: c.stamp(),
				Detail: fmt.Sprintf("no %s finding in the same file to pair with", partnerOf(v, fs[i].RuleID))}
			continue
		}
		k := cacheKey(v, cred)
		j := jobs[k]
		if j == nil {
			j = &job{v: v, cred: cred}
			jobs[k] = j
			order = append(order, k)
		}
		j.findings = append(j.findings, i)
	}
	if len(jobs) == 0 {
		return nil
	}
	// One limiter per provider, shared by its verifiers (GitHub's user
	// and installation tokens go to one API).
	limits := map[string]*limiter{}
	for _, k := range order {
		if p := jobs[k].v.Provider; limits[p] == nil {
			limits[p] = &limiter{sem: make(chan struct{}, perProvider)}
		}
	}
	// Jobs start round-robin over the providers, so workers waiting on
	// one provider's limit do not hold back the others.
	order = interleave(order, func(k string) string { return jobs[k].v.Provider })
	p := pool.New().WithMaxGoroutines(min(inFlight, len(jobs)))
	for _, k := range order {
		j := jobs[k]
		p.Go(func() {
			j.result = c.check(ctx, j.v, j.cred, limits[j.v.Provider])
			j.at = c.stamp()
		})
	}
	p.Wait()
	for _, k := range order {
		j := jobs[k]
		for _, i := range j.findings {
			fs[i].Verification = &scan.Verification{Status: j.result.Status, Identity: j.result.Identity,
				Scopes: j.result.Scopes, Detail: j.result.Detail, CheckedAt: j.at}
		}
	}
	return nil
}

func (c *Checker) stamp() string { return c.now().UTC().Format(time.RFC3339) }

// cacheKey identifies a distinct credential for a provider, by hash so the
// map holds no more copies of the secret than the findings do.
func cacheKey(v *Verifier, c Credential) string {
	h := sha256.Sum256([]byte(v.Provider + "\x00" + c.Secret + "\x00" + c.Partner))
	return hex.EncodeToString(h[:])
}

func partnerOf(v *Verifier, rule string) string {
	if rule == v.Partner {
		return strings.Join(v.Rules, " or ")
	}
	return v.Partner
}

// credential builds the credential finding i carries. For a two-part
// credential it pairs the finding with the nearest finding of the other
// part in the same input (path, commit and layer); the primary part is
// always Secret.
func credential(v *Verifier, fs []scan.Finding, i int) (Credential, bool) {
	f := &fs[i]
	if v.Partner == "" {
		return Credential{Secret: f.Secret}, true
	}
	isPartner := f.RuleID == v.Partner
	best, dist := -1, 0
	for j := range fs {
		g := &fs[j]
		if j == i || g.Path != f.Path || g.Commit != f.Commit || g.Layer != f.Layer {
			continue
		}
		if (g.RuleID == v.Partner) == isPartner || !(g.RuleID == v.Partner || slices.Contains(v.Rules, g.RuleID)) {
			continue
		}
		d := abs(g.Line - f.Line)
		if best < 0 || d < dist {
			best, dist = j, d
		}
	}
	if best < 0 {
		return Credential{}, false
	}
	if isPartner {
		return Credential{Secret: fs[best].Secret, Partner: f.Secret}, true
	}
	return Credential{Secret: f.Secret, Partner: fs[best].Secret}, true
}

// limiter holds one provider to perProvider requests in flight and one
// request start per providerRate.
type limiter struct {
	sem  chan struct{}
	mu   sync.Mutex
	next time.Time
}

func (l *limiter) wait(ctx context.Context) error {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	l.mu.Lock()
	now := time.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(providerRate)
	l.mu.Unlock()
	return sleep(ctx, time.Until(at))
}

func (l *limiter) done() { <-l.sem }

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// check asks the provider at its fixed hosts and, for a verifier of a
// self-hosted product, at the --verify-hosts hosts the user allowed for
// it, until one says live. An invalid answer from any host beats unknown
// ones: the credential was seen and refused.
func (c *Checker) check(ctx context.Context, v *Verifier, cred Credential, l *limiter) Outcome {
	hosts := v.hosts()
	if v.SelfHosted {
		hosts = append(hosts, allowedHosts(c.hosts, v.Provider)...)
	}
	if len(hosts) == 0 {
		return Outcome{Status: unknown, Detail: "no host to ask: list the " + v.Provider + " host with --verify-hosts"}
	}
	var out Outcome
	for n, h := range hosts {
		o := c.checkHost(ctx, v, h, cred, l)
		if out.Status == "" || n > 0 && (o.Status == live || out.Status != invalid && o.Status == invalid) {
			out = o
		}
		if out.Status == live {
			if h != v.Host {
				out.Detail = strings.TrimSpace("host " + h + "; " + out.Detail)
			}
			break
		}
	}
	return out
}

// allowedHosts returns the --verify-hosts entries for a provider: bare
// hosts apply to every self-hosted provider, provider=host to one.
func allowedHosts(entries []string, provider string) []string {
	var out []string
	for _, e := range entries {
		if p, h, ok := strings.Cut(e, "="); ok {
			if p == provider {
				out = append(out, h)
			}
			continue
		}
		out = append(out, e)
	}
	return out
}

// checkHost sends the request to one host, retrying on 429 and 5xx with
// backoff, and reads the answer. No error it returns holds the request's
// URL or headers, so the secret stays out of it.
func (c *Checker) checkHost(ctx context.Context, v *Verifier, host string, cred Credential, l *limiter) Outcome {
	for attempt := 0; ; attempt++ {
		code, h, body, err := c.send(ctx, v, host, cred, l)
		if errors.Is(err, errBuild) {
			return Outcome{Status: errored, Detail: scrub(err.Error(), cred)}
		}
		if err != nil {
			return Outcome{Status: unknown, Detail: scrub(err.Error(), cred)}
		}
		retry := code == http.StatusTooManyRequests || code >= 500
		if retry && attempt < maxRetries {
			if err := sleep(ctx, backoff(attempt, h)); err != nil {
				return Outcome{Status: unknown, Detail: "cancelled"}
			}
			continue
		}
		switch {
		case code == http.StatusTooManyRequests:
			return Outcome{Status: unknown, Detail: "rate limited by the provider"}
		case code >= 500:
			return Outcome{Status: unknown, Detail: fmt.Sprintf("provider error %d", code)}
		case code >= 300 && code < 400:
			return Outcome{Status: unknown, Detail: fmt.Sprintf("redirect %d not followed", code)}
		}
		o := v.read(code, h, body)
		for k, s := range o.Identity {
			o.Identity[k] = scrub(s, cred)
		}
		o.Detail = scrub(o.Detail, cred)
		return o
	}
}

// backoff is the wait before retry n: the provider's Retry-After when it
// gives seconds (capped), else retryBase doubled per attempt.
func backoff(n int, h http.Header) time.Duration {
	d := retryBase << n
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s >= 0 {
		d = min(time.Duration(s)*time.Second, 4*retryBase<<n)
	}
	return d
}

func (c *Checker) send(ctx context.Context, v *Verifier, host string, cred Credential, l *limiter) (int, http.Header, []byte, error) {
	if err := l.wait(ctx); err != nil {
		return 0, nil, nil, fmt.Errorf("%s %s: %w", v.Method, host, err)
	}
	defer l.done()
	base := "https://" + host
	if hook := verifyhook.Base(); hook != nil {
		base = hook(host)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	body := []byte(v.Body)
	path, err := v.requestPath(cred)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%w for %s: %w", errBuild, v.Provider, err)
	}
	req, err := http.NewRequestWithContext(ctx, v.Method, base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("%w for %s at %s", errBuild, v.Provider, host)
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "application/json")
	if v.ContentType != "" {
		req.Header.Set("Content-Type", v.ContentType)
	}
	if v.Header != nil {
		v.Header(req.Header, cred)
	}
	if v.Sign != nil {
		if err := v.Sign(req, cred, body); err != nil {
			return 0, nil, nil, fmt.Errorf("%w for %s: sign: %w", errBuild, v.Provider, err)
		}
	}
	c.requests.Add(1)
	resp, err := c.client.Do(req)
	if err != nil {
		// *url.Error quotes the URL, which may hold the secret (Telegram's
		// /bot<token>/ path): keep only the cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, nil, nil, fmt.Errorf("%s %s: %w", v.Method, host, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, nil, fmt.Errorf("read answer from %s: %w", host, err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// scrub removes the credential's parts from text that will be reported.
func scrub(s string, c Credential) string {
	for _, p := range []string{c.Secret, c.Partner, escape(c.Secret), escape(c.Partner)} {
		if len(p) >= 4 {
			s = strings.ReplaceAll(s, p, "[REDACTED]")
		}
	}
	return s
}

func escape(s string) string { return url.PathEscape(s) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// interleave reorders keys round-robin by group, keeping the order within
// each group and the order in which groups first appear.
func interleave(keys []string, group func(string) string) []string {
	var groups []string
	by := map[string][]string{}
	for _, k := range keys {
		g := group(k)
		if by[g] == nil {
			groups = append(groups, g)
		}
		by[g] = append(by[g], k)
	}
	out := make([]string, 0, len(keys))
	for len(out) < len(keys) {
		for _, g := range groups {
			if ks := by[g]; len(ks) > 0 {
				out = append(out, ks[0])
				by[g] = ks[1:]
			}
		}
	}
	return out
}
