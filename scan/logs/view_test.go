package logs

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestView(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"plain", "no escapes here\n", "no escapes here\n"},
		{"sgr", "\x1b[32mPASS\x1b[0m ok", "PASS ok"},
		{"gitlab section", "\x1b[0Ksection_start:1:x\r\x1b[0K\x1b[32;1m$ make\x1b[0;m", "section_start:1:x\r$ make"},
		{"osc title", "\x1b]0;title\x07text", "text"},
		{"osc st", "\x1b]8;;http://x\x1b\\link", "link"},
		{"charset", "\x1b(Bok", "ok"},
		{"lone esc at end", "abc\x1b", "abc\x1b"},
		{"csi never eats newline", "a\x1b[12\nb", "a\nb"},
		{"quote", `{\"k\": \"v\"}`, `{"k": "v"}`},
		{"slash", `https:\/\/host\/p`, `https://host/p`},
		{"nested", `{\\\"k\\\": 1}`, `{"k": 1}`},
		{"backslash run", `C:\\\\dir`, `C:\dir`},
		{"single unknown", `a\qb`, `a\qb`},
		{"newline escape", `a\nb\tc`, "a b c"},
		{"unicode", `\u0067hp\u00e9`, "ghpé"},
		{"control unicode", `a\u000ab`, "a b"},
		{"surrogate pair", `\ud83d\ude00!`, "😀!"},
		{"lone surrogate", `\ud83dx`, "\uFFFDx"},
		{"bad unicode", `\u00zz`, `\u00zz`},
		{"trailing backslash", `abc\`, `abc\`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v view
			v.reset([]byte(tt.raw))
			if diff := cmp.Diff(tt.want, string(v.data)); diff != "" {
				t.Errorf("view (-want +got):\n%s", diff)
			}
		})
	}
}

func TestViewMapsPositions(t *testing.T) {
	raw := []byte("\x1b[1mkey\x1b[0m=\\\"ab\\/cd\\\"\x1b[0m;")
	var v view
	v.reset(raw)
	if got, want := string(v.data), `key="ab/cd";`; got != want {
		t.Fatalf("view %q, want %q", got, want)
	}
	// Each view span must map to the raw bytes that produced it.
	tests := []struct {
		vs, ve  int
		rawText string
	}{
		{0, 3, "key"},         // the ANSI prefix is not part of the start
		{0, 4, "key\x1b[0m="}, // a deletion inside a span is kept inside it
		{5, 10, `ab\/cd`},     // an escape inside the secret
		{4, 11, `\"ab\/cd\"`}, // spans that start and end on escapes
		{11, 12, ";"},         // after a trailing deletion
		{3, 3, ""},            // empty at a deletion: start after, end before
	}
	for _, tt := range tests {
		rs, re := v.start(tt.vs), v.end(tt.ve)
		if re < rs {
			re = rs
		}
		if got := string(raw[rs:re]); got != tt.rawText && !(tt.vs == tt.ve) {
			t.Errorf("view [%d,%d) %q maps to raw %q, want %q", tt.vs, tt.ve, v.data[tt.vs:tt.ve], got, tt.rawText)
		}
	}
}

// FuzzView checks the decoder on any bytes: lines are neither added nor
// removed, a text without escapes is left as it is, and every view offset
// maps into the raw bytes, in order.
func FuzzView(f *testing.F) {
	for _, s := range []string{"plain\n", "\x1b[31mred\x1b[0m\n", `{"a":"\"b\\\/c\u0041\ud83d\ude00"}`, "\x1b]0;t\x07x", `\\\\\"`, "a\x1b[", `\u12`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var v view
		v.reset(raw)
		if bytes.Count(v.data, []byte{'\n'}) != bytes.Count(raw, []byte{'\n'}) {
			t.Fatalf("line count changed: %q -> %q", raw, v.data)
		}
		if bytes.IndexByte(raw, 0x1b) < 0 && bytes.IndexByte(raw, '\\') < 0 && !bytes.Equal(raw, v.data) {
			t.Fatalf("text without escapes changed: %q -> %q", raw, v.data)
		}
		prevS, prevE := 0, 0
		for i := 0; i <= len(v.data); i++ {
			s, e := v.start(i), v.end(i)
			if s < 0 || s > len(raw) || e < 0 || e > len(raw) {
				t.Fatalf("offset %d maps outside raw: start %d end %d (len %d)", i, s, e, len(raw))
			}
			if s < prevS || e < prevE || e > s {
				t.Fatalf("offset %d: start %d end %d after %d %d", i, s, e, prevS, prevE)
			}
			prevS, prevE = s, e
			if i < len(v.data) && v.data[i] == '\n' && raw[s] != '\n' {
				t.Fatalf("newline at view %d maps to raw %d (%q)", i, s, raw[s])
			}
		}
	})
}
