package logs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/content"
)

// Stdin is the path that names standard input.
const Stdin = "-"

// Source scans log files, directories of logs, gzip-compressed (rotated)
// logs and standard input, each read once as a stream.
type Source struct {
	paths []string
	o     options
	mu    sync.Mutex // serialises onHit and notice calls
	// windowWorkers is how many windows of one stream are scanned at once.
	windowWorkers int
}

var _ scan.Source = (*Source)(nil)

type options struct {
	stdin    io.Reader
	jobs     int
	window   int
	follow   bool
	poll     time.Duration
	onHit    func(Hit)
	notice   func(input, msg string)
	maxRatio int64
	// bombFloor is the decompressed size past which maxRatio applies.
	bombFloor int64
}

// Option configures a Source.
type Option func(*options)

// WithStdin sets the reader that the path "-" names.
func WithStdin(r io.Reader) Option { return func(o *options) { o.stdin = r } }

// WithJobs sets how many logs are scanned at once.
func WithJobs(n int) Option { return func(o *options) { o.jobs = n } }

// WithWindow sets the window size: whole lines up to n bytes are scanned
// at once, longer lines in overlapping windows of n bytes.
func WithWindow(n int) Option { return func(o *options) { o.window = n } }

// WithFollow keeps reading each file as it grows, like tail -F, across
// truncation and rotation, until the context ends.
func WithFollow(on bool) Option { return func(o *options) { o.follow = on } }

// WithPollInterval sets how often a followed file is checked for new data.
func WithPollInterval(d time.Duration) Option { return func(o *options) { o.poll = d } }

// WithOnHit calls fn for each finding as it is found, in stream order per
// input (follow mode prints findings this way). Calls are serialised.
func WithOnHit(fn func(Hit)) Option { return func(o *options) { o.onHit = fn } }

// WithNotice calls fn with messages a user should see while a scan runs: a
// followed file rotated, truncated or deleted; a binary input skipped.
// Calls are serialised.
func WithNotice(fn func(input, msg string)) Option { return func(o *options) { o.notice = fn } }

// WithMaxRatio stops reading a gzip stream once it has yielded more than
// 1 GiB and more than n times its compressed size (a gzip bomb). 0 turns
// the check off.
func WithMaxRatio(n int64) Option { return func(o *options) { o.maxRatio = n } }

// New returns a source for the paths; "-" is standard input.
func New(paths []string, opts ...Option) *Source {
	s := &Source{paths: paths, o: options{
		stdin: os.Stdin, jobs: 2, window: DefaultWindow, poll: 250 * time.Millisecond, maxRatio: 1000, bombFloor: 1 << 30,
	}}
	for _, o := range opts {
		o(&s.o)
	}
	s.o.jobs = max(s.o.jobs, 1)
	return s
}

func (s *Source) String() string { return strings.Join(s.paths, " ") }

// Scan reads every input once and records its findings. Errors reading one
// input are recorded in out and the scan goes on.
func (s *Source) Scan(ctx context.Context, e *scan.Engine, out *scan.Collector) error {
	eng, err := s.engine(e)
	if err != nil {
		return err
	}
	p := pool.New()
	if !s.o.follow {
		p = p.WithMaxGoroutines(s.o.jobs)
	}
	// One input gets the workers for its windows; several share them by
	// file, so memory stays bounded by jobs, not jobs squared.
	s.windowWorkers = 1
	if len(s.paths) == 1 {
		if fi, err := os.Stat(s.paths[0]); s.paths[0] == Stdin || (err == nil && !fi.IsDir()) {
			s.windowWorkers = s.o.jobs
		}
	}
	stdinDone := false
	for _, path := range s.paths {
		if ctx.Err() != nil {
			break
		}
		if path == Stdin {
			if !stdinDone {
				stdinDone = true
				p.Go(func() { s.scanStdin(ctx, eng, out) })
			}
			continue
		}
		s.walk(ctx, path, eng, out, p)
	}
	p.Wait()
	return nil
}

// engine extends the configured engine with the log rules.
func (s *Source) engine(e *scan.Engine) (*scan.Engine, error) {
	lr, err := Rules()
	if err != nil {
		return nil, err
	}
	return e.Extend(lr)
}

func (s *Source) walk(ctx context.Context, root string, eng *scan.Engine, out *scan.Collector, p *pool.Pool) {
	fi, err := os.Stat(root)
	if err != nil {
		if s.o.follow && errors.Is(err, fs.ErrNotExist) {
			p.Go(func() { s.follow(ctx, root, eng, out) })
			return
		}
		out.Error(root, err)
		return
	}
	if !fi.IsDir() {
		s.start(ctx, root, eng, out, p.Go)
		return
	}
	started := map[string]bool{}
	s.walkDir(ctx, root, eng, out, p.Go, started, false)
	if s.o.follow {
		p.Go(func() { s.watchDir(ctx, root, eng, out, started) })
	}
}

// watchDir, in follow mode, looks through a directory every poll interval
// for log files that appeared after the scan began (a new pod's log, a new
// CI job) and follows each from its start, until ctx ends.
func (s *Source) watchDir(ctx context.Context, root string, eng *scan.Engine, out *scan.Collector, started map[string]bool) {
	// The scan's pool is being waited on by now; files found later are
	// followed on this watcher's own group, waited for when ctx ends.
	var later conc.WaitGroup
	defer later.Wait()
	tick := time.NewTicker(s.o.poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			s.walkDir(ctx, root, eng, out, later.Go, started, true)
		}
	}
}

// walkDir starts a scan, or a follow, of every log file under root not yet
// in started. Later passes (again) say so and report nothing twice.
func (s *Source) walkDir(ctx context.Context, root string, eng *scan.Engine, out *scan.Collector, spawn func(func()), started map[string]bool, again bool) {
	quiet := &scan.Collector{} // a later pass's unreadable entries were reported by the first
	walkOut := out
	if again {
		walkOut = quiet
	}
	w := &scan.Walker{OnError: walkOut.Error, Skip: func(slash string) bool {
		return slash != filepath.ToSlash(root)+"/" && eng.SkipPath(slash)
	}}
	err := w.Walk(ctx, root, func(path string, d fs.DirEntry) error {
		if d.IsDir() || started[path] {
			return nil
		}
		started[path] = true
		slash := filepath.ToSlash(path)
		if again {
			s.tell(slash, "appeared; following it")
		}
		s.start(ctx, path, eng, out, spawn)
		return nil
	})
	if !again {
		// Later passes meet the same links and special files again.
		w.Note(out, root)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		walkOut.Error(root, err)
	}
}

// start scans or follows one file; compressed files are never followed.
func (s *Source) start(ctx context.Context, path string, eng *scan.Engine, out *scan.Collector, spawn func(func())) {
	if s.o.follow && !strings.HasSuffix(path, ".gz") {
		spawn(func() { s.follow(ctx, path, eng, out) })
		return
	}
	spawn(func() { s.scanFile(ctx, path, eng, out) })
}

func (s *Source) scanFile(ctx context.Context, path string, eng *scan.Engine, out *scan.Collector) {
	name := filepath.ToSlash(path)
	f, err := os.Open(path)
	if err != nil {
		out.Error(name, err)
		return
	}
	defer f.Close()
	s.scanStream(ctx, name, f, eng, out)
}

func (s *Source) scanStdin(ctx context.Context, eng *scan.Engine, out *scan.Collector) {
	s.scanStream(ctx, Stdin, s.o.stdin, eng, out)
}

// scanStream scans one input: gzip is detected by its magic bytes, binary
// data is skipped with a notice.
func (s *Source) scanStream(ctx context.Context, name string, r io.Reader, eng *scan.Engine, out *scan.Collector) {
	in, what, closeIn, err := s.decompress(name, r)
	if err != nil {
		out.Error(name, err)
		return
	}
	defer closeIn()
	head, err := sniff(in)
	if err != nil && !errors.Is(err, io.EOF) {
		out.Error(name, fmt.Errorf("read %s: %w", what, err))
		if len(head) == 0 {
			return
		}
	}
	if content.IsBinary(head) {
		const why = "binary data (NUL bytes near the start), not a text log"
		out.Skip(name, why)
		s.tell(name, why+"; skipped")
		return
	}
	out.Input()
	st := newStream(eng, &scan.Origin{Source: scan.SourceLog, Path: name}, s.o.window, s.hitFunc(out))
	st.setWorkers(s.windowWorkers)
	st.write(head)
	if err == nil {
		err = pump(ctx, in, r, st)
	} else {
		err = nil
	}
	st.drain(true)
	if err != nil && !errors.Is(err, context.Canceled) {
		out.Error(name, fmt.Errorf("read %s after %d bytes: %w", what, st.off, err))
	}
}

// sniff returns the first bytes of a stream, to tell text from binary. It
// takes what the first read gives (at most content.SniffLen), so a slow pipe is not
// kept waiting for a full buffer. err is io.EOF at the end of the stream.
func sniff(r io.Reader) ([]byte, error) {
	head := make([]byte, content.SniffLen)
	for {
		n, err := r.Read(head)
		if n > 0 || err != nil {
			return head[:n], err
		}
	}
}

// decompress returns the stream's text: a gzip stream decompressed (every
// member, as gzip -dc does) under the content stage's guard, anything else
// as it is; and what it is, for error messages.
func (s *Source) decompress(name string, r io.Reader) (io.Reader, string, func(), error) {
	cr := &content.Counter{R: r}
	br := bufio.NewReaderSize(cr, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, "log", func() {}, nil
	}
	in, _, done, err := content.Decompress(br)
	if err != nil {
		return nil, "", nil, fmt.Errorf("open gzip stream: %w", errors.Unwrap(err))
	}
	if s.o.maxRatio > 0 {
		g := &content.Guard{Ratio: s.o.maxRatio, Floor: s.o.bombFloor, Compressed: cr, Err: errBomb}
		in = g.Reader(in)
	}
	return in, "gzip stream", done, nil
}

// hitFunc records each hit and passes it on to the caller's callback.
func (s *Source) hitFunc(out *scan.Collector) func(Hit) {
	return func(h Hit) {
		out.Add(h.Finding)
		if s.o.onHit != nil {
			s.mu.Lock()
			s.o.onHit(h)
			s.mu.Unlock()
		}
	}
}

func (s *Source) tell(input, msg string) {
	if s.o.notice == nil {
		return
	}
	s.mu.Lock()
	s.o.notice(input, msg)
	s.mu.Unlock()
}

// blockSize is how much one background read asks for.
const blockSize = 1 << 20

// pump reads in in the background and writes it into the stream, so
// reading and decompressing overlap with scanning. Whenever no data is
// waiting, the complete lines held are scanned at once, so a slow pipe
// (kubectl logs -f) gets its findings as they arrive. When ctx ends while
// a read blocks on a quiet pipe, pump ends that read through raw, the
// stream in is read from (a pipe or socket: its read deadline is set to
// now, then cleared), and returns once the reading goroutine has ended.
// Only a reader that cannot be woken (a terminal, a pipe in blocking mode)
// is left to finish its read on its own.
func pump(ctx context.Context, in, raw io.Reader, st *stream) error {
	type block struct {
		b   []byte
		err error
	}
	const depth = 3
	free := make(chan []byte, depth)
	for range depth {
		free <- make([]byte, blockSize)
	}
	full := make(chan block, depth)
	stop := make(chan struct{})
	p := pool.New()
	p.Go(func() {
		defer close(full)
		for {
			var b []byte
			select {
			case b = <-free:
			case <-stop:
				return
			}
			n, err := in.Read(b)
			select {
			case full <- block{b[:n], err}:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	})
	cancelled := false
	defer func() {
		close(stop)
		if !cancelled {
			p.Wait()
			return
		}
		if d, ok := raw.(deadliner); ok && d.SetReadDeadline(time.Now()) == nil {
			p.Wait()
			d.SetReadDeadline(time.Time{})
		}
	}()
	for {
		var blk block
		var ok bool
		select {
		case blk, ok = <-full:
		default:
			st.drain(false)
			select {
			case blk, ok = <-full:
			case <-ctx.Done():
				cancelled = true
				return ctx.Err()
			}
		}
		if !ok {
			return nil
		}
		st.write(blk.b)
		free <- blk.b[:cap(blk.b)]
		if blk.err == io.EOF {
			return nil
		}
		if blk.err != nil {
			return blk.err
		}
		if ctx.Err() != nil {
			cancelled = true
			return ctx.Err()
		}
	}
}

// deadliner is a reader whose blocked Read a deadline ends: an *os.File
// of a pipe or FIFO in non-blocking mode, a network connection.
type deadliner interface {
	SetReadDeadline(t time.Time) error
}

// errBomb is returned for a stream that decompresses beyond the ratio.
var errBomb = errors.New("decompressed size exceeds the compression ratio limit (a gzip bomb?); stopped")
