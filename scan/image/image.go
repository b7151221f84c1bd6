package image

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/scan"
)

// Target is one image to scan and the name its findings carry (the file,
// directory or reference the user gave).
type Target struct {
	Name  string
	Image v1.Image
	// uncompressed says the image's layers are best read through
	// Uncompressed (a docker save tarball whose layers are plain tars,
	// where Compressed would gzip them first).
	uncompressed bool
	// closer, when set, is closed after the scan (an archive read in place).
	closer io.Closer
	// idle, when set, fails a layer read that makes no progress for that
	// long (a registry that stops sending mid-blob).
	idle time.Duration
}

type options struct {
	jobs        int
	maxLayer    int64
	maxFileSize int64
	policy      bool
	resolver    *Resolver
}

// Option configures a Source.
type Option func(*options)

// WithJobs sets how many layers are read at once (default 2).
func WithJobs(n int) Option { return func(o *options) { o.jobs = n } }

// WithMaxLayerSize caps the decompressed bytes read from one layer (0: no
// cap). A layer that inflates past it is reported and left part-read.
func WithMaxLayerSize(n int64) Option { return func(o *options) { o.maxLayer = n } }

// WithMaxFileSize skips files in layers larger than n bytes (0: no limit).
func WithMaxFileSize(n int64) Option { return func(o *options) { o.maxFileSize = n } }

// WithPolicy turns the image policy hints (credentials files, world-readable
// secret files) on or off (default on).
func WithPolicy(on bool) Option { return func(o *options) { o.policy = on } }

// WithResolver sets the resolver that turns arguments into images.
func WithResolver(r *Resolver) Option { return func(o *options) { o.resolver = r } }

// DefaultMaxLayerSize is the default cap on decompressed bytes per layer.
const DefaultMaxLayerSize = 16 << 30

// Source scans container images: targets given directly, and arguments
// its Resolver turns into images when the scan starts.
type Source struct {
	args    []string
	targets []Target
	o       options
}

var _ scan.Source = (*Source)(nil)

// New returns a source for user arguments (tarballs, layout directories,
// registry references), resolved when Scan runs.
func New(args []string, opts ...Option) *Source {
	s := &Source{args: args}
	s.init(opts)
	return s
}

// FromImages returns a source for images already in hand.
func FromImages(ts []Target, opts ...Option) *Source {
	s := &Source{targets: ts}
	s.init(opts)
	return s
}

func (s *Source) init(opts []Option) {
	s.o = options{jobs: 2, maxLayer: DefaultMaxLayerSize, maxFileSize: 50 << 20, policy: true}
	for _, o := range opts {
		o(&s.o)
	}
	if s.o.jobs < 1 {
		s.o.jobs = 1
	}
	if s.o.resolver == nil {
		s.o.resolver = NewResolver()
	}
}

// String names the source's inputs, for error messages.
func (s *Source) String() string {
	names := append([]string(nil), s.args...)
	for _, t := range s.targets {
		names = append(names, t.Name)
	}
	return strings.Join(names, " ")
}

// layerRef is one layer of one image.
type layerRef struct {
	layer     v1.Layer
	digest    string
	index     int
	createdBy string
	err       error // the layer could not even be described
}

// plan is one image ready to scan.
type plan struct {
	t        Target
	manifest string
	cfg      *v1.ConfigFile
	layers   []layerRef
}

// job reads one distinct layer.
type job struct {
	key   string
	layer v1.Layer
	t     Target
	label string
	res   *layerResult
}

// Scan resolves the arguments (an argument that resolves in part, such as
// a truncated archive, is reported and its readable images scanned), then reads every distinct layer once (in
// parallel) and the config and history of every image.
func (s *Source) Scan(ctx context.Context, e *scan.Engine, out *scan.Collector) error {
	targets := append([]Target(nil), s.targets...)
	defer func() {
		for _, t := range targets {
			if t.closer != nil {
				t.closer.Close()
			}
		}
	}()
	for _, a := range s.args {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ts, err := s.o.resolver.Resolve(ctx, a)
		if err != nil {
			out.Error(a, err)
		}
		targets = append(targets, ts...)
	}
	var plans []*plan
	jobs := map[string]*job{}
	var order []*job
	for _, t := range targets {
		p, err := newPlan(t)
		if err != nil {
			out.Error(t.Name, err)
			continue
		}
		plans = append(plans, p)
		out.Input()
		out.Add(scanConfig(e, p)...)
		for _, l := range p.layers {
			label := layerLabel(p, l)
			if l.err != nil {
				out.Error(label, l.err)
				continue
			}
			if _, ok := jobs[l.digest]; ok {
				continue
			}
			j := &job{key: l.digest, layer: l.layer, t: t, label: label}
			jobs[l.digest] = j
			order = append(order, j)
		}
	}
	out.Expect("layers", int64(len(order)))
	cache := newContentCache(e)
	slots := make(chan struct{}, s.o.jobs+1)
	wp := pool.New().WithMaxGoroutines(s.o.jobs)
	for _, j := range order {
		wp.Go(func() {
			if ctx.Err() != nil {
				return
			}
			j.res = s.readLayer(ctx, e, out, j, cache, slots)
			out.Input()
			out.Did(1)
			if j.res.err != nil {
				out.Error(j.label, j.res.err)
			}
			if j.res.binary > 0 {
				out.Skip(j.label, fmt.Sprintf("%d binary files not scanned", j.res.binary))
			}
		})
	}
	wp.Wait()
	results := map[string]*layerResult{}
	for _, j := range order {
		if j.res != nil {
			results[j.key] = j.res
		}
	}
	for _, p := range plans {
		out.Add(s.assemble(p, results)...)
	}
	return ctx.Err()
}

func layerLabel(p *plan, l layerRef) string {
	d := l.digest
	if d == "" {
		d = "(unknown digest)"
	}
	return fmt.Sprintf("%s layer %d %s", p.t.Name, l.index, d)
}

// knownLayerTypes are the layer media types the scanner reads.
var knownLayerTypes = map[types.MediaType]bool{
	types.DockerLayer:                    true,
	types.DockerForeignLayer:             true,
	types.DockerUncompressedLayer:        true,
	types.OCILayer:                       true,
	types.OCILayerZStd:                   true,
	types.OCIUncompressedLayer:           true,
	types.OCIRestrictedLayer:             true,
	types.OCIUncompressedRestrictedLayer: true,
	"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd": true,
}

// newPlan reads an image's manifest, config and layer list; it reads no
// layer content.
func newPlan(t Target) (*plan, error) {
	if t.Image == nil {
		return nil, fmt.Errorf("no image")
	}
	// A docker save tarball of plain tar layers carries no manifest, and
	// go-containerregistry would gzip every layer to make one up; such an
	// image is named by its ID (the config digest) and its layers by their
	// diff IDs instead.
	digestOf := t.Image.Digest
	if t.uncompressed {
		digestOf = t.Image.ConfigName
	}
	d, err := digestOf()
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	cfg, err := t.Image.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if cfg == nil {
		return nil, fmt.Errorf("read config: empty config")
	}
	ls, err := t.Image.Layers()
	if err != nil {
		return nil, fmt.Errorf("list layers: %w", err)
	}
	p := &plan{t: t, manifest: d.String(), cfg: cfg}
	created := layerHistory(cfg, len(ls))
	for i, l := range ls {
		lr := layerRef{layer: l, index: i, createdBy: created[i]}
		layerDigest := l.Digest
		if t.uncompressed {
			layerDigest = l.DiffID
		}
		if h, err := layerDigest(); err != nil {
			lr.err = fmt.Errorf("read layer digest: %w", err)
		} else {
			lr.digest = h.String()
		}
		if lr.err == nil {
			mt, err := l.MediaType()
			switch {
			case err != nil:
				lr.err = fmt.Errorf("read layer media type: %w", err)
			case !knownLayerTypes[mt]:
				lr.err = fmt.Errorf("unsupported layer media type %q", mt)
			}
		}
		p.layers = append(p.layers, lr)
	}
	return p, nil
}

// layerHistory maps layers to the history entries (Dockerfile
// instructions) that created them: entries not marked empty_layer, in
// order. It gives "" for every layer when the counts disagree.
func layerHistory(cfg *v1.ConfigFile, n int) []string {
	out := make([]string, n)
	var hs []v1.History
	for _, h := range cfg.History {
		if !h.EmptyLayer {
			hs = append(hs, h)
		}
	}
	if len(hs) != n {
		return out
	}
	for i, h := range hs {
		out[i] = h.CreatedBy
	}
	return out
}

func (s *Source) readLayer(ctx context.Context, e *scan.Engine, out *scan.Collector, j *job, cache *contentCache, slots chan struct{}) *layerResult {
	w := &walker{
		e: e, out: out, maxFileSize: s.o.maxFileSize, maxLayer: s.o.maxLayer, label: j.label, jobs: s.o.jobs, cache: cache, slots: slots, ctx: ctx,
		origin: scan.Origin{Source: scan.SourceImage, ImageInfo: scan.ImageInfo{Layer: j.key}},
	}
	var (
		rc  io.ReadCloser
		err error
	)
	if j.t.uncompressed {
		rc, err = j.layer.Uncompressed()
	} else {
		rc, err = j.layer.Compressed()
	}
	if err != nil {
		res := newLayerResult()
		res.err = fmt.Errorf("open layer: %w", err)
		return res
	}
	defer rc.Close()
	if !j.t.uncompressed && j.t.idle == 0 {
		// Local blobs are not checked by go-containerregistry (registry
		// blobs are): hash what is read and compare at the end.
		rc = newVerifier(rc, j.key)
	}
	if j.t.idle > 0 {
		ir := newIdleReader(rc, j.t.idle)
		defer ir.stop()
		return w.walk(ir)
	}
	return w.walk(rc)
}

// verifier hashes a blob as it is read and fails at its end when the
// digest differs from the one the manifest names.
type verifier struct {
	io.ReadCloser
	want string
	h    hash.Hash
}

func newVerifier(rc io.ReadCloser, want string) io.ReadCloser {
	if !strings.HasPrefix(want, "sha256:") {
		return rc
	}
	return &verifier{ReadCloser: rc, want: want, h: sha256.New()}
}

func (v *verifier) Read(p []byte) (int, error) {
	n, err := v.ReadCloser.Read(p)
	v.h.Write(p[:n])
	if err == io.EOF {
		if got := "sha256:" + hex.EncodeToString(v.h.Sum(nil)); got != v.want {
			return n, fmt.Errorf("blob digest mismatch: the manifest names %s but the blob hashes to %s (corrupt or replaced)", v.want, got)
		}
	}
	return n, err
}

// errStalled reports a blob download that stopped making progress.
var errStalled = errors.New("no data from the registry within the timeout; gave up on the layer")

// idleReader closes its source when no Read returns for the idle time,
// which unblocks a Read stuck on a stalled connection.
type idleReader struct {
	rc    io.ReadCloser
	idle  time.Duration
	timer *time.Timer
	fired atomic.Bool
}

func newIdleReader(rc io.ReadCloser, idle time.Duration) *idleReader {
	r := &idleReader{rc: rc, idle: idle}
	r.timer = time.AfterFunc(idle, func() {
		r.fired.Store(true)
		rc.Close()
	})
	return r
}

func (r *idleReader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	if r.fired.Load() {
		return n, errStalled
	}
	r.timer.Reset(r.idle)
	return n, err
}

func (r *idleReader) stop() { r.timer.Stop() }

// assemble turns the layer results into one image's findings: each file
// finding gets the image, manifest, layer index and history entry, and
// whether a later layer hides the file; then the policy hints.
func (s *Source) assemble(p *plan, results map[string]*layerResult) []scan.Finding {
	stack := make([]*layerResult, len(p.layers))
	for i, l := range p.layers {
		stack[i] = results[l.digest]
	}
	var out []scan.Finding
	add := func(fs ...scan.Finding) { out = append(out, fs...) }
	readable := map[string]bool{}
	for i, l := range p.layers {
		res := stack[i]
		if res == nil {
			continue
		}
		origin := func(fp string) *scan.Origin {
			o := &scan.Origin{
				Source:    scan.SourceImage,
				Path:      "/" + fp,
				ImageInfo: scan.ImageInfo{Image: p.t.Name, Manifest: p.manifest, Layer: l.digest, LayerIndex: new(i), CreatedBy: l.createdBy},
			}
			if j := hiddenBy(stack, i, fp); j >= 0 {
				o.Deleted, o.DeletedBy = true, p.layers[j].digest
			}
			return o
		}
		for _, h := range res.hits {
			o := origin(h.path)
			for _, f := range h.findings {
				f.ImageInfo = o.ImageInfo
				f.LayerIndex = new(i)
				add(f)
			}
			if s.o.policy && !o.Deleted && h.mode&0o004 != 0 && !readable[h.path] {
				readable[h.path] = true
				add(worldReadableHint(o, h.mode))
			}
		}
		if s.o.policy {
			for _, c := range res.creds {
				add(credentialsHint(origin(c.path)))
			}
			for _, k := range res.keyModes {
				// The mode matters to the users of the running container:
				// only for the file the final filesystem holds.
				if o := origin(k.path); !o.Deleted {
					add(permissionsHint(o, k.msg))
				}
			}
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return *out[a].LayerIndex < *out[b].LayerIndex })
	return out
}

// hiddenBy returns the index of the first layer above i that hides path p
// (a whiteout of it or a parent, an opaque parent, or an entry at it or a
// non-directory at a parent), or -1.
func hiddenBy(stack []*layerResult, i int, p string) int {
	for j := i + 1; j < len(stack); j++ {
		r := stack[j]
		if r == nil {
			continue
		}
		if _, ok := r.entries[p]; ok || r.whiteouts[p] {
			return j
		}
		for a := parent(p); a != ""; a = parent(a) {
			if r.whiteouts[a] || r.opaque[a] {
				return j
			}
			if k, ok := r.entries[a]; ok && k != kindDir {
				return j
			}
		}
		if r.opaque[""] {
			return j
		}
	}
	return -1
}

func parent(p string) string {
	if k := strings.LastIndexByte(p, '/'); k >= 0 {
		return p[:k]
	}
	return ""
}
