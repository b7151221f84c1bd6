// Package image scans container images for secrets: every layer's files
// (streamed, never extracted), files that a later layer deleted or
// overwrote, the image config (Env, Labels, Cmd, Entrypoint) and the build
// history, plus image-specific policy hints.
//
// The scanner takes go-containerregistry images (v1.Image); a Resolver turns
// what a user types — a docker save tarball, an OCI layout directory, an OCI
// archive tarball or a registry reference — into them, choosing platforms
// from multi-platform indexes.
package image
