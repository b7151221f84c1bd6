package image

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// A key file that group or others can read in the image's final
// filesystem is a secret-file-permissions finding; one a later layer
// removes or replaces with a tight mode is not, nor is a certificate. The
// image goes through a docker-save tarball on disk, as `secretlint image
// app.tar` reads it.
func TestSecretFilePermissionsInLayers(t *testing.T) {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	key := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	cert := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

	l0 := layer(t, []entry{
		dir("srv/"), dir("srv/tls/"), dir("root/"), dir("root/.ssh/"), dir("etc/"), dir("etc/app/"),
		{name: "srv/tls/server.key", body: key, mode: 0o640},      // group can read
		{name: "srv/tls/client.pem", body: key, mode: 0o644},      // others can read
		{name: "srv/tls/private.key", body: key, mode: 0o600},     // fine
		{name: "srv/tls/ca.pem", body: cert, mode: 0o644},         // public
		{name: "root/.ssh/id_ed25519", body: "k\n", mode: 0o644},  // fixed by the next layer
		{name: "etc/app/credentials", body: "[x]\n", mode: 0o644}, // removed by the next layer
	})
	l1 := layer(t, []entry{
		{name: "root/.ssh/id_ed25519", body: "k\n", mode: 0o600},
		file("etc/app/.wh.credentials", ""),
	})
	img := buildImage(t, v1.Config{}, step{l0, "COPY . /"}, step{l1, "RUN chmod 600 /root/.ssh/id_ed25519 && rm /etc/app/credentials"})
	tag, err := name.NewTag("example.test/app:1")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.tar")
	if err := tarball.WriteToFile(path, tag, img); err != nil {
		t.Fatal(err)
	}
	loaded, err := tarball.ImageFromPath(path, nil)
	if err != nil {
		t.Fatal(err)
	}

	var got []string
	for _, f := range scanImages(t, []Target{{Name: path, Image: loaded}}).Findings() {
		if f.RuleID == "secret-file-permissions" {
			got = append(got, f.Path+" "+f.Severity.String()+" "+f.Message)
			if f.Layer == "" || f.Image != path {
				t.Errorf("%s: no image or layer: %+v", f.Path, f.ImageInfo)
			}
		}
	}
	sort.Strings(got)
	want := []string{
		"/srv/tls/client.pem high client.pem has mode 0644: readable by group and others in the final filesystem",
		"/srv/tls/server.key high server.key has mode 0640: readable by group in the final filesystem",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	for _, f := range scanImages(t, []Target{{Name: path, Image: loaded}}, WithPolicy(false)).Findings() {
		if f.RuleID == "secret-file-permissions" {
			t.Errorf("WithPolicy(false) still reports %s", f.Path)
		}
	}
}
