package policy

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
// first path, naming the others; another namespace is another object.
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
	note := "; the same in 4 other copies of this manifest: install/v0.2.0/controller.yaml, install/v0.3.0/controller.yaml, install/v0.4.0/controller.yaml and 1 more"
	want := []string{
		"k8s-sa-token-automount install/v0.1.0/controller.yaml: Deployment/controller mounts the token of ServiceAccount controller, and ClusterRoleBinding manager grants it ClusterRole manager, which can * secrets; anything running in the pod can read them" + note,
		"k8s-secret-file-mode install/v0.1.0/controller.yaml: volume cert in Deployment/controller has no defaultMode, so its files get 0644 (readable by every user in the container)" + note,
		"k8s-secret-file-mode other/deploy.yaml: volume cert in Deployment/controller has no defaultMode, so its files get 0644 (readable by every user in the container)",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
}
