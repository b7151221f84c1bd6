package policy

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runTree(t *testing.T, dir string, opts ...Option) []scan.Finding {
	t.Helper()
	col := &scan.Collector{}
	Run(context.Background(), []string{dir}, col, opts...)
	for _, e := range col.Errors() {
		t.Errorf("input error: %v", e)
	}
	fs := relFindings(t, dir, col.Findings())
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].Path != fs[j].Path {
			return fs[i].Path < fs[j].Path
		}
		return fs[i].Line < fs[j].Line
	})
	return fs
}

const (
	controller = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: controller
  namespace: %s
spec:
  template:
    spec:
      serviceAccountName: controller
      containers:
        - name: manager
          image: example.com/controller:%s
      volumes:
        - name: cert
          secret:
            secretName: webhook-cert
`
	controllerRBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: manager
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: manager
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: manager}
subjects:
  - {kind: ServiceAccount, name: controller, namespace: system}
`
)

func manifest(ns, version string) string { return fmt.Sprintf(controller, ns, version) }

// A token matters only when the tree binds the account to a role that can
// read Secrets; the grant may be in another file.
func TestTokenNeedsSecretAccess(t *testing.T) {
	unbound := runTree(t, writeTree(t, map[string]string{"deploy.yaml": manifest("system", "v1")}))
	for _, f := range unbound {
		if f.RuleID == "k8s-sa-token-automount" {
			t.Errorf("no binding in the tree, yet %s:%d: %s", f.Path, f.Line, f.Message)
		}
	}
	bound := runTree(t, writeTree(t, map[string]string{"deploy.yaml": manifest("system", "v1"), "rbac/role.yaml": controllerRBAC}))
	var got []string
	for _, f := range bound {
		if f.RuleID == "k8s-sa-token-automount" {
			got = append(got, f.Path+": "+f.Message)
			if f.Severity.String() != "info" {
				t.Errorf("severity %s, want info", f.Severity)
			}
		}
	}
	want := []string{"deploy.yaml: Deployment/controller mounts the token of ServiceAccount controller, and ClusterRoleBinding manager grants it ClusterRole manager, which can * secrets; anything running in the pod can read them"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("token findings (-want +got):\n%s", d)
	}
}

// Versioned copies of one manifest give one finding per problem, at the
// newest release, naming the others; another namespace is another object.
func TestCopiesOfAManifestReportedOnce(t *testing.T) {
	files := map[string]string{"rbac.yaml": controllerRBAC, "other/deploy.yaml": manifest("other", "v1")}
	for _, v := range []string{"v0.1.0", "v0.2.0", "v0.3.0", "v0.4.0", "v0.5.0"} {
		files["install/"+v+"/controller.yaml"] = manifest("system", v)
	}
	dir := writeTree(t, files)
	var got []string
	for _, f := range runTree(t, dir) {
		// Other copies are named as the walk found them, like finding paths.
		got = append(got, f.RuleID+" "+f.Path+": "+strings.ReplaceAll(f.Message, filepath.ToSlash(dir)+"/", ""))
	}
	note := "; also in 4 older releases: install/v0.4.0/controller.yaml, install/v0.3.0/controller.yaml, install/v0.2.0/controller.yaml and 1 more"
	want := []string{
		"k8s-sa-token-automount install/v0.5.0/controller.yaml: Deployment/controller mounts the token of ServiceAccount controller, and ClusterRoleBinding manager grants it ClusterRole manager, which can * secrets; anything running in the pod can read them" + note,
		"k8s-secret-file-mode install/v0.5.0/controller.yaml: volume cert in Deployment/controller has no defaultMode, so its files get 0644 (readable by every user in the container)" + note,
		"k8s-secret-file-mode other/deploy.yaml: volume cert in Deployment/controller has no defaultMode, so its files get 0644 (readable by every user in the container)",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// The decimal note is for an octal mode written without its 0 (400), not
// for 420, the decimal form generators write for 0644; both are reported.
func TestSecretFileModeDecimalNote(t *testing.T) {
	vol := func(mode string) string {
		return "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers: [{name: c, image: busybox}]\n" +
			"  volumes:\n    - name: s\n      secret: {secretName: s, defaultMode: " + mode + "}\n"
	}
	for mode, want := range map[string]string{
		"400": "volume s in Pod/p defaultMode is 400 = 0620, wider than 0440 (YAML reads 400 as decimal; write 0400 for octal)",
		"420": "volume s in Pod/p defaultMode is 420 = 0644, wider than 0440",
	} {
		fs, err := CheckFile("pod.yaml", []byte(vol(mode)))
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 1 || fs[0].Message != want {
			t.Errorf("defaultMode %s: %+v, want one finding %q", mode, fs, want)
		}
	}
}

// A certificate in a committed Secret is public: tls.crt is not reported,
// tls.key is.
func TestPlaintextSecretSkipsCertificates(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	doc := "apiVersion: v1\nkind: Secret\nmetadata: {name: tls}\ndata:\n" +
		"  tls.crt: " + b64(certOnly) + "\n  tls.key: " + b64(privateKeyPEM(t)) + "\n"
	if d := cmp.Diff([]string{"k8s-plaintext-secret 6"}, secretFindings(t, doc)); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// Releases of one install file whose object changed between them (another
// ServiceAccount) give one finding, at the newest release (v0.16.0 is newer
// than v0.16.0-rc1 and v0.9.0), which then merges with its copy elsewhere.
func TestOlderReleasesMerged(t *testing.T) {
	v2 := `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: manager-v2
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: manager}
subjects:
  - {kind: ServiceAccount, name: controller-v2, namespace: system}
`
	renamed := func(v string) string {
		return strings.ReplaceAll(manifest("system", v), "serviceAccountName: controller", "serviceAccountName: controller-v2")
	}
	files := map[string]string{
		"rbac.yaml":                    controllerRBAC + "---\n" + v2,
		"install/v0.9.0/app.yaml":      manifest("system", "v0.9.0"),
		"install/v0.16.0-rc1/app.yaml": renamed("v0.16.0-rc1"),
		"install/v0.16.0/app.yaml":     renamed("v0.16.0"),
		"config/app.yaml":              renamed("dev"),
	}
	dir := writeTree(t, files)
	var got []string
	for _, f := range runTree(t, dir) {
		if f.RuleID == "k8s-sa-token-automount" {
			got = append(got, f.Path+": "+strings.ReplaceAll(f.Message, filepath.ToSlash(dir)+"/", ""))
		}
	}
	want := []string{
		"config/app.yaml: Deployment/controller mounts the token of ServiceAccount controller-v2, and ClusterRoleBinding manager-v2 grants it ClusterRole manager, which can * secrets; anything running in the pod can read them; " +
			"the same in 1 other copy of this manifest: install/v0.16.0/app.yaml; also in 2 older releases: install/v0.16.0-rc1/app.yaml, install/v0.9.0/app.yaml",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// A problem only superseded releases have (an object the newest release no
// longer ships) is not reported; a Secret's value in one still is.
func TestSupersededReleasesLeftOut(t *testing.T) {
	old := strings.ReplaceAll(manifest("system", "v0.8.0"), "kind: Deployment", "kind: StatefulSet")
	secret := "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  password: the-real-password\n"
	dir := writeTree(t, map[string]string{
		"install/v0.8.0/app.yaml":  old + "---\n" + secret,
		"install/v0.10.0/app.yaml": strings.ReplaceAll(manifest("system", "v0.10.0"), "      volumes:\n        - name: cert\n          secret:\n            secretName: webhook-cert\n", ""),
	})
	var got []string
	for _, f := range runTree(t, dir) {
		got = append(got, f.RuleID+" "+f.Path)
	}
	if d := cmp.Diff([]string{"k8s-plaintext-secret install/v0.8.0/app.yaml"}, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// Identifiers that go with a credential (a key id, a user name) and typed
// demo defaults (minio123) are not reported; the secret beside them is
// when it looks real.
func TestPlaintextSecretIdentifiersAndDemoDefaults(t *testing.T) {
	doc := "apiVersion: v1\nkind: Secret\nmetadata: {name: s3}\nstringData:\n" +
		"  AWS_ACCESS_KEY_ID: minio\n  AWS_SECRET_ACCESS_KEY: minio123\n  username: deploy\n  password: the-real-password\n  token: Zq8r2LmX7vPw4Tn1\n  pin: 7h3x9123q\n"
	fs, err := CheckFile("secret.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, strconv.Itoa(f.Line))
	}
	if d := cmp.Diff([]string{"8", "9", "10"}, got); d != "" {
		t.Errorf("reported lines (-want +got):\n%s", d)
	}
	for v, want := range map[string]bool{"minio123": true, "s3admin123": true, "admin1234": true, "123": false, "minio": false, "Minio123": false, "hunter2": false, "abc123def": false} {
		if demoDefault(v) != want {
			t.Errorf("demoDefault(%q) = %v, want %v", v, !want, want)
		}
	}
}

// fakeSecret returns n seeded random letters and digits: format-valid for a
// password, never a real one, and made by code so no fixture holds it.
func fakeSecret(seed uint64, n int) string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, n)
	x := seed*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = alphabet[x%uint64(len(alphabet))]
	}
	return string(b)
}

// A sample Secret full of stand-ins (names for values, a login that repeats
// its user name, a file path, non-secret settings in a held config file) is
// not reported; its real-looking password, a held config file with a
// password setting or a connection string with one, is. A line marked for
// detect-secrets (pragma: allowlist secret) is suppressed as secretlint's
// own marker is.
func TestPlaintextSecretSkipsStandIns(t *testing.T) {
	pw1, pw2, pw3, pw4 := fakeSecret(1, 24), fakeSecret(2, 20), fakeSecret(3, 16), fakeSecret(4, 24)
	doc := "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n" +
		"  POSTGRES_DB: feast\n" + //                                      5
		"  POSTGRES_USER: feast\n" + //                                    6
		"  POSTGRES_PASSWORD: feast\n" + //                                7
		"  client_secret: test\n" + //                                     8
		"  password: password\n" + //                                      9
		"  ca_bundle: /var/lib/postgresql/certs/ca.crt\n" + //            10
		"  api_key: \"" + pw4 + "\"  # pragma: allowlist secret\n" + //   11
		"  DB_PASSWORD: \"" + pw1 + "\"\n" + //                           12
		"  bigtable: |\n    project_id: my_gcp_project\n    instance: my_bigtable_instance\n" + // 13
		"  redis: |\n    connection_string: redis.feast.svc.cluster.local:6379\n" + // 16
		"  app.yaml: |\n    db_password: \"" + pw2 + "\"\n" + //          18
		"  sql: |\n    path: postgresql://feast:" + pw3 + "@db:5432/feast\n" //  20
	fs, err := CheckFile("secret.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if f.RuleID == "k8s-plaintext-secret" {
			got = append(got, strconv.Itoa(f.Line))
		}
	}
	if d := cmp.Diff([]string{"12", "18", "20"}, got); d != "" {
		t.Errorf("k8s-plaintext-secret lines (-want +got):\n%s", d)
	}
}

// camelCase keys are read as their snake_case spelling: rootUser names a
// user (and a rootPassword that repeats it is a demo login), apiKey still
// holds a credential. An endpoint URL without a password and a dev stack's
// counting password (rootpass123) are not credentials.
func TestPlaintextSecretCamelCaseKeys(t *testing.T) {
	doc := "apiVersion: v1\nkind: Secret\nmetadata: {name: minio-creds}\nstringData:\n" +
		"  rootUser: minioadmin\n  rootPassword: minioadmin\n  apiKey: \"" + fakeSecret(7, 24) + "\"\n" +
		"  AWS_ENDPOINT_URL_S3: http://minio.default.svc.cluster.local:9000\n  MINIO_ROOT_PASSWORD: rootpass123\n"
	if d := cmp.Diff([]string{"k8s-plaintext-secret 7"}, secretFindings(t, doc)); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}

// secretFindings checks doc as secret.yaml and returns its findings as
// "rule line".
func secretFindings(t *testing.T, doc string) []string {
	t.Helper()
	fs, err := CheckFile("secret.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.RuleID+" "+strconv.Itoa(f.Line))
	}
	return got
}
