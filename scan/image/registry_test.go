package image

import (
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"golang.org/x/crypto/bcrypt"
)

// requireReal skips, or fails under SECRETLINT_REQUIRE_REAL_PARTS=1, when a
// real part of a test is missing.
func requireReal(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("SECRETLINT_REQUIRE_REAL_PARTS") == "1" {
		t.Fatalf("%s (SECRETLINT_REQUIRE_REAL_PARTS=1)", why)
	}
	t.Skip(why)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startRegistry runs Debian's docker-registry (distribution) on a free
// loopback port with its own storage; with user set it requires that user
// (htpasswd). It returns host:port.
func startRegistry(t *testing.T, user, pass string) string {
	t.Helper()
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		requireReal(t, "docker-registry is not installed (apt-get install docker-registry)")
	}
	dir := t.TempDir()
	host := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	cfg := fmt.Sprintf("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n", filepath.Join(dir, "data"), host)
	if user != "" {
		hash, err := bcrypt.GenerateFromPassword([]byte(pass), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		htpasswd := filepath.Join(dir, "htpasswd")
		if err := os.WriteFile(htpasswd, []byte(user+":"+string(hash)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg += fmt.Sprintf("auth:\n  htpasswd:\n    realm: test\n    path: %s\n", htpasswd)
	}
	cfgPath := filepath.Join(dir, "config.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", cfgPath)
	logf, _ := os.Create(filepath.Join(dir, "registry.log"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		logf.Close()
	})
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get("http://" + host + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnauthorized {
				return host
			}
		}
		if time.Now().After(deadline) {
			logText, _ := os.ReadFile(filepath.Join(dir, "registry.log"))
			t.Fatalf("docker-registry did not start on %s: %v\n%s", host, err, logText)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func push(t *testing.T, ref string, img v1.Image, opts ...remote.Option) string {
	t.Helper()
	r, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img, opts...); err != nil {
		t.Fatalf("push %s: %v", ref, err)
	}
	d, _ := img.Digest()
	return d.String()
}

func multiPlatform(t *testing.T) v1.ImageIndex {
	host := v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
	other := v1.Platform{OS: "linux", Architecture: "s390x"}
	if runtime.GOARCH == "s390x" {
		other.Architecture = "amd64"
	}
	return mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: secretImage(t, 620), Descriptor: v1.Descriptor{Platform: &host}},
		mutate.IndexAddendum{Add: secretImage(t, 640), Descriptor: v1.Descriptor{Platform: &other}},
	)
}

// TestRealRegistry pushes images to a real registry process and scans them
// by tag, by digest, and as a multi-platform index.
func TestRealRegistry(t *testing.T) {
	host := startRegistry(t, "", "")
	d := push(t, host+"/team/app:1", secretImage(t, 600))
	idxRef, _ := name.ParseReference(host + "/team/multi:1")
	if err := remote.WriteIndex(idxRef, multiPlatform(t)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref  string
		opts []ResolveOption
		want []string
	}{
		{host + "/team/app:1", nil, wantSummary(600)},
		{host + "/team/app@" + d, []ResolveOption{WithInsecure(true)}, wantSummary(600)},
		{host + "/team/multi:1", nil, wantSummary(620)},
		{host + "/team/multi:1", []ResolveOption{WithAllPlatforms(true)}, append(wantSummary(620), wantSummary(640)...)},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.ref, host+"/"), func(t *testing.T) {
			out := scanArgs(t, NewResolver(tt.opts...), tt.ref)
			if errs := out.Errors(); len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if diff := cmp.Diff(want, summary(out.Findings())); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range out.Findings() {
				if f.Image != tt.ref || !strings.HasPrefix(f.Manifest, "sha256:") {
					t.Errorf("image %q manifest %q, want %q and a digest", f.Image, f.Manifest, tt.ref)
				}
			}
		})
	}
	t.Run("not found", func(t *testing.T) {
		ref := host + "/team/missing:1"
		out := scanArgs(t, NewResolver(), ref)
		if errs := out.Errors(); len(errs) != 1 || !strings.Contains(errs[0].Error(), ref) || !strings.Contains(errs[0].Error(), "MANIFEST_UNKNOWN") {
			t.Errorf("errors = %v, want one naming %s (MANIFEST_UNKNOWN)", errs, ref)
		}
	})
}

// TestRealRegistryAuth checks credentials from the Docker config keychain
// against a registry that requires them, and the error without them.
func TestRealRegistryAuth(t *testing.T) {
	const user, pass = "scanner", "test-only-password"
	host := startRegistry(t, user, pass)
	ref := host + "/private/app:1"
	push(t, ref, secretImage(t, 700), remote.WithAuth(&authn.Basic{Username: user, Password: pass}))

	t.Setenv("DOCKER_CONFIG", t.TempDir())
	out := scanArgs(t, NewResolver(), ref)
	if errs := out.Errors(); len(errs) != 1 || !strings.Contains(errs[0].Error(), ref) || !strings.Contains(errs[0].Error(), "UNAUTHORIZED") {
		t.Errorf("without credentials: errors = %v, want one naming %s (UNAUTHORIZED)", errs, ref)
	}
	if strings.Contains(fmt.Sprint(out.Errors()), pass) {
		t.Errorf("error leaks the password")
	}

	cfgDir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	if err := os.WriteFile(filepath.Join(cfgDir, "config.json"), []byte(`{"auths":{"`+host+`":{"auth":"`+auth+`"}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", cfgDir)
	out = scanArgs(t, NewResolver(), ref)
	if errs := out.Errors(); len(errs) > 0 {
		t.Fatalf("with credentials: errors %v", errs)
	}
	if diff := cmp.Diff(wantSummary(700), summary(out.Findings())); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestInProcessRegistry uses go-containerregistry's registry for the cases
// a real registry cannot stage: a blob that goes missing after the
// manifest was read.
func TestInProcessRegistry(t *testing.T) {
	var dropBlob string
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if dropBlob != "" && strings.HasSuffix(r.URL.Path, "/blobs/"+dropBlob) {
			http.Error(w, `{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}`, http.StatusNotFound)
			return
		}
		reg.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	img := secretImage(t, 800)
	ref := host + "/app:1"
	push(t, ref, img)
	ls, _ := img.Layers()
	h, _ := ls[1].Digest()
	dropBlob = h.String()
	out := scanArgs(t, NewResolver(), ref)
	errs := out.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), ref+" layer 1 "+h.String()) {
		t.Fatalf("errors = %v, want one naming %s layer 1", errs, ref)
	}
	// Layer 0 and the config are still scanned; with layer 1 unread the
	// deletion it holds is unknown.
	want := []string{"/app/settings.ini deleted=no " + fakeAWSKey(800), "config:Env deleted=no " + fakeAWSKey(801)}
	if diff := cmp.Diff(want, summary(out.Findings())); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestRegistryTimeout points the resolver at a server that accepts
// connections and never answers.
func TestRegistryTimeout(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()
	ref := l.Addr().String() + "/stuck/app:1"
	start := time.Now()
	out := scanArgs(t, NewResolver(WithTimeout(300*time.Millisecond)), ref)
	if errs := out.Errors(); len(errs) != 1 || !strings.Contains(errs[0].Error(), ref) || !strings.Contains(errs[0].Error(), "timeout") {
		t.Errorf("errors = %v, want one naming %s (timeout)", errs, ref)
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("gave up after %v; the timeout is not applied", el)
	}
}

// TestRegistryStallMidBlob serves a layer's headers and first bytes, then
// stops sending: the layer fails with a timeout naming it, the rest of the
// image is still scanned.
func TestRegistryStallMidBlob(t *testing.T) {
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	var stall, size string
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stall != "" && r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/blobs/"+stall) {
			w.Header().Set("Content-Length", size)
			w.WriteHeader(http.StatusOK)
			w.Write([]byte{0x1f, 0x8b})
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		reg.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer close(release)
	ref := strings.TrimPrefix(srv.URL, "http://") + "/app:1"
	img := secretImage(t, 1000)
	push(t, ref, img)
	ls, _ := img.Layers()
	h, _ := ls[1].Digest()
	n, _ := ls[1].Size()
	stall, size = h.String(), fmt.Sprint(n)
	out := scanArgs(t, NewResolver(WithTimeout(2*time.Second)), ref)
	errs := out.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), ref+" layer 1 "+h.String()) || !strings.Contains(errs[0].Error(), "timeout") {
		t.Fatalf("errors = %v, want one naming %s layer 1 (timeout)", errs, ref)
	}
	if got := len(out.Findings()); got != 2 {
		t.Errorf("findings = %v, want layer 0's and the config's", summary(out.Findings()))
	}
}
