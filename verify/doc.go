// Package verify asks providers whether found credentials still work, and
// whose they are. It is an enricher of the scan pipeline, run only when
// the user asks for it (--verify): each verifier is data (the rules it
// handles, a fixed host, a method, a path, headers) and a small function
// that reads the provider's answer. docs/verify.md lists them.
package verify
