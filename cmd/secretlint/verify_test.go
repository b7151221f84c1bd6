package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/secretlint/secretlint/internal/verifyhook"
)

// fakeGitHub is a local api.github.com: GET /user answers 200 for the
// tokens in live and 401 (GitHub's "Bad credentials") for any other, and
// it records every token it is sent.
type fakeGitHub struct {
	live map[string]bool
	mu   sync.Mutex
	got  []string
}

func (g *fakeGitHub) received() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.got...)
}

// serveGitHub starts the fake and routes every provider host to it for
// the test (no other host is answered).
func serveGitHub(t *testing.T, live ...string) *fakeGitHub {
	g := &fakeGitHub{live: map[string]bool{}}
	for _, l := range live {
		g.live[l] = true
	}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		g.mu.Lock()
		g.got = append(g.got, tok)
		g.mu.Unlock()
		if r.URL.Path != "/user" || !g.live[tok] {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"message":"Bad credentials"}`)
			return
		}
		w.Header().Set("X-OAuth-Scopes", "repo, read:org")
		io.WriteString(w, `{"login":"octo-ci","type":"User"}`)
	}))
	t.Cleanup(s.Close)
	t.Cleanup(verifyhook.Set(func(host string) string {
		if host == "api.github.com" {
			return s.URL
		}
		return "http://127.0.0.1:1"
	}))
	return g
}

// verifiedReport is the part of a JSON report these tests read.
type verifiedReport struct {
	Findings []struct {
		Path         string `json:"path"`
		Line         int    `json:"line"`
		Verification *struct {
			Status    string            `json:"status"`
			Identity  map[string]string `json:"identity"`
			Scopes    []string          `json:"scopes"`
			CheckedAt string            `json:"checked_at"`
		} `json:"verification"`
	} `json:"findings"`
	Stats struct {
		Suppressed int `json:"suppressed"`
	} `json:"stats"`
}

func decodeVerified(t *testing.T, s string) verifiedReport {
	t.Helper()
	var r verifiedReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, s)
	}
	return r
}

// TestVerifyOptIn: without --verify nothing is sent and the report has no
// verification; with it the one token is sent once and its finding says
// live, whose it is and its scopes.
func TestVerifyOptIn(t *testing.T) {
	live := githubPAT(71)
	g := serveGitHub(t, live)
	dir := writeTree(t, map[string]string{"a.env": "TOKEN=" + live + "\n", "b.env": "GH=" + live + "\n"})

	res := runCLI(t, cliOpts{}, "scan", "--format", "json", dir)
	if res.code != exitFindings || len(g.received()) != 0 || strings.Contains(res.stdout, "verification") {
		t.Fatalf("without --verify: exit %d, %d requests, report:\n%s", res.code, len(g.received()), res.stdout)
	}

	res = runCLI(t, cliOpts{}, "scan", "--verify", "--format", "json", dir)
	if res.code != exitFindings {
		t.Fatalf("exit %d, want %d\n%s", res.code, exitFindings, res.stderr)
	}
	if got := g.received(); len(got) != 1 || got[0] != live {
		t.Errorf("the provider got %d requests, want 1 with the token (two findings, one secret)", len(got))
	}
	r := decodeVerified(t, res.stdout)
	if len(r.Findings) != 2 {
		t.Fatalf("%d findings, want 2", len(r.Findings))
	}
	for _, f := range r.Findings {
		v := f.Verification
		if v == nil || v.Status != "live" || v.Identity["login"] != "octo-ci" || strings.Join(v.Scopes, ",") != "repo,read:org" || v.CheckedAt == "" {
			t.Errorf("%s: verification %+v, want live as octo-ci with scopes repo, read:org", f.Path, v)
		}
	}
	if strings.Contains(res.stdout+res.stderr, live) {
		t.Error("the raw token is in the output without --show-secrets")
	}
}

// TestVerifySkipsBaselined: a secret the baseline records is never sent;
// a new one is.
func TestVerifySkipsBaselined(t *testing.T) {
	old, fresh := githubPAT(72), githubPAT(73)
	g := serveGitHub(t)
	dir := writeTree(t, map[string]string{"app.env": "OLD=" + old + "\n"})
	bl := filepath.Join(t.TempDir(), "baseline.json")
	if res := runCLI(t, cliOpts{}, "scan", "--format", "json", "--output", bl, dir); res.code != exitFindings {
		t.Fatalf("baseline run: exit %d\n%s", res.code, res.stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "app.env"), []byte("OLD="+old+"\nNEW="+fresh+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, cliOpts{}, "scan", "--verify", "--baseline", bl, "--format", "json", dir)
	if got := g.received(); len(got) != 1 || got[0] != fresh {
		t.Errorf("tokens sent: %d (want only the new one, once); baselined sent: %v", len(got), strings.Contains(strings.Join(got, " "), old))
	}
	r := decodeVerified(t, res.stdout)
	if len(r.Findings) != 1 || r.Findings[0].Line != 2 || r.Findings[0].Verification == nil || r.Findings[0].Verification.Status != "invalid" {
		t.Errorf("findings %+v, want line 2 verified invalid", r.Findings)
	}
}

// TestVerifyGates: --only-verified keeps the live credential and counts
// the revoked one suppressed; --fail-on-live exits 0 on a revoked
// credential and 1 on a live one; the text report puts the live one
// first. The gates without --verify are usage errors.
func TestVerifyGates(t *testing.T) {
	live, dead := githubPAT(74), githubPAT(75)
	serveGitHub(t, live)
	both := writeTree(t, map[string]string{"config/prod.env": "A=" + dead + "\nB=" + live + "\n"})
	revoked := writeTree(t, map[string]string{"old.env": "A=" + dead + "\n"})

	res := runCLI(t, cliOpts{}, "scan", "--verify", "--only-verified", "--format", "json", both)
	r := decodeVerified(t, res.stdout)
	if res.code != exitFindings || len(r.Findings) != 1 || r.Findings[0].Line != 2 || r.Stats.Suppressed != 1 {
		t.Errorf("--only-verified: exit %d, findings %+v, %d suppressed; want exit 1, line 2 only, 1 suppressed", res.code, r.Findings, r.Stats.Suppressed)
	}

	if res := runCLI(t, cliOpts{}, "scan", "--verify", "--fail-on-live", "--format", "json", revoked); res.code != exitClean {
		t.Errorf("--fail-on-live with a revoked credential: exit %d, want 0", res.code)
	} else if r := decodeVerified(t, res.stdout); len(r.Findings) != 1 {
		t.Errorf("--fail-on-live still reports the revoked finding: %d findings, want 1", len(r.Findings))
	}
	if res := runCLI(t, cliOpts{}, "scan", "--verify", "--fail-on-live", both); res.code != exitFindings {
		t.Errorf("--fail-on-live with a live credential: exit %d, want 1", res.code)
	} else if !strings.HasPrefix(res.stdout, " 1 LIVE CREDENTIAL STILL WORKS") || !strings.Contains(res.stdout, "[LIVE]") || !strings.Contains(res.stdout, "login=octo-ci") {
		t.Errorf("text report does not start with the live credential:\n%s", res.stdout)
	}

	for _, args := range [][]string{{"--only-verified"}, {"--fail-on-live"}, {"--verify-hosts", "git.example.com"}} {
		res := runCLI(t, cliOpts{}, append(append([]string{"scan"}, args...), both)...)
		if res.code != exitUsage || !strings.Contains(res.stderr, "needs --verify") {
			t.Errorf("%v without --verify: exit %d, stderr %q; want 2 naming --verify", args, res.code, res.stderr)
		}
	}
}

// TestVerifyOtherCommands: git, image and logs verify too (real git
// history, a real OCI layout, a log file); a history scan sends each
// distinct secret once however many commits hold it.
func TestVerifyOtherCommands(t *testing.T) {
	live := githubPAT(76)
	g := serveGitHub(t, live)
	repo := newGitRepo(t)
	for i := 0; i < 3; i++ {
		repo.write("app.env", "TOKEN="+live+"\nN="+string(rune('0'+i))+"\n")
		repo.commit("tune")
	}
	res := runCLI(t, cliOpts{}, "git", "--verify", "--format", "json", repo.dir)
	r := decodeVerified(t, res.stdout)
	if res.code != exitFindings || len(r.Findings) == 0 {
		t.Fatalf("git --verify: exit %d, %d findings\n%s", res.code, len(r.Findings), res.stderr)
	}
	for _, f := range r.Findings {
		if f.Verification == nil || f.Verification.Status != "live" {
			t.Errorf("git finding %+v: want live", f)
		}
	}
	if n := len(g.received()); n != 1 {
		t.Errorf("git --verify sent %d requests, want 1", n)
	}

	logDir := writeTree(t, map[string]string{"ci.log": "step 1\nexport GH=" + live + "\n"})
	res = runCLI(t, cliOpts{}, "logs", "--verify", "--fail-on-live", "--format", "jsonl", filepath.Join(logDir, "ci.log"))
	if res.code != exitFindings || !strings.Contains(res.stdout, `"status":"live"`) {
		t.Errorf("logs --verify --fail-on-live: exit %d, out %s", res.code, res.stdout)
	}
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: imageLayer(t, map[string]string{"app/.env": "GH=" + live + "\n"})})
	if err != nil {
		t.Fatal(err)
	}
	lay := filepath.Join(t.TempDir(), "oci")
	if _, err := layout.Write(lay, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img})); err != nil {
		t.Fatal(err)
	}
	before := len(g.received())
	res = runCLI(t, cliOpts{}, "image", "--verify", "--only-verified", "--format", "jsonl", lay)
	if res.code != exitFindings || strings.Count(res.stdout, `"status":"live"`) != 1 || len(g.received()) != before+1 {
		t.Errorf("image --verify: exit %d, %d new requests, out %s", res.code, len(g.received())-before, res.stdout)
	}

	for _, cmd := range []string{"image", "git", "logs", "scan"} {
		h := runCLI(t, cliOpts{}, cmd, "--help")
		for _, f := range []string{"--verify ", "--verify-hosts", "--verify-timeout", "--only-verified", "--fail-on-live"} {
			if !strings.Contains(h.stdout, f) {
				t.Errorf("%s --help lacks %s", cmd, f)
			}
		}
	}
}
