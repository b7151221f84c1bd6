// Package verifyhook lets tests point the verifiers at a local server. It is
// internal to the module, so no user flag, file or variable can reach it:
// the endpoint of every verifier stays the provider's own.
package verifyhook

import "sync/atomic"

var base atomic.Pointer[func(host string) string]

// Base returns the function that maps a provider's host to the base URL
// (scheme and host) to use instead of https://host, or nil.
func Base() func(host string) string {
	if f := base.Load(); f != nil {
		return *f
	}
	return nil
}

// Set installs f (nil to remove it) and returns a function that restores
// the previous one.
func Set(f func(host string) string) (restore func()) {
	var p *func(string) string
	if f != nil {
		p = &f
	}
	old := base.Swap(p)
	return func() { base.Store(old) }
}
