package content

import "io"

// Guard bounds what decompression may yield, the one defence against
// archive and compression bombs: a total past Limit, or past Ratio times
// the compressed bytes once Floor is passed, stops every reader it wraps
// with Err. One Guard may wrap several readers in turn (an archive and the
// archives nested in it share one budget); it is not safe for concurrent
// use.
type Guard struct {
	// Limit is the most bytes the wrapped readers yield in all; 0: none.
	// Exactly Limit bytes are fine; the error comes when more exist.
	Limit int64
	// Ratio, when above 0, stops a stream that yields more than Ratio
	// times the bytes Compressed counted, once it has yielded Floor.
	Ratio, Floor int64
	// Compressed counts the compressed input, for Ratio.
	Compressed *Counter
	// Err is what a stopped read returns; it should say which cap was
	// passed and that the input may be a bomb.
	Err error

	n int64
}

// N is the bytes yielded so far.
func (g *Guard) N() int64 { return g.n }

// Exceeded reports whether a cap has stopped the reads.
func (g *Guard) Exceeded() bool {
	return g.Limit > 0 && g.n > g.Limit ||
		g.Ratio > 0 && g.n > g.Floor && g.Compressed != nil && g.n > g.Ratio*max(g.Compressed.N, 1)
}

// Reader returns r counted against the guard.
func (g *Guard) Reader(r io.Reader) io.Reader { return &guarded{r: r, g: g} }

type guarded struct {
	r io.Reader
	g *Guard
}

func (r *guarded) Read(p []byte) (int, error) {
	g := r.g
	if g.Exceeded() {
		return 0, g.Err
	}
	if g.Limit > 0 {
		left := g.Limit - g.n
		if left <= 0 {
			// Exactly Limit bytes are fine; fail only when more exist.
			var one [1]byte
			k, err := r.r.Read(one[:])
			if k > 0 {
				g.n += int64(k)
				return 0, g.Err
			}
			return 0, err
		}
		if int64(len(p)) > left {
			p = p[:left]
		}
	}
	n, err := r.r.Read(p)
	g.n += int64(n)
	if g.Exceeded() {
		return n, g.Err
	}
	return n, err
}

// Counter counts the bytes read through it.
type Counter struct {
	R io.Reader
	N int64
}

func (c *Counter) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}
