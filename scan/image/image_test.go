package image

import (
	"archive/zip"
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/secretlint/secretlint/scan"
)

// row is the part of a finding these tests compare.
type row struct {
	Rule       string
	Path       string
	Line       int
	LayerIndex int
	Deleted    bool
	DeletedBy  string
	CreatedBy  string
}

func rows(fs []scan.Finding) []row {
	var out []row
	for _, f := range fs {
		r := row{Rule: f.RuleID, Path: f.Path, Line: f.Line, Deleted: f.Deleted, DeletedBy: f.DeletedBy, CreatedBy: f.CreatedBy, LayerIndex: -2}
		if f.LayerIndex != nil {
			r.LayerIndex = *f.LayerIndex
		}
		out = append(out, r)
	}
	return out
}

func TestLayerFilesDeletedAndOverwritten(t *testing.T) {
	key := fakeAWSKey(1)
	secretFile := "# deploy\nAWS_ACCESS_KEY_ID=" + key + "\n"
	base := []entry{dir("app/"), {name: "app/keys.txt", body: secretFile, mode: 0o600}}
	tests := []struct {
		name  string
		upper []entry // the second layer; nil for none
		want  func(up string) []row
	}{
		{
			name: "kept",
			want: func(string) []row {
				return []row{{Rule: "aws-access-key-id", Path: "/app/keys.txt", Line: 2, LayerIndex: 0, CreatedBy: "COPY keys.txt /app/"}}
			},
		},
		{
			name:  "whiteout of the file",
			upper: []entry{dir("app/"), file("app/.wh.keys.txt", "")},
			want: func(up string) []row {
				return []row{{Rule: "aws-access-key-id", Path: "/app/keys.txt", Line: 2, LayerIndex: 0, Deleted: true, DeletedBy: up, CreatedBy: "COPY keys.txt /app/"}}
			},
		},
		{
			name:  "whiteout of the parent directory",
			upper: []entry{file(".wh.app", "")},
			want: func(up string) []row {
				return []row{{Rule: "aws-access-key-id", Path: "/app/keys.txt", Line: 2, LayerIndex: 0, Deleted: true, DeletedBy: up, CreatedBy: "COPY keys.txt /app/"}}
			},
		},
		{
			name:  "opaque parent directory",
			upper: []entry{dir("app/"), file("app/.wh..wh..opq", ""), file("app/other.txt", "x\n")},
			want: func(up string) []row {
				return []row{{Rule: "aws-access-key-id", Path: "/app/keys.txt", Line: 2, LayerIndex: 0, Deleted: true, DeletedBy: up, CreatedBy: "COPY keys.txt /app/"}}
			},
		},
		{
			name:  "overwritten",
			upper: []entry{dir("app/"), file("app/keys.txt", "rotated\n")},
			want: func(up string) []row {
				return []row{{Rule: "aws-access-key-id", Path: "/app/keys.txt", Line: 2, LayerIndex: 0, Deleted: true, DeletedBy: up, CreatedBy: "COPY keys.txt /app/"}}
			},
		},
		{
			name:  "whiteout of a sibling leaves it",
			upper: []entry{dir("app/"), file("app/.wh.keys.txt.bak", "")},
			want: func(string) []row {
				return []row{{Rule: "aws-access-key-id", Path: "/app/keys.txt", Line: 2, LayerIndex: 0, CreatedBy: "COPY keys.txt /app/"}}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := []step{{layer(t, base), "COPY keys.txt /app/"}}
			up := ""
			if tt.upper != nil {
				l := layer(t, tt.upper)
				up = digest(t, l)
				steps = append(steps, step{l, "RUN rm -f /app/keys.txt"})
			}
			img := buildImage(t, v1.Config{}, steps...)
			out := scanImages(t, []Target{{Name: "test", Image: img}}, WithPolicy(false))
			if errs := out.Errors(); len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if diff := cmp.Diff(tt.want(up), rows(out.Findings())); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range out.Findings() {
				if f.Image != "test" || !strings.HasPrefix(f.Manifest, "sha256:") || f.Layer != digest(t, steps[0].l) || f.Source != scan.SourceImage {
					t.Errorf("finding origin: image %q manifest %q layer %q source %q", f.Image, f.Manifest, f.Layer, f.Source)
				}
			}
		})
	}
}

func TestConfigAndHistory(t *testing.T) {
	k1, k2, k3, k4 := fakeAWSKey(11), fakeAWSKey(12), fakeAWSKey(13), fakeAWSKey(14)
	cfg := v1.Config{
		Env:        []string{"PATH=/usr/bin", "AWS_ACCESS_KEY_ID=" + k1},
		Labels:     map[string]string{"a": "b", "deploy.key": k2},
		Entrypoint: []string{"/bin/run", "--key=" + k3},
	}
	img := buildImage(t, cfg, step{layer(t, []entry{file("etc/hostname", "box\n")}), "RUN echo " + k4 + " > /dev/null"})
	out := scanImages(t, []Target{{Name: "cfg", Image: img}}, WithPolicy(false))
	want := []row{
		{Rule: "aws-access-key-id", Path: "config:Entrypoint", Line: 1, LayerIndex: -1},
		{Rule: "aws-access-key-id", Path: "config:Env", Line: 2, LayerIndex: -1},
		{Rule: "aws-access-key-id", Path: "config:History[0]", Line: 1, LayerIndex: -1},
		{Rule: "aws-access-key-id", Path: "config:Labels", Line: 2, LayerIndex: -1},
	}
	if diff := cmp.Diff(want, rows(out.Findings())); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestPolicyHints(t *testing.T) {
	key := fakeAWSKey(21)
	cred := "[default]\naws_access_key_id = " + key + "\n"
	l0 := layer(t, []entry{
		dir("root/"), dir("root/.aws/"),
		{name: "root/.aws/credentials", body: cred, mode: 0o644},
		{name: "srv/app.conf", body: "key=" + key + "\n", mode: 0o600},
		{name: "srv/.env.example", body: "KEY=\n", mode: 0o644},
	})
	l1 := layer(t, []entry{file("srv/.npmrc", "registry=https://registry.example.test/\n"), file("root/.aws/.wh.credentials", "")})
	img := buildImage(t, v1.Config{}, step{l0, "COPY . /"}, step{l1, "RUN cleanup"})
	out := scanImages(t, []Target{{Name: "pol", Image: img}})
	var got []string
	for _, f := range out.Findings() {
		got = append(got, f.RuleID+" "+f.Path+" deleted="+map[bool]string{true: "yes", false: "no"}[f.Deleted])
	}
	sort.Strings(got)
	want := []string{
		"aws-access-key-id /root/.aws/credentials deleted=yes",
		"aws-access-key-id /srv/app.conf deleted=no",
		"image-credentials-file /root/.aws/credentials deleted=yes",
		"image-credentials-file /srv/.npmrc deleted=no",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}

	// The same secret file, world-readable and still present.
	l2 := layer(t, []entry{{name: "srv/app.conf", body: "key=" + key + "\n", mode: 0o644}})
	img = buildImage(t, v1.Config{}, step{l2, "COPY app.conf /srv/"})
	out = scanImages(t, []Target{{Name: "pol2", Image: img}})
	got = nil
	for _, f := range out.Findings() {
		got = append(got, f.RuleID+" "+f.Path)
	}
	sort.Strings(got)
	want = []string{"aws-access-key-id /srv/app.conf", "image-secret-file-world-readable /srv/app.conf"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if out := scanImages(t, []Target{{Name: "pol2", Image: img}}, WithPolicy(false)); len(out.Findings()) != 1 {
		t.Errorf("WithPolicy(false): got %d findings, want the secret only", len(out.Findings()))
	}
}

func TestCompressionAndMediaTypes(t *testing.T) {
	key := fakeAWSKey(31)
	es := []entry{file("app/k", "id="+key+"\n")}
	raw := tarBytes(t, es...)
	tests := []struct {
		name string
		l    v1.Layer
	}{
		{"gzip", layer(t, es)},
		{"zstd", layer(t, es, tarball.WithCompression("zstd"))},
		{"uncompressed", rawLayer(raw, types.OCIUncompressedLayer)},
		{"gzip blob under an uncompressed media type", rawLayer(gzipBytes(t, raw), types.OCIUncompressedLayer)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := buildImage(t, v1.Config{}, step{tt.l, "COPY k /app/"})
			out := scanImages(t, []Target{{Name: tt.name, Image: img}}, WithPolicy(false))
			if errs := out.Errors(); len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			if fs := out.Findings(); len(fs) != 1 || fs[0].Path != "/app/k" {
				t.Fatalf("findings = %v, want one in /app/k", rows(fs))
			}
		})
	}
}

func TestSharedLayerReadOnce(t *testing.T) {
	key := fakeAWSKey(41)
	shared := layer(t, []entry{file("opt/cfg", "k="+key+"\n")})
	a := buildImage(t, v1.Config{}, step{shared, "COPY cfg /opt/"})
	b := buildImage(t, v1.Config{Env: []string{"X=1"}}, step{layer(t, []entry{file("etc/x", "x\n")}), "RUN x"}, step{shared, "COPY cfg /opt/"})
	e := engine(t)
	out := &scan.Collector{}
	if err := FromImages([]Target{{Name: "a", Image: a}, {Name: "b", Image: b}}, WithJobs(2), WithPolicy(false)).Scan(t.Context(), e, out); err != nil {
		t.Fatal(err)
	}
	// 2 configs + 2 distinct layers.
	if got := out.Inputs(); got != 4 {
		t.Errorf("inputs = %d, want 4 (the shared layer read once)", got)
	}
	// The progress line counts distinct layers, with their total.
	if w := out.Work(); w != (scan.Work{Unit: "layers", Total: 2, Done: 2}) {
		t.Errorf("work %+v, want 2 of 2 layers", w)
	}
	var got []string
	for _, f := range out.Findings() {
		got = append(got, f.Image+" "+f.Path+" "+string(rune('0'+*f.LayerIndex)))
	}
	want := []string{"a /opt/cfg 0", "b /opt/cfg 1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestBadLayers checks that a broken layer is an error naming the image
// and the layer, and that the image's other layers are still scanned.
func TestBadLayers(t *testing.T) {
	key := fakeAWSKey(51)
	good := layer(t, []entry{file("ok/k", "id="+key+"\n")})
	big := tarBytes(t, file("bomb", strings.Repeat("0", 4<<20)))
	truncated := gzipBytes(t, tarBytes(t, file("a", strings.Repeat("a\n", 50000)), file("b", "b\n")))
	truncated = truncated[:len(truncated)/2]
	tests := []struct {
		name    string
		bad     v1.Layer
		opts    []Option
		wantErr string
	}{
		{"gzip bomb", rawLayer(gzipBytes(t, big), types.OCILayer), []Option{WithMaxLayerSize(1 << 20)}, "exceeds the layer cap"},
		{"truncated gzip", rawLayer(truncated, types.OCILayer), nil, "unexpected EOF"},
		{"not a tar", rawLayer(gzipBytes(t, []byte(strings.Repeat("not a tar\n", 100))), types.OCILayer), nil, "not a tar layer"},
		{"not gzip", rawLayer([]byte{0x1f, 0x8b, 0, 0, 1, 2, 3}, types.OCILayer), nil, "gzip"},
		{"unknown media type", rawLayer(gzipBytes(t, tarBytes(t, file("x", "x"))), "application/vnd.example.unknown"), nil, "unsupported layer media type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := buildImage(t, v1.Config{}, step{tt.bad, "ADD bad /"}, step{good, "COPY k /ok/"})
			out := scanImages(t, []Target{{Name: "broken.tar", Image: img}}, append(tt.opts, WithPolicy(false))...)
			errs := out.Errors()
			if len(errs) != 1 {
				t.Fatalf("errors = %v, want one", errs)
			}
			msg := errs[0].Error()
			for _, w := range []string{"broken.tar", "layer 0", digest(t, tt.bad), tt.wantErr} {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
			if strings.Contains(msg, key) {
				t.Errorf("error leaks the secret: %q", msg)
			}
			fs := out.Findings()
			if len(fs) != 1 || fs[0].Path != "/ok/k" {
				t.Errorf("findings = %v, want the good layer's", rows(fs))
			}
		})
	}
}

func TestLargeAndBinaryFiles(t *testing.T) {
	key := fakeAWSKey(61)
	long := strings.Repeat("filler line of text\n", (wholeFileLimit/20)+100) + "AWS_ACCESS_KEY_ID=" + key + "\n"
	l := layer(t, []entry{
		file("big.txt", long),
		file("bin.dat", "\x00\x01"+key),
		file("huge.txt", strings.Repeat("y", 2048)+" "+key),
	})
	img := buildImage(t, v1.Config{}, step{l, "ADD . /"})
	out := scanImages(t, []Target{{Name: "big", Image: img}}, WithMaxFileSize(wholeFileLimit*2), WithPolicy(false))
	got := rows(out.Findings())
	want := []row{
		{Rule: "aws-access-key-id", Path: "/big.txt", Line: wholeFileLimit/20 + 101, LayerIndex: 0, CreatedBy: "ADD . /"},
		{Rule: "aws-access-key-id", Path: "/huge.txt", Line: 1, LayerIndex: 0, CreatedBy: "ADD . /"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if s := out.Skips(); len(s) != 1 || !strings.Contains(s[0].Reason, "1 binary") {
		t.Errorf("skips = %v, want one noting the binary file", s)
	}
	out = scanImages(t, []Target{{Name: "big", Image: img}}, WithMaxFileSize(1024), WithPolicy(false))
	if len(out.Findings()) != 0 || len(out.Skips()) != 3 {
		t.Errorf("--max-file-size 1024: findings %v skips %v; want none and 3 skips", rows(out.Findings()), out.Skips())
	}
}

func TestCleanPath(t *testing.T) {
	for in, want := range map[string]string{"./app/x": "app/x", "/app/x": "app/x", "app//x/../y": "app/y", "./": "", "../../etc/passwd": "etc/passwd"} {
		if got := cleanPath(in); got != want {
			t.Errorf("cleanPath(%q) = %q, want %q", in, got, want)
		}
	}
	for p, want := range map[string]bool{
		"app/.env": true, ".env.production": true, "app/.env.example": false, "root/.aws/credentials": true,
		"home/u/.ssh/id_rsa": true, "home/u/.ssh/id_rsa.pub": false, "x/.docker/config.json": true, "x/config.json": false,
		"app/.truss/config.yaml": true, "app/config.yaml": false, ".npmrc": true, "a/.pypirc": true,
		// The template names are the policy checks' (scan.IsDotenvTemplate).
		"app/.env.local.example": false, "app/.env.Production.Sample": false, "app/.env.DEFAULT": false, "app/.env.local": true,
	} {
		if got := isCredentialsFile(p); got != want {
			t.Errorf("isCredentialsFile(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestRecurringContentScannedOnce checks that a file body seen again (a
// chmod layer, another path, another image) is scanned once and reported
// at each place with its own path, layer and fingerprint.
func TestRecurringContentScannedOnce(t *testing.T) {
	body := "token=" + fakeAWSKey(71) + "\n"
	l0 := layer(t, []entry{{name: "app/a.conf", body: body, mode: 0o600}})
	l1 := layer(t, []entry{{name: "app/a.conf", body: body, mode: 0o640}, {name: "backup/a.conf", body: body, mode: 0o600}})
	img := buildImage(t, v1.Config{}, step{l0, "COPY a.conf /app/"}, step{l1, "RUN chmod 640 /app/a.conf && cp -a /app /backup"})
	e := engine(t)
	out := &scan.Collector{}
	if err := FromImages([]Target{{Name: "dup", Image: img}}, WithPolicy(false)).Scan(t.Context(), e, out); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range out.Findings() {
		k := fmt.Sprintf("%s %d %v %v", f.Path, *f.LayerIndex, f.Deleted, f.Layer == digest(t, []v1.Layer{l0, l1}[*f.LayerIndex]))
		got[k] = true
		if f.Fingerprint != scan.Fingerprint(f.RuleID, f.Path, f.Secret) {
			t.Errorf("%s: fingerprint %s does not use its own path", f.Path, f.Fingerprint)
		}
	}
	want := map[string]bool{"/app/a.conf 0 true true": true, "/app/a.conf 1 false true": true, "/backup/a.conf 1 false true": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	// Two history entries, and the recurring body once.
	if frags, _ := e.Scanned(); frags != 3 {
		t.Errorf("scanned %d fragments, want 3 (the recurring body once)", frags)
	}
}

func TestArchivesInsideLayers(t *testing.T) {
	key, other := fakeAWSKey(71), fakeAWSKey(72)
	var jar bytes.Buffer
	zw := zip.NewWriter(&jar)
	for name, body := range map[string]string{
		"META-INF/MANIFEST.MF":          "Manifest-Version: 1.0\n",
		"config/application.properties": "aws.accessKeyId=" + key + "\n",
		"com/example/App.class":         "\xca\xfe\xba\xbe\x00\x00binary",
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	bundle := gzipBytes(t, tarBytes(t, file("deploy/.env", "AWS_ACCESS_KEY_ID="+other+"\n")))
	l := layer(t, []entry{file("app/lib/service.jar", jar.String()), file("opt/bundle.tgz", string(bundle))})
	img := buildImage(t, v1.Config{}, step{l, "COPY build/ /"})
	out := scanImages(t, []Target{{Name: "svc", Image: img}}, WithPolicy(false))
	want := []row{
		{Rule: "aws-access-key-id", Path: "/app/lib/service.jar!config/application.properties", Line: 1, LayerIndex: 0, CreatedBy: "COPY build/ /"},
		{Rule: "aws-access-key-id", Path: "/opt/bundle.tgz!deploy/.env", Line: 1, LayerIndex: 0, CreatedBy: "COPY build/ /"},
	}
	if diff := cmp.Diff(want, rows(out.Findings())); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if errs := out.Errors(); len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
}

// A text file in a layer named like an archive is scanned as text.
func TestTextNamedLikeArchiveInLayer(t *testing.T) {
	key := fakeAWSKey(73)
	l := layer(t, []entry{file("srv/creds.zip", "aws_access_key_id="+key+"\n"), file("srv/creds.tgz", "aws_access_key_id="+key+"\n")})
	img := buildImage(t, v1.Config{}, step{l, "COPY creds /srv/"})
	out := scanImages(t, []Target{{Name: "svc", Image: img}}, WithPolicy(false))
	want := []row{
		{Rule: "aws-access-key-id", Path: "/srv/creds.tgz", Line: 1, LayerIndex: 0, CreatedBy: "COPY creds /srv/"},
		{Rule: "aws-access-key-id", Path: "/srv/creds.zip", Line: 1, LayerIndex: 0, CreatedBy: "COPY creds /srv/"},
	}
	if diff := cmp.Diff(want, rows(out.Findings())); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if errs := out.Errors(); len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
}
