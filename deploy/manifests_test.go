// Package deploy holds deployment examples; its tests check them against
// the APIs they are written for.
package deploy

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// decodeStrict decodes a manifest into the Kubernetes API type, failing
// on a field the type does not have (a misspelt or misplaced key).
func decodeStrict(t *testing.T, name string, into any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("kubernetes", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(data, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// TestKubernetesManifests decodes the audit manifests into the API types
// and checks that they fit together: an Indexed Job whose --shard-count is
// its completions, retried per index, reading the ConfigMap's targets and
// writing to the claim the merge Job reads.
func TestKubernetesManifests(t *testing.T) {
	var (
		cm           corev1.ConfigMap
		pvc          corev1.PersistentVolumeClaim
		audit, merge batchv1.Job
	)
	decodeStrict(t, "targets-configmap.yaml", &cm)
	decodeStrict(t, "shard-reports-pvc.yaml", &pvc)
	decodeStrict(t, "audit-job.yaml", &audit)
	decodeStrict(t, "merge-job.yaml", &merge)
	for _, tm := range []struct{ kind, want string }{{cm.Kind, "ConfigMap"}, {pvc.Kind, "PersistentVolumeClaim"}, {audit.Kind, "Job"}, {merge.Kind, "Job"}} {
		if tm.kind != tm.want {
			t.Errorf("kind %q, want %q", tm.kind, tm.want)
		}
	}
	if _, ok := cm.Data["targets.txt"]; !ok {
		t.Fatal("the ConfigMap has no targets.txt")
	}

	spec := audit.Spec
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("audit Job completionMode %v, want Indexed", spec.CompletionMode)
	}
	if spec.BackoffLimitPerIndex == nil || spec.Completions == nil {
		t.Fatal("audit Job lacks backoffLimitPerIndex or completions")
	}
	c := spec.Template.Spec.Containers[0]
	if want := "--shard-count=" + strconv.Itoa(int(*spec.Completions)); !slices.Contains(c.Args, want) {
		t.Errorf("audit args %v lack %s (the shard count must be the completions)", c.Args, want)
	}
	if !slices.Contains(c.Args, "--targets=/etc/secretlint/targets.txt") || c.Args[0] != "audit" {
		t.Errorf("audit args %v do not read the mounted targets", c.Args)
	}
	vols := map[string]corev1.Volume{}
	for _, v := range spec.Template.Spec.Volumes {
		vols[v.Name] = v
	}
	if v := vols["targets"]; v.ConfigMap == nil || v.ConfigMap.Name != cm.Name {
		t.Errorf("targets volume %+v does not mount ConfigMap %s", v, cm.Name)
	}
	if v := vols["reports"]; v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != pvc.Name {
		t.Errorf("reports volume %+v is not claim %s", v, pvc.Name)
	}
	mv := merge.Spec.Template.Spec.Volumes
	if len(mv) != 1 || mv[0].PersistentVolumeClaim == nil || mv[0].PersistentVolumeClaim.ClaimName != pvc.Name {
		t.Errorf("merge Job volumes %+v do not read claim %s", mv, pvc.Name)
	}
	if a := merge.Spec.Template.Spec.Containers[0].Args; len(a) == 0 || a[0] != "merge" {
		t.Errorf("merge Job args %v", a)
	}

	// The check is real: a misplaced key is refused.
	data, _ := os.ReadFile(filepath.Join("kubernetes", "audit-job.yaml"))
	bad := bytes.Replace(data, []byte("  backoffLimitPerIndex:"), []byte("  backoffLimitPerIndexx:"), 1)
	var j batchv1.Job
	if err := yaml.UnmarshalStrict(bad, &j); err == nil {
		t.Error("strict decoding accepted an unknown field")
	}
}
