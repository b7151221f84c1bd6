package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/image"
)

func init() {
	register(&command{name: "image", summary: "scan container images (docker save, OCI layout or archive, registry) for secrets", run: runImage})
}

func runImage(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	o := addScanFlags(fs)
	imf := addImageFlags(fs)
	addVerifyFlags(fs, o)
	fs.Usage = func() {
		e.errorf("usage: secretlint image [flags] IMAGE...\n" +
			"  IMAGE is a docker save tarball, an OCI image layout directory, an OCI archive\n" +
			"  tarball, or a registry reference (host:port/repo:tag or repo@sha256:...).\n" +
			"  Registry credentials come from the Docker config (~/.docker/config.json).")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	refs := fs.Args()
	if len(refs) == 0 {
		e.errorf("image: name at least one image (a tarball, a layout directory or a registry reference)")
		return exitUsage
	}
	ropts, err := imf.resolveOptions()
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	src := imageSource(o, refs, int64(imf.maxLayer), ropts...)
	return e.execute(ctx, o, job{
		roots:        []string{"."},
		targets:      refs,
		sources:      []scan.Source{src},
		requireInput: true,
	})
}

// imageFlags are the flags of commands that read images: secretlint
// image and, for its image targets, secretlint audit.
type imageFlags struct {
	platform     string
	allPlatforms bool
	insecure     bool
	timeout      time.Duration
	maxLayer     byteSize
}

func addImageFlags(fs *flag.FlagSet) *imageFlags {
	f := &imageFlags{maxLayer: byteSize(image.DefaultMaxLayerSize)}
	fs.StringVar(&f.platform, "platform", "", "platform `OS/ARCH[/VARIANT]` taken from multi-platform images (default: the host's)")
	fs.BoolVar(&f.allPlatforms, "all-platforms", false, "scan every platform of a multi-platform image")
	fs.BoolVar(&f.insecure, "insecure", false, "allow plain HTTP to the registry (localhost and 127.0.0.1 use it anyway)")
	fs.DurationVar(&f.timeout, "registry-timeout", 30*time.Second, "time to wait for a registry to connect or answer")
	fs.Var(&f.maxLayer, "max-layer-size", "cap on decompressed bytes read from one layer (0 for no cap)")
	return f
}

// resolveOptions turns the flags into the resolver's options; a bad
// --platform is an error naming the flag.
func (f *imageFlags) resolveOptions() ([]image.ResolveOption, error) {
	ropts := []image.ResolveOption{
		image.WithAllPlatforms(f.allPlatforms),
		image.WithInsecure(f.insecure),
		image.WithTimeout(f.timeout),
	}
	if f.platform != "" {
		p, err := image.ParsePlatform(f.platform)
		if err != nil {
			return nil, fmt.Errorf("--platform: %w", err)
		}
		ropts = append(ropts, image.WithPlatform(p))
	}
	return ropts, nil
}

// imageSource is the image source of this command and of an audit's
// image targets.
func imageSource(o *scanOptions, refs []string, maxLayer int64, ropts ...image.ResolveOption) *image.Source {
	return image.New(refs,
		image.WithResolver(image.NewResolver(ropts...)),
		image.WithJobs(o.jobs),
		image.WithMaxFileSize(int64(o.maxFileSize)),
		image.WithMaxLayerSize(maxLayer),
		image.WithPolicy(!o.noPolicy),
	)
}
