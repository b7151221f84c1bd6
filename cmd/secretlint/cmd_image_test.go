package main

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/image"
)

// imageAWSKey is a format-valid, never-issued AWS access key id.
func imageAWSKey(seed uint64) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	r := rand.New(rand.NewPCG(seed, 0x1a6e))
	b := []byte("AKIA")
	for range 16 {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return string(b)
}

func imageLayer(t *testing.T, files map[string]string) v1.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for n, body := range files {
		tw.WriteHeader(&tar.Header{Name: n, Mode: 0o600, Size: int64(len(body)), Typeflag: tar.TypeReg})
		tw.Write([]byte(body))
	}
	tw.Close()
	raw := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// imageLayout writes an OCI layout holding one image: a layer with a
// secret file, a layer deleting it, and a secret in Env.
func imageLayout(t *testing.T) string {
	t.Helper()
	l0 := imageLayer(t, map[string]string{"srv/creds.ini": "key=" + imageAWSKey(1) + "\n"})
	l1 := imageLayer(t, map[string]string{"srv/.wh.creds.ini": ""})
	img, err := mutate.Append(empty.Image,
		mutate.Addendum{Layer: l0, History: v1.History{CreatedBy: "COPY creds.ini /srv/"}},
		mutate.Addendum{Layer: l1, History: v1.History{CreatedBy: "RUN rm /srv/creds.ini"}})
	if err != nil {
		t.Fatal(err)
	}
	img, err = mutate.Config(img, v1.Config{Env: []string{"AWS_ACCESS_KEY_ID=" + imageAWSKey(2)}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "oci")
	if _, err := layout.Write(dir, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img})); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestImageCommand(t *testing.T) {
	lay := imageLayout(t)
	report := filepath.Join(t.TempDir(), "r.json")
	r := runCLI(t, cliOpts{}, "image", "--format", "json", "-o", report, lay)
	if r.code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitFindings, r.stderr)
	}
	fi, err := os.Stat(report)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(report)
	for _, k := range []string{imageAWSKey(1), imageAWSKey(2)} {
		if strings.Contains(string(data), k) || strings.Contains(r.stdout+r.stderr, k) {
			t.Errorf("the report or output holds a secret unredacted")
		}
	}
	var rep struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		li, _ := f["layer_index"].(float64)
		got = append(got, strings.Join([]string{f["rule_id"].(string), f["path"].(string), imageStr(f["deleted"]), strings.Repeat("L", int(li)+1), imageStr(f["created_by"])}, "|"))
		if f["image"] != lay || !strings.HasPrefix(imageStr(f["manifest"]), "sha256:") {
			t.Errorf("finding image %v manifest %v", f["image"], f["manifest"])
		}
	}
	want := []string{
		"aws-access-key-id|/srv/creds.ini|true|L|COPY creds.ini /srv/",
		"aws-access-key-id|config:Env|<nil>||<nil>",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func imageStr(v any) string {
	if v == nil {
		return "<nil>"
	}
	if b, ok := v.(bool); ok {
		if b {
			return "true"
		}
		return "false"
	}
	s, _ := v.(string)
	return s
}

func TestImageCommandUsageAndBadInput(t *testing.T) {
	dir := t.TempDir()
	notImage := filepath.Join(dir, "x.tar")
	os.WriteFile(notImage, []byte("plain text, not a tar"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no image", []string{"image"}, exitUsage, "name at least one image"},
		{"bad platform", []string{"image", "--platform", "linux", notImage}, exitUsage, "--platform"},
		{"bad max-layer-size", []string{"image", "--max-layer-size", "lots", notImage}, exitUsage, "bad size"},
		{"not an image", []string{"image", notImage}, exitInput, notImage + ": not an image archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, cliOpts{}, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d stderr %q; want %d and %q", r.code, r.stderr, tt.code, tt.stderr)
			}
		})
	}
}

// TestImageCorpusAccuracy scans the shared corpus images (docker save
// tarballs and OCI layouts) and scores the report with the corpus scorer:
// no finding may hit a decoy or no row, and every true image row must be
// found — except where the rule set itself misses the text (checked by
// scanning the same text as a plain fragment), which is logged as a rule
// gap rather than a fault of the image source.
func TestImageCorpusAccuracy(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(corpus, "public", "truth.json")); err != nil {
		requireRealPart(t, "the shared corpus is not at "+corpus)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		requireRealPart(t, "python3 is not installed")
	}
	imgs, _ := filepath.Glob(filepath.Join(corpus, "public", "images", "*"))
	if len(imgs) == 0 {
		t.Fatal("no corpus images")
	}
	report := filepath.Join(t.TempDir(), "image.json")
	r := runCLI(t, cliOpts{}, append([]string{"image", "--no-policy", "--show-secrets", "--format", "json", "-o", report}, imgs...)...)
	if r.code != exitFindings && r.code != exitClean {
		t.Fatalf("exit %d; stderr:\n%s", r.code, r.stderr)
	}
	summaryPath := report + ".score.json"
	out, err := exec.Command(py, filepath.Join(corpus, "score.py"), "--truth", filepath.Join(corpus, "public", "truth.json"),
		"--source", "image", "--tool", "secretlint", "--report", report, "--json-out", summaryPath, "--show-fp", "20").CombinedOutput()
	if err != nil {
		t.Fatalf("score.py: %v\n%s", err, out)
	}
	t.Logf("score.py:\n%s", out)
	var sum struct {
		Overall struct{ TP, FP, FN int } `json:"overall"`
		Missed  []string                 `json:"missed_ids"`
	}
	b, _ := os.ReadFile(summaryPath)
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Overall.FP != 0 {
		t.Errorf("%d findings hit a decoy or no truth row", sum.Overall.FP)
	}
	if len(sum.Missed) == 0 {
		return
	}
	var truth []map[string]any
	tb, _ := os.ReadFile(filepath.Join(corpus, "public", "truth.json"))
	json.Unmarshal(tb, &truth)
	byID := map[string]map[string]any{}
	for _, row := range truth {
		byID[imageStr(row["id"])] = row
	}
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	eng := scan.NewEngine(cfg.Rules)
	for _, id := range sum.Missed {
		row := byID[id]
		text := corpusText(t, corpus, row)
		if text == "" {
			t.Errorf("%s: the row's text is not in its image (%v)", id, row["path"])
			continue
		}
		found := false
		for _, f := range eng.Scan(scan.Fragment{Origin: &scan.Origin{Path: imageStr(row["path"])}, Data: []byte(text)}) {
			if strings.Contains(f.Secret, imageStr(row["secret"])) || strings.Contains(imageStr(row["secret"]), f.Secret) && len(f.Secret) >= 8 {
				found = true
			}
		}
		if found {
			t.Errorf("%s (%s %v): the rules find it in plain text but the image scan missed it", id, row["kind"], row["path"])
		} else {
			t.Logf("rule gap: %s (%s in %v) is not found by the rule set even in plain text", id, row["kind"], row["path"])
		}
	}
}

// corpusText returns the text holding a truth row's secret, read straight
// from the row's image: the whole file for a layer file, the config entry
// for config rows.
func corpusText(t *testing.T, corpus string, row map[string]any) string {
	t.Helper()
	files, _ := row["image_files"].([]any)
	if len(files) == 0 {
		return ""
	}
	ts, err := image.NewResolver().Resolve(context.Background(), filepath.Join(corpus, "public", imageStr(files[0])))
	if err != nil || len(ts) == 0 {
		t.Fatalf("resolve %v: %v", files[0], err)
	}
	img := ts[0].Image
	secret := imageStr(row["secret"])
	p := imageStr(row["path"])
	if strings.HasPrefix(p, "config:") {
		cf, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		var cands []string
		cands = append(cands, cf.Config.Env...)
		for _, h := range cf.History {
			cands = append(cands, h.CreatedBy)
		}
		for _, c := range cands {
			if strings.Contains(c, secret) {
				return c
			}
		}
		return ""
	}
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	idx, _ := row["layer_index"].(float64)
	rc, err := ls[int(idx)].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err != nil {
			return ""
		}
		if strings.TrimPrefix(h.Name, "./") == strings.TrimPrefix(p, "/") {
			b, _ := io.ReadAll(tr)
			return string(b)
		}
	}
}

// requireRealPart skips, or fails under SECRETLINT_REQUIRE_REAL_PARTS=1.
func requireRealPart(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("SECRETLINT_REQUIRE_REAL_PARTS") == "1" {
		t.Fatalf("%s (SECRETLINT_REQUIRE_REAL_PARTS=1)", why)
	}
	t.Skip(why)
}
