package scan

import (
	"bytes"
	"encoding/hex"
	"net/url"
	"unicode/utf8"

	"github.com/secretlint/secretlint/rules"
)

const (
	minBase64Run = 16
	minHexRun    = 32
	// maxEncodedRun bounds the work spent decoding one run.
	maxEncodedRun = 64 << 10
)

var (
	b64Byte [256]bool
	hexByte [256]bool
)

func init() {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_") {
		b64Byte[c] = true
	}
	for _, c := range []byte("0123456789abcdefABCDEF") {
		hexByte[c] = true
	}
}

// eachEncoded calls fn for each run of data that decodes, as base64, hex or
// percent-encoding, to mostly printable text.
func eachEncoded(data []byte, fn func(start, end int, enc string, decoded []byte)) {
	n := len(data)
	const w = minBase64Run
	// Any run of at least w encoding bytes that starts in [i, i+w) covers
	// i+w-1, so one look at that byte skips w bytes of ordinary text.
	for i := 0; i+w <= n; {
		if !b64Byte[data[i+w-1]] {
			i += w
			continue
		}
		s := i + w - 1
		for s > i && b64Byte[data[s-1]] {
			s--
		}
		j := i + w
		for j < n && b64Byte[data[j]] {
			j++
		}
		// A run wrapped over lines is decoded whole when it is base64 of
		// text; otherwise (a PEM body, a hex dump) each line is a run. The
		// first line's test is the cheap one: a PEM body fails it there,
		// before any joining.
		if base64OfText(data[s:j]) {
			if joined, wend := wrappedRun(data, s, j); joined != nil && base64OfText(joined[j-s:]) {
				if d, ok := rules.DecodeBase64(joined); ok && printable(d) {
					fn(s, wend, "base64", d)
					i = wend
					continue
				}
			}
		}
		end := j
		for end < n && end-j < 2 && data[end] == '=' {
			end++
		}
		if run := end - s; run >= w && run <= maxEncodedRun && !jwtPart(data, s, end) {
			decodeRun(data, s, j, end, fn)
		}
		i = end
		if i == j {
			i++
		}
	}
	eachPercentEncoded(data, fn)
}

// minWrapWidth is the shortest line a wrapped base64 run is taken to be
// cut at: PEM wraps at 64, base64(1) and MIME at 76.
const minWrapWidth = 40

// wrappedRun joins a base64 run data[s:j] that fills its line to a wrap
// width with the lines that continue it, as `base64` output pasted into a
// YAML block scalar (a Kubernetes Secret's `ca.key: |`) or a PEM body is:
// each next line holds only base64 after its indentation, every one but
// the last exactly as long as the first, the last ending the run (with its
// padding). It returns the joined text and where the run ends in data, or
// nil when the run is not wrapped over at least two lines.
func wrappedRun(data []byte, s, j int) ([]byte, int) {
	width := j - s
	if width < minWrapWidth || width%4 != 0 || width > maxEncodedRun {
		return nil, 0
	}
	var joined []byte
	end := j
	for {
		p := end
		if p < len(data) && data[p] == '\r' {
			p++
		}
		if p >= len(data) || data[p] != '\n' {
			break
		}
		p++
		for p < len(data) && (data[p] == ' ' || data[p] == '\t') {
			p++
		}
		q := p
		for q < len(data) && b64Byte[data[q]] {
			q++
		}
		seg := q - p
		if seg == 0 || seg > width || len(joined)+width+seg > maxEncodedRun {
			break
		}
		if joined == nil {
			joined = append(make([]byte, 0, 4*width), data[s:j]...)
		}
		for q < len(data) && q-p < width+2 && data[q] == '=' {
			q++
		}
		joined = append(joined, data[p:q]...)
		end = q
		if seg < width || q > p+seg {
			break // a short line or padding: the run's last line
		}
	}
	if joined == nil {
		return nil, 0
	}
	return joined, end
}

// jwtPart reports whether data[s:end] is a dot-separated part of a JSON Web
// Token (eyJ….eyJ….sig): the token is reported whole by its own rule, and
// its decoded claims would only repeat it as findings of other rules.
func jwtPart(data []byte, s, end int) bool {
	if !(end < len(data) && data[end] == '.') && !(s > 0 && data[s-1] == '.') {
		return false
	}
	t := s
	for t > 0 && (b64Byte[data[t-1]] || data[t-1] == '.') {
		t--
	}
	return bytes.HasPrefix(data[t:], []byte("eyJ"))
}

// decodeRun tries a run of encoding bytes data[s:end] (padding from j) as
// hex, then as base64.
func decodeRun(data []byte, s, j, end int, fn func(start, end int, enc string, decoded []byte)) {
	run := data[s:end]
	allHex := end == j
	for _, c := range data[s:j] {
		if !hexByte[c] {
			allHex = false
			break
		}
	}
	switch {
	case allHex:
		if len(run) >= minHexRun && len(run)%2 == 0 && hexOfText(run) {
			if d, err := hex.DecodeString(string(run)); err == nil && printable(d) {
				fn(s, end, "hex", d)
			}
		}
	case base64OfText(run):
		if d, ok := rules.DecodeBase64(run); ok && printable(d) {
			fn(s, end, "base64", d)
		}
	}
}

// base64OfText is a cheap test that a run could be base64 of text: the first
// character of every 4-character group encodes the top six bits of a byte,
// which for printable ASCII and whitespace is one of C, I-Z or a-f. Most
// identifiers and hashes fail it within a few groups, before any decoding.
func base64OfText(s []byte) bool {
	for i := 0; i < len(s); i += 4 {
		c := s[i]
		if !(c == 'C' || ('I' <= c && c <= 'Z') || ('a' <= c && c <= 'f')) {
			return false
		}
	}
	return true
}

// hexOfText is the same test for hex: printable ASCII bytes have a high
// nibble of 2 to 7 (0 for tab and newline).
func hexOfText(s []byte) bool {
	for i := 0; i+1 < len(s); i += 2 {
		if c := s[i]; c < '2' || c > '7' {
			if c != '0' {
				return false
			}
		}
	}
	return true
}

// printable reports whether decoded bytes look like text: at least 95% are
// printable ASCII or whitespace.
func printable(d []byte) bool {
	if len(d) < 8 {
		return false
	}
	bad := 0
	for _, c := range d {
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c >= 0x7f {
			bad++
		}
	}
	return bad*20 <= len(d)
}

// eachPercentEncoded decodes runs of non-space text that contain %XX escapes
// of characters that are not plain separators.
func eachPercentEncoded(data []byte, fn func(start, end int, enc string, decoded []byte)) {
	for i := 0; i+2 < len(data); i++ {
		k := bytes.IndexByte(data[i:], '%')
		if k < 0 {
			return
		}
		i += k
		if i+2 >= len(data) || !hexByte[data[i+1]] || !hexByte[data[i+2]] {
			continue
		}
		s, e := i, i
		for s > 0 && isURLByte(data[s-1]) {
			s--
		}
		for e < len(data) && isURLByte(data[e]) {
			e++
		}
		if e-s > maxEncodedRun {
			i = e
			continue
		}
		// A '%' followed by two hex digits inside a password or a token is
		// often a literal '%': only text that decodes to valid, printable
		// UTF-8 was percent-encoded.
		if d, err := url.QueryUnescape(string(data[s:e])); err == nil && len(d) >= 8 && utf8.ValidString(d) && printable([]byte(d)) {
			fn(s, e, "percent", []byte(d))
		}
		i = e
	}
}

func isURLByte(c byte) bool {
	return c > ' ' && c < 0x7f && c != '"' && c != '\'' && c != '`' && c != '<' && c != '>'
}
