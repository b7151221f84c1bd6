package scan

import (
	"context"
	"io"
	"sync"
)

// cancelBuf is how much one read on the helper goroutine asks for.
const cancelBuf = 64 << 10

// OpenCancelable returns a reader over what open opens (a FIFO, a device,
// standard input) that gives up with ctx's error as soon as ctx ends, even
// while open or a Read is blocked: a FIFO with no writer blocks in open, a
// terminal or an idle pipe blocks in read, and neither can be woken by
// closing it. Both therefore run on a helper goroutine, which is abandoned
// when ctx ends; it exits when the blocked call returns (at the latest
// with the process). Close closes what open returned.
func OpenCancelable(ctx context.Context, open func() (io.ReadCloser, error)) io.ReadCloser {
	return &cancelReader{ctx: ctx, open: open}
}

// CancelReader is OpenCancelable for a reader that is already open and
// is not closed by the returned reader (standard input).
func CancelReader(ctx context.Context, r io.Reader) io.Reader {
	return OpenCancelable(ctx, func() (io.ReadCloser, error) { return io.NopCloser(r), nil })
}

type cancelReader struct {
	ctx  context.Context
	open func() (io.ReadCloser, error)

	started bool
	req     chan struct{}
	resp    chan chunk
	rest    []byte
	err     error

	mu     sync.Mutex
	rc     io.ReadCloser
	closed bool
}

type chunk struct {
	b   []byte
	err error
}

func (c *cancelReader) Read(p []byte) (int, error) {
	if len(c.rest) > 0 {
		n := copy(p, c.rest)
		c.rest = c.rest[n:]
		return n, nil
	}
	if c.err != nil {
		return 0, c.err
	}
	if err := c.ctx.Err(); err != nil {
		return 0, c.fail(err)
	}
	if !c.started {
		c.started = true
		c.req = make(chan struct{}, 1)
		c.resp = make(chan chunk, 1)
		// A bare goroutine on purpose: it must be free to stay blocked in
		// a system call after every caller has gone.
		go c.loop()
	}
	c.req <- struct{}{}
	select {
	case ch := <-c.resp:
		n := copy(p, ch.b)
		c.rest = ch.b[n:]
		if ch.err != nil {
			c.fail(ch.err)
			if len(c.rest) == 0 {
				return n, ch.err
			}
		}
		return n, nil
	case <-c.ctx.Done():
		return 0, c.fail(c.ctx.Err())
	}
}

// fail records the reader's final error and lets the helper go.
func (c *cancelReader) fail(err error) error {
	if c.err == nil {
		c.err = err
		if c.started {
			close(c.req)
		}
	}
	return c.err
}

func (c *cancelReader) loop() {
	rc, err := c.open()
	c.mu.Lock()
	if err == nil && c.closed {
		rc.Close()
		err = io.ErrClosedPipe
	}
	c.rc = rc
	c.mu.Unlock()
	for range c.req {
		if err != nil {
			c.resp <- chunk{err: err}
			continue
		}
		b := make([]byte, cancelBuf)
		n, rerr := rc.Read(b)
		c.resp <- chunk{b: b[:n], err: rerr}
	}
}

// Close closes the opened input, if open has returned; one still being
// opened is closed as soon as it is.
func (c *cancelReader) Close() error {
	c.fail(io.ErrClosedPipe)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.rc != nil {
		return c.rc.Close()
	}
	return nil
}
