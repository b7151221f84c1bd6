package content

import (
	"bytes"
	"strings"
)

// SniffLen is how much of a file decides whether it is binary, as git
// does.
const SniffLen = 8000

// IsBinary reports whether the start of a file looks binary: it holds a
// NUL within SniffLen bytes.
func IsBinary(head []byte) bool {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	return bytes.IndexByte(head, 0) >= 0
}

// Archive kinds, as Kind names them.
const (
	Zip   = "zip"
	Tar   = "tar"
	TarGz = "tar.gz"
	Gz    = "gz"
)

// Kind names the archive format a file's first bytes show: Zip, Tar, TarGz,
// Gz, or "" for none. The name only tells a gzip file holding a tar (.tgz,
// .tar.gz) from other gzip files: a file named like an archive whose bytes
// are not one (creds.zip holding text) is scanned as what it is.
func Kind(name string, head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return Zip // a local file header, or the end record of an empty zip
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		n := strings.ToLower(name)
		if strings.HasSuffix(n, ".tar.gz") || strings.HasSuffix(n, ".tgz") {
			return TarGz
		}
		return Gz
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return Tar
	}
	return ""
}
