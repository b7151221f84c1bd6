package pipeline

import (
	"context"

	"github.com/secretlint/secretlint/scan"
)

// Verifier asks providers whether the credentials of findings still work
// (verify.Checker). It sets Verification on the findings it can check, in
// place, and never adds, drops or moves one. It runs after suppression:
// a secret the project has baselined, allowlisted or ignored is never sent
// anywhere.
type Verifier interface {
	Verify(ctx context.Context, fs []scan.Finding) error
}

// WithVerifier checks the findings that survive suppression with v. With
// onlyLive, the findings v did not find live are then dropped and counted
// as suppressed ("not live").
func WithVerifier(v Verifier, onlyLive bool) Option {
	return func(o *options) { o.verifier, o.onlyLive = v, onlyLive }
}

// nameNotLive is the suppression that --only-verified adds.
const nameNotLive = "not live"

// verify runs the verifier over the kept findings and, with onlyLive,
// keeps the live ones.
func (p *Pipeline) verify(ctx context.Context, fs []scan.Finding) []scan.Finding {
	if p.o.verifier == nil {
		return fs
	}
	if err := p.o.verifier.Verify(ctx, fs); err != nil {
		p.col.Error(sourceName(p.o.verifier), err)
	}
	if !p.o.onlyLive {
		return fs
	}
	kept := fs[:0]
	for _, f := range fs {
		if f.Verification.Live() {
			kept = append(kept, f)
		}
	}
	p.supp = append(p.supp, Suppression{Name: nameNotLive, Suppressed: len(fs) - len(kept)})
	return kept
}
