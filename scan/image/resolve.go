package image

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

type resolveOptions struct {
	platform     *v1.Platform
	allPlatforms bool
	insecure     bool
	timeout      time.Duration
}

// ResolveOption configures a Resolver.
type ResolveOption func(*resolveOptions)

// WithPlatform chooses the platform taken from multi-platform indexes
// (default: the host's).
func WithPlatform(p v1.Platform) ResolveOption {
	return func(o *resolveOptions) { o.platform = &p }
}

// WithAllPlatforms takes every platform of a multi-platform index.
func WithAllPlatforms(on bool) ResolveOption {
	return func(o *resolveOptions) { o.allPlatforms = on }
}

// WithInsecure allows plain HTTP to the registry (ggcr already uses it for
// localhost and 127.0.0.1; this extends it to any host).
func WithInsecure(on bool) ResolveOption { return func(o *resolveOptions) { o.insecure = on } }

// WithTimeout bounds connecting to the registry, waiting for each
// response's headers, and any pause while a layer downloads (default 30s).
func WithTimeout(d time.Duration) ResolveOption { return func(o *resolveOptions) { o.timeout = d } }

// Resolver turns what a user names — a docker save tarball, an OCI layout
// directory, an OCI archive tarball or a registry reference — into images.
type Resolver struct {
	o resolveOptions
}

// NewResolver returns a resolver.
func NewResolver(opts ...ResolveOption) *Resolver {
	r := &Resolver{o: resolveOptions{timeout: 30 * time.Second}}
	for _, o := range opts {
		o(&r.o)
	}
	if r.o.platform == nil {
		p := v1.Platform{OS: "linux", Architecture: runtime.GOARCH}
		r.o.platform = &p
	}
	return r
}

// Resolve returns the images an argument names. A path that exists is read
// as a file or directory; anything else must parse as a registry reference.
// It may return images and an error together when an input is readable only
// in part.
func (r *Resolver) Resolve(ctx context.Context, arg string) ([]Target, error) {
	fi, err := os.Stat(arg)
	switch {
	case err == nil && fi.IsDir():
		return r.fromLayout(arg)
	case err == nil:
		return r.fromTarball(arg)
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	return r.fromRegistry(ctx, arg)
}

func (r *Resolver) fromLayout(dir string) ([]Target, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("read OCI layout: %w", err)
	}
	return r.fromIndex(dir, idx)
}

func (r *Resolver) fromTarball(file string) ([]Target, error) {
	a, err := openArchive(file)
	if err != nil {
		return nil, err
	}
	ts, err := r.fromArchive(file, a)
	if a.has("oci-layout") && a.has("index.json") {
		// Images read from the archive in place: close it after the scan.
		for i := range ts {
			ts[i].closer = a
		}
	} else {
		a.close()
	}
	if a.damage != nil {
		if err == nil {
			err = a.damage
		} else {
			err = fmt.Errorf("%w (%v)", err, a.damage)
		}
	}
	return ts, err
}

func (r *Resolver) fromArchive(file string, a *archive) ([]Target, error) {
	if a.has("oci-layout") && a.has("index.json") {
		idx, err := a.index()
		if err != nil {
			return nil, fmt.Errorf("read OCI archive: %w", err)
		}
		return r.fromIndex(file, idx)
	}
	if !a.has("manifest.json") {
		return nil, fmt.Errorf("not an image archive: no manifest.json (docker save) or oci-layout and index.json (OCI archive)")
	}
	opener := func() (io.ReadCloser, error) { return os.Open(file) }
	m, err := tarball.LoadManifest(opener)
	if err != nil {
		return nil, fmt.Errorf("read docker save manifest.json: %w", err)
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("docker save manifest.json lists no image")
	}
	var out []Target
	for i, d := range m {
		var tag *name.Tag
		if len(m) > 1 {
			if len(d.RepoTags) == 0 {
				return out, fmt.Errorf("docker save manifest.json entry %d has no tag to select it by", i)
			}
			t, err := name.NewTag(d.RepoTags[0])
			if err != nil {
				return out, fmt.Errorf("docker save manifest.json entry %d: %w", i, err)
			}
			tag = &t
		}
		img, err := tarball.Image(opener, tag)
		if err != nil {
			return out, fmt.Errorf("read docker save image %d: %w", i, err)
		}
		out = append(out, Target{Name: file, Image: img, uncompressed: !a.compressed(d.Layers)})
	}
	return out, nil
}

func (r *Resolver) remoteOptions(ctx context.Context) []remote.Option {
	tr := remote.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: r.o.timeout, KeepAlive: 30 * time.Second}).DialContext
	tr.ResponseHeaderTimeout = r.o.timeout
	tr.TLSHandshakeTimeout = r.o.timeout
	// Credentials come from the Docker config and its helpers, as docker
	// pull finds them.
	return []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(authn.DefaultKeychain),
		remote.WithTransport(tr),
		remote.WithUserAgent("secretlint"),
		remote.WithRetryBackoff(remote.Backoff{Duration: 200 * time.Millisecond, Factor: 2, Steps: 2}),
	}
}

func (r *Resolver) fromRegistry(ctx context.Context, arg string) ([]Target, error) {
	var nopts []name.Option
	if r.o.insecure {
		nopts = append(nopts, name.Insecure)
	}
	ref, err := name.ParseReference(arg, nopts...)
	if err != nil {
		return nil, fmt.Errorf("not a file, directory or image reference: %w", err)
	}
	desc, err := remote.Get(ref, r.remoteOptions(ctx)...)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", ref, err)
	}
	switch {
	case desc.MediaType.IsIndex():
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, fmt.Errorf("read index %s: %w", ref, err)
		}
		ts, err := r.fromIndex(arg, idx)
		for i := range ts {
			ts[i].idle = r.o.timeout
		}
		return ts, err
	case desc.MediaType.IsImage():
		img, err := desc.Image()
		if err != nil {
			return nil, fmt.Errorf("read image %s: %w", ref, err)
		}
		return []Target{{Name: arg, Image: img, idle: r.o.timeout}}, nil
	}
	return nil, fmt.Errorf("%s: unsupported manifest media type %q", ref, desc.MediaType)
}

// candidate is an image manifest found in an index.
type candidate struct {
	desc v1.Descriptor
	idx  v1.ImageIndex
}

// fromIndex chooses images from an index (following nested indexes): every
// image without a platform, and those of the wanted platform (or all with
// WithAllPlatforms). Attestation manifests (platform unknown/unknown) are
// left out.
func (r *Resolver) fromIndex(nameArg string, idx v1.ImageIndex) ([]Target, error) {
	var cands []candidate
	if err := collect(idx, &cands, 0); err != nil {
		return nil, err
	}
	var out []Target
	var seen []string
	for _, c := range cands {
		p := c.desc.Platform
		if p != nil && p.OS == "unknown" {
			continue
		}
		if p != nil {
			seen = append(seen, p.String())
		}
		if p != nil && !r.o.allPlatforms && !p.Satisfies(*r.o.platform) {
			continue
		}
		img, err := c.idx.Image(c.desc.Digest)
		if err != nil {
			return out, fmt.Errorf("read image %s: %w", c.desc.Digest, err)
		}
		out = append(out, Target{Name: nameArg, Image: img})
	}
	if len(out) == 0 {
		sort.Strings(seen)
		if len(seen) > 0 {
			return nil, fmt.Errorf("no image for platform %s (the index has %s; use --platform or --all-platforms)", r.o.platform, strings.Join(seen, ", "))
		}
		return nil, fmt.Errorf("the index lists no image")
	}
	return out, nil
}

func collect(idx v1.ImageIndex, out *[]candidate, depth int) error {
	if depth > 8 {
		return fmt.Errorf("indexes nested deeper than 8 levels")
	}
	m, err := idx.IndexManifest()
	if err != nil {
		return fmt.Errorf("read index: %w", err)
	}
	for _, d := range m.Manifests {
		switch {
		case d.MediaType.IsIndex():
			child, err := idx.ImageIndex(d.Digest)
			if err != nil {
				return fmt.Errorf("read index %s: %w", d.Digest, err)
			}
			if err := collect(child, out, depth+1); err != nil {
				return err
			}
		case d.MediaType.IsImage():
			*out = append(*out, candidate{desc: d, idx: idx})
		}
	}
	return nil
}

// ParsePlatform reads os/arch[/variant].
func ParsePlatform(s string) (v1.Platform, error) {
	p, err := v1.ParsePlatform(s)
	if err != nil || p.OS == "" || p.Architecture == "" {
		return v1.Platform{}, fmt.Errorf("bad platform %q (want os/arch[/variant], e.g. linux/amd64)", s)
	}
	return *p, nil
}
