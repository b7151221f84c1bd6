package scan

import (
	"bytes"
	"encoding/base64"
	"testing"
)

// FuzzEachEncoded checks that the decoders never panic and only report runs
// inside the input.
func FuzzEachEncoded(f *testing.F) {
	for _, s := range []string{
		base64.StdEncoding.EncodeToString([]byte(testKey)), "414b4941514837343659", "k%3DAKIA%26x", "%", "%%41", "====", "a-b_c",
		"sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		eachEncoded(data, func(start, end int, enc string, decoded []byte) {
			if start < 0 || end > len(data) || start >= end {
				t.Fatalf("run %d..%d outside input of %d bytes", start, end, len(data))
			}
			if enc == "" || decoded == nil {
				t.Fatalf("empty decoding for run %q", data[start:end])
			}
		})
	})
}

func FuzzEngineScan(f *testing.F) {
	f.Add([]byte("key=" + testKey + "\n"))
	f.Add([]byte("\xff\xfe\x00binary" + testKey))
	f.Add(bytes.Repeat([]byte("A"), 100))
	e := testEngine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, fd := range e.Scan(Fragment{Data: data}) {
			if fd.Line < 1 || fd.Column < 1 || fd.EndLine < fd.Line {
				t.Fatalf("bad position %+v", fd)
			}
		}
	})
}
