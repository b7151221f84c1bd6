package deploy

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// discovery is what an API server tells kubectl about the kinds the
// manifests use: ConfigMap and PersistentVolumeClaim in v1, Job in
// batch/v1, all namespaced.
var discovery = map[string]any{
	"/api": map[string]any{"kind": "APIVersions", "versions": []string{"v1"},
		"serverAddressByClientCIDRs": []map[string]string{{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}}},
	"/apis": map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": []map[string]any{{
		"name": "batch", "versions": []map[string]string{{"groupVersion": "batch/v1", "version": "v1"}},
		"preferredVersion": map[string]string{"groupVersion": "batch/v1", "version": "v1"}}}},
	"/api/v1": map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1", "resources": []map[string]any{
		{"name": "configmaps", "singularName": "configmap", "namespaced": true, "kind": "ConfigMap", "verbs": []string{"create", "get", "patch"}},
		{"name": "persistentvolumeclaims", "singularName": "persistentvolumeclaim", "namespaced": true, "kind": "PersistentVolumeClaim", "verbs": []string{"create", "get", "patch"}}}},
	"/apis/batch/v1": map[string]any{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "batch/v1", "resources": []map[string]any{
		{"name": "jobs", "singularName": "job", "namespaced": true, "kind": "Job", "verbs": []string{"create", "get", "patch"}}}},
}

// TestKubectlDryRun runs `kubectl apply --dry-run=client` on the manifests
// when kubectl is installed. Client dry runs still ask a server which
// kinds exist and whether the objects do, so an in-process server answers
// discovery and says no object exists yet; it serves no OpenAPI schema,
// so kubectl's schema validation is off (--validate=false) and the field
// check is TestKubernetesManifests' strict decode. What this adds: kubectl
// itself reads every document, maps each kind, and would create each
// object, and it never writes (no POST, PUT or PATCH reaches the server).
func TestKubectlDryRun(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		if os.Getenv("SECRETLINT_REQUIRE_REAL_PARTS") == "1" {
			t.Fatal("kubectl not found")
		}
		t.Skip("kubectl not installed")
	}
	var writes []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodGet {
			writes = append(writes, r.Method+" "+r.URL.Path)
		}
		if body, ok := discovery[r.URL.Path]; ok {
			json.NewEncoder(w).Encode(body)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		json.NewEncoder(w).Encode(map[string]any{"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404})
	}))
	defer srv.Close()
	cmd := exec.Command(kubectl, "apply", "--dry-run=client", "--validate=false", "--server", srv.URL,
		"--cache-dir", t.TempDir(), "-f", "kubernetes/")
	cmd.Env = append(os.Environ(), "KUBECONFIG="+filepath.Join(t.TempDir(), "none"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl apply --dry-run=client: %v\n%s", err, out)
	}
	for _, want := range []string{
		"configmap/secretlint-targets created (dry run)",
		"persistentvolumeclaim/secretlint-reports created (dry run)",
		"job.batch/secretlint-audit created (dry run)",
		"job.batch/secretlint-merge created (dry run)",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("kubectl output lacks %q:\n%s", want, out)
		}
	}
	if len(writes) > 0 {
		t.Errorf("a client dry run wrote to the server: %v", writes)
	}
}
