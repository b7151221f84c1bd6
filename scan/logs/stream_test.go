package logs

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
)

// scanStdin scans r as standard input and returns the hits in order.
func scanStdin(t testing.TB, r io.Reader, opts ...Option) ([]Hit, *scan.Collector) {
	t.Helper()
	var hits []Hit
	col := &scan.Collector{}
	opts = append([]Option{WithStdin(r), WithOnHit(func(h Hit) { hits = append(hits, h) })}, opts...)
	if err := New([]string{Stdin}, opts...).Scan(context.Background(), defaultEngine(t), col); err != nil {
		t.Fatal(err)
	}
	return hits, col
}

// choppy returns reads of random small sizes, as a pipe does.
type choppy struct {
	r   io.Reader
	rnd *rand.Rand
}

func (c *choppy) Read(p []byte) (int, error) {
	n := 1 + c.rnd.IntN(min(len(p), 7000))
	return c.r.Read(p[:n])
}

type place struct {
	line, col int // 1-based, raw
	off       int64
	secret    string
}

func TestLinesAndColumns(t *testing.T) {
	fk := newFakes(2)
	var b bytes.Buffer
	var want []place
	add := func(prefix, secret, suffix string) {
		line := bytes.Count(b.Bytes(), []byte{'\n'}) + 1
		ls := bytes.LastIndexByte(b.Bytes(), '\n') + 1
		b.WriteString(prefix)
		want = append(want, place{line: line, col: b.Len() - ls + 1, off: int64(b.Len()), secret: secret})
		b.WriteString(secret + suffix)
	}
	for i := range 3000 {
		fmt.Fprintf(&b, "2024-06-09T02:30:%02d.0118616Z \x1b[32mPASS\x1b[0m src/test%d.js\n", i%60, i)
		switch i % 1000 {
		case 10:
			add("2024-06-09T02:31:00Z \x1b[31;1m", fk.checksummed("ghp"), "\x1b[0m printed\n")
		case 500:
			add(`{"msg": "env", "env": "{\"NPM_TOKEN\": \"`, fk.checksummed("npm"), `\"}"}`+"\n")
		case 999:
			add("> Authorization: Bearer ", fk.value(fmt.Sprintf("OPAQUE%d", i)), "\r\n")
		}
	}
	for _, tc := range []struct{ window, jobs int }{{DefaultWindow, 1}, {minWindow, 1}, {DefaultWindow, 2}, {minWindow, 3}} {
		t.Run(fmt.Sprintf("window=%d,jobs=%d", tc.window, tc.jobs), func(t *testing.T) {
			r := &choppy{r: bytes.NewReader(b.Bytes()), rnd: rand.New(rand.NewPCG(3, 4))}
			hits, _ := scanStdin(t, r, WithWindow(tc.window), WithJobs(tc.jobs))
			var got []place
			for _, h := range hits {
				got = append(got, place{line: h.Line, col: h.Column, off: h.Start, secret: h.Secret})
				if raw := b.Bytes()[h.Start:h.End]; string(raw) != h.Secret {
					t.Errorf("line %d: raw span %q, secret %q", h.Line, raw, h.Secret)
				}
				if h.EndColumn-h.Column+1 != len(h.Secret) {
					t.Errorf("line %d: columns %d..%d for a %d-byte secret", h.Line, h.Column, h.EndColumn, len(h.Secret))
				}
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(place{})); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	}
}

// filler is log-like text with no credential in it.
func filler(n int) []byte {
	const text = "lorem ipsum dolor sit amet, consectetur adipiscing elit; "
	return bytes.Repeat([]byte(text), n/len(text)+1)[:n]
}

func TestLongLineWindows(t *testing.T) {
	const window = minWindow
	keep := window - overlap
	fk := newFakes(3)
	// Secrets at the start, astride each window edge and overlap edge,
	// and at the very end of one long line.
	var offs []int
	for k := 1; k <= 4; k++ {
		offs = append(offs, k*keep-20, k*keep-1, k*keep, k*keep+window-keep-20, k*keep+3)
	}
	line := filler(6 * window)
	var want []place
	out := append([]byte("first line\n"), line...)
	base := len("first line\n")
	last := -100
	for _, o := range offs {
		if o < last+60 {
			continue
		}
		s := fk.checksummed("ghp")
		copy(out[base+o:], " "+s+" ")
		want = append(want, place{line: 2, col: o + 2, off: int64(base + o + 1), secret: s})
		last = o
	}
	s := fk.checksummed("ghp")
	out = append(out, " "+s...)
	want = append(want, place{line: 2, col: len(out) - base - len(s) + 1, off: int64(len(out) - len(s)), secret: s})

	hits, _ := scanStdin(t, bytes.NewReader(out), WithWindow(window))
	var got []place
	for _, h := range hits {
		got = append(got, place{line: h.Line, col: h.Column, off: h.Start, secret: h.Secret})
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(place{})); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
}

// lineStream generates one line of n filler bytes with a secret in the
// middle and at the end, without holding it in memory.
type lineStream struct {
	n, pos  int64
	secrets map[int64]string
	fill    []byte
}

func (l *lineStream) Read(p []byte) (int, error) {
	if l.pos >= l.n {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), l.n-l.pos))
	for i := 0; i < k; {
		j := copy(p[i:k], l.fill[(l.pos+int64(i))%int64(len(l.fill)):])
		i += j
	}
	for off, s := range l.secrets {
		// Lay each secret over whatever part of it this read covers.
		for i := range len(s) {
			if at := off + int64(i) - l.pos; at >= 0 && at < int64(k) {
				p[at] = s[i]
			}
		}
	}
	l.pos += int64(k)
	return k, nil
}

func TestHugeLine(t *testing.T) {
	n := int64(64 << 20)
	if testing.Short() {
		n = 8 << 20
	}
	fk := newFakes(4)
	mid, end := " "+fk.checksummed("ghp")+" ", " "+fk.checksummed("ghp")
	ls := &lineStream{n: n, fill: filler(4096), secrets: map[int64]string{n / 2: mid, n - int64(len(end)): end}}
	hits, col := scanStdin(t, ls)
	var got []string
	for _, h := range hits {
		got = append(got, fmt.Sprintf("%d:%d %s", h.Line, h.Column, h.Secret))
	}
	want := []string{
		fmt.Sprintf("1:%d %s", n/2+2, strings.TrimSpace(mid)),
		fmt.Sprintf("1:%d %s", n-int64(len(end))+2, strings.TrimSpace(end)),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hits (-want +got):\n%s", diff)
	}
	if len(col.Errors()) > 0 {
		t.Errorf("errors: %v", col.Errors())
	}
}

func TestMaskedValues(t *testing.T) {
	for _, s := range []string{"***", "abc***def", "[MASKED]", "Bearer [REDACTED]", "<redacted>"} {
		if !masked(s) {
			t.Errorf("masked(%q) = false", s)
		}
	}
	for _, s := range []string{"ghp_abc", "x*y", "redactedness"} {
		if masked(s) {
			t.Errorf("masked(%q) = true", s)
		}
	}
}

// FuzzStream scans arbitrary bytes through small windows: nothing panics,
// and every hit's raw span lies inside the input, in order of lines.
func FuzzStream(f *testing.F) {
	fk := newFakes(5)
	for _, s := range []string{
		"plain\nlines\n", "\x1b[31m" + fk.checksummed("ghp") + "\x1b[0m\n",
		`{"h":"Bearer \"` + fk.value("OPAQUE") + `\""}`, "no newline at end " + fk.checksummed("npm"),
		"\x00\xff\xfe invalid utf-8 \xc3\x28\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	eng := defaultEngine(f)
	f.Fuzz(func(t *testing.T, data []byte, rep uint8) {
		// Repeat the input to cross window edges now and then.
		in := bytes.Repeat(data, 1+int(rep)%4*int(minWindow)/max(len(data), 1)%64)
		var hits []Hit
		st := newStream(eng, &scan.Origin{Source: scan.SourceLog, Path: "-"}, minWindow, func(h Hit) { hits = append(hits, h) })
		st.write(in)
		st.drain(true)
		for _, h := range hits {
			if h.Start < 0 || h.End > int64(len(in)) || h.Start >= h.End {
				t.Fatalf("hit span [%d,%d) outside input of %d bytes", h.Start, h.End, len(in))
			}
			if want := bytes.Count(in[:h.Start], []byte{'\n'}) + 1; h.Line != want {
				t.Fatalf("hit at %d on line %d, want %d", h.Start, h.Line, want)
			}
		}
	})
}
