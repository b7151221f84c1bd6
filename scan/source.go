package scan

import "context"

// Source is an input to scan: a directory, a git history, an image, a log
// stream. Scan feeds its fragments to the engine, from as many goroutines as
// suits the input, and records findings, input errors and skips in out. It
// returns an error only when the input as a whole cannot be scanned.
type Source interface {
	Scan(ctx context.Context, e *Engine, out *Collector) error
}
