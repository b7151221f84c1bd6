package git

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"

	"github.com/secretlint/secretlint/scan"
)

// BlobCache remembers the blobs a history scan read and found nothing to
// report in, so that the next scan with the same rules and settings does
// not read them again: a second scan of an unchanged mirror reads only the
// blobs that hold findings.
//
// Only what the blob pass decides from a blob's bytes alone is kept: clean
// (no rule matched), binary, a Git LFS pointer, or larger than the size
// cap. A blob that holds a finding, cannot be read or has an over-long
// line is never cached; its commits are diffed on every run, so findings
// and their attribution come out exactly as without the cache.
//
// The cache holds blob ids only, never content: a blob id is a hash of
// text already in the repository. The key must change whenever anything
// that decides a blob's state changes (rules, allowlists, decoding, size
// cap, --binary, the program): a new rule then rescans everything.
type BlobCache struct {
	path string
	mu   sync.Mutex
	old  map[plumbing.Hash]cached
	new  map[plumbing.Hash]cached
}

type blobState byte

const (
	blobClean blobState = iota + 1
	blobBinary
	blobLFS
	blobLarge
)

type cached struct {
	state blobState
	size  int64 // for blobLarge: the size the note names
}

// cacheMagic starts every cache file; the format is the magic, a key line,
// then 29-byte records (20-byte id, state, 8-byte big-endian size).
const cacheMagic = "secretlint blob cache 1\n"

const recordSize = 20 + 1 + 8

// OpenBlobCache opens the cache for key in dir, creating dir (0700) when
// it is missing. A missing file is an empty cache. A file that is not a
// cache of this format, is cut short, or was made with another key is an
// error naming it, and the cache returned is empty: saving it replaces the
// file. Only when dir cannot be made is the cache nil.
func OpenBlobCache(dir, key string) (*BlobCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cache directory %s: %w", dir, err)
	}
	c := &BlobCache{
		path: filepath.Join(dir, "git-blobs-"+key[:min(len(key), 32)]),
		old:  map[plumbing.Hash]cached{},
		new:  map[plumbing.Hash]cached{},
	}
	f, err := os.Open(c.path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("cache %s: %w", c.path, err)
	}
	defer f.Close()
	if err := c.load(bufio.NewReader(f), key); err != nil {
		clear(c.old)
		return c, fmt.Errorf("cache %s: %w", c.path, err)
	}
	return c, nil
}

// cacheKey is the key of the blob cache for a scan with engine e and
// options o: the program, the engine's identity and the settings the blob
// pass decides by.
func cacheKey(e *scan.Engine, o *options) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\nmax=%d binary=%t\n", programIdentity(), e.Identity(), o.maxFileSize, o.binary)
	return hex.EncodeToString(h.Sum(nil))
}

// programIdentity names the running program's code: the module version
// and VCS revision of a clean build, else a hash of the executable (a
// build from a modified checkout, a test binary), so that a change in a
// validator's code, which no rule field shows, also changes the key.
var programIdentity = sync.OnceValue(func() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" && modified == "false" {
			return bi.Main.Path + "@" + rev
		}
		if v := bi.Main.Version; v != "" && v != "(devel)" && rev == "" {
			return bi.Main.Path + "@" + v
		}
	}
	exe, err := os.Executable()
	if err == nil {
		if f, err := os.Open(exe); err == nil {
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err == nil {
				return "exe " + hex.EncodeToString(h.Sum(nil))
			}
		}
	}
	return fmt.Sprint("unknown program ", time.Now().UnixNano()) // matches no other run's key
})

func (c *BlobCache) load(r *bufio.Reader, key string) error {
	head := make([]byte, len(cacheMagic))
	if _, err := io.ReadFull(r, head); err != nil || string(head) != cacheMagic {
		return errors.New("not a secretlint blob cache")
	}
	line, err := r.ReadString('\n')
	if err != nil || line != key+"\n" {
		return errors.New("made for other rules or settings")
	}
	var rec [recordSize]byte
	for {
		_, err := io.ReadFull(r, rec[:])
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return errors.New("truncated record")
		}
		st := blobState(rec[20])
		if st < blobClean || st > blobLarge {
			return fmt.Errorf("bad record state %d", st)
		}
		var h plumbing.Hash
		copy(h[:], rec[:20])
		c.old[h] = cached{state: st, size: int64(binary.BigEndian.Uint64(rec[21:]))}
	}
}

// lookup returns what an earlier scan learned of a blob.
func (c *BlobCache) lookup(h plumbing.Hash) (cached, bool) {
	if c == nil {
		return cached{}, false
	}
	v, ok := c.old[h] // old is read-only once loaded
	return v, ok
}

func (c *BlobCache) add(h plumbing.Hash, v cached) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.new[h] = v
	c.mu.Unlock()
}

// Len returns how many blobs the cache knows, loaded and learned.
func (c *BlobCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.old) + len(c.new)
}

// Save writes what was loaded and what this run learned, replacing the
// file atomically (a temporary file in the same directory, renamed), 0600.
// Two scans saving at once each write a whole file; the last one wins.
func (c *BlobCache) Save(key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.new) == 0 {
		return nil
	}
	ids := make([]plumbing.Hash, 0, len(c.old)+len(c.new))
	for h := range c.old {
		ids = append(ids, h)
	}
	for h := range c.new {
		if _, ok := c.old[h]; !ok {
			ids = append(ids, h)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".git-blobs-*")
	if err != nil {
		return fmt.Errorf("cache %s: %w", c.path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	w := bufio.NewWriterSize(tmp, 256<<10)
	w.WriteString(cacheMagic)
	w.WriteString(key + "\n")
	var rec [recordSize]byte
	for _, h := range ids {
		v, ok := c.new[h]
		if !ok {
			v = c.old[h]
		}
		copy(rec[:20], h[:])
		rec[20] = byte(v.state)
		binary.BigEndian.PutUint64(rec[21:], uint64(v.size))
		w.Write(rec[:])
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("cache %s: %w", c.path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cache %s: %w", c.path, err)
	}
	if err := os.Rename(tmp.Name(), c.path); err != nil {
		return fmt.Errorf("cache %s: %w", c.path, err)
	}
	return nil
}
