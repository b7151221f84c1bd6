package content

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Compression kinds, as Decompress names them.
const (
	None = ""
	Gzip = "gzip"
	Zstd = "zstd"
)

// Decompress returns the content of a stream that may be compressed,
// chosen from its first bytes, not its name or media type: gzip (every
// member, as gzip -dc reads them), zstd, or the stream as it is. kind names
// what was found; done releases the decompressor.
func Decompress(r io.Reader) (out io.Reader, kind string, done func(), err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(4)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, None, nil, err
	}
	switch {
	case len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, Gzip, nil, fmt.Errorf("gzip: %w", err)
		}
		return zr, Gzip, func() { zr.Close() }, nil
	case len(head) >= 4 && bytes.Equal(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(64<<20))
		if err != nil {
			return nil, Zstd, nil, fmt.Errorf("zstd: %w", err)
		}
		return zr, Zstd, zr.Close, nil
	}
	return br, None, func() {}, nil
}
