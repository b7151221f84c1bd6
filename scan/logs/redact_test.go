package logs

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/scan"
)

func TestRedact(t *testing.T) {
	fk := newFakes(6)
	var in, want bytes.Buffer
	both := func(s string) { in.WriteString(s); want.WriteString(s) }
	secret := func(s, rule string) { in.WriteString(s); want.WriteString("[REDACTED:" + rule + "]") }
	for i := range 2000 {
		both(fmt.Sprintf("2024-06-09T02:30:%02dZ \x1b[32mstep %d\x1b[0m ok\n", i%60, i))
		switch i % 500 {
		case 7:
			both("\x1b[31m")
			secret(fk.checksummed("ghp"), "github-pat")
			both("\x1b[0m leaked\n")
		case 100:
			both(`{"env": "{\"NPM_TOKEN\": \"`)
			secret(fk.checksummed("npm"), "npm-token")
			both(`\"}"}` + "\n")
		case 300:
			both("\u00e9t\u00e9 \xff\xfe invalid utf-8 then ")
			secret(fk.checksummed("ghp"), "github-pat")
			both(" and ")
			secret(fk.checksummed("ghp"), "github-pat")
			both("\n")
		}
	}
	// A long line that crosses windows, with a secret astride an edge, and
	// a last line without a newline.
	long := filler(3 * minWindow)
	both(string(long[:minWindow-overlap-10]) + " ")
	secret(fk.checksummed("ghp"), "github-pat")
	both(" " + string(long[minWindow:]) + "\n")
	both("tail without newline ")
	secret(fk.checksummed("ghp"), "github-pat")

	for _, tc := range []struct{ window, jobs int }{{DefaultWindow, 1}, {minWindow, 1}, {minWindow, 3}} {
		t.Run(fmt.Sprintf("window=%d,jobs=%d", tc.window, tc.jobs), func(t *testing.T) {
			var out bytes.Buffer
			found, err := Redact(context.Background(), defaultEngine(t), "ci.log", bytes.NewReader(in.Bytes()), &out, WithWindow(tc.window), WithJobs(tc.jobs))
			if err != nil {
				t.Fatal(err)
			}
			if len(found) != 18 {
				t.Errorf("redacted %d secrets, want 18", len(found))
			}
			if !bytes.Equal(out.Bytes(), want.Bytes()) {
				t.Errorf("redacted copy differs:\n%s", cmp.Diff(want.String(), out.String()))
			}
		})
	}
}

func TestRedactGzipAndBinary(t *testing.T) {
	fk := newFakes(7)
	tok := fk.checksummed("ghp")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	fmt.Fprintf(zw, "line one\ntoken %s here\n", tok)
	zw.Close()
	var out bytes.Buffer
	found, err := Redact(context.Background(), defaultEngine(t), "app.log.1.gz", &gz, &out)
	if err != nil || len(found) != 1 {
		t.Fatalf("Redact gzip: %d found, err %v", len(found), err)
	}
	if got, want := out.String(), "line one\ntoken [REDACTED:github-pat] here\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}

	out.Reset()
	_, err = Redact(context.Background(), defaultEngine(t), "core.bin", bytes.NewReader([]byte("\x7fELF\x00\x00\x01"+tok)), &out)
	if !errors.Is(err, ErrBinary) || !strings.Contains(err.Error(), "core.bin") || out.Len() != 0 {
		t.Errorf("binary input: err %v, %d bytes written; want ErrBinary naming core.bin and nothing written", err, out.Len())
	}
}

func TestBadInput(t *testing.T) {
	fk := newFakes(8)
	tok := fk.checksummed("ghp")
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(p)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	fmt.Fprintf(zw, "before the damage %s\n", tok)
	zw.Write(filler(200000))
	zw.Close()
	corrupt := gz.Bytes()
	corrupt = append(corrupt[:len(corrupt)/2:len(corrupt)/2], bytes.Repeat([]byte{0xa5}, 64)...)

	truncated := write("app.log.2.gz", corrupt)
	badHeader := write("app.log.3.gz", []byte{0x1f, 0x8b, 0x00, 0x00, 'x', 'y'})
	binary := write("core.dump", append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00"), tok...))
	invalid := write("latin1.log", []byte("caf\xe9 \xff\xfe\xfd "+tok+" \xc3\x28\n"))

	col := &scan.Collector{}
	if err := New([]string{dir}).Scan(context.Background(), defaultEngine(t), col); err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, f := range col.Findings() {
		found = append(found, fmt.Sprintf("%s:%d", filepath.Base(f.Path), f.Line))
	}
	if diff := cmp.Diff([]string{"app.log.2.gz:1", "latin1.log:1"}, found); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	errs := map[string]string{}
	for _, e := range col.Errors() {
		errs[e.Input] = e.Err.Error()
	}
	for _, p := range []string{truncated, badHeader} {
		if !strings.Contains(errs[p], "gzip") {
			t.Errorf("%s: error %q, want a gzip error", p, errs[p])
		}
	}
	if len(errs) != 2 {
		t.Errorf("errors %v, want the two gzip files", errs)
	}
	skips := col.Skips()
	if len(skips) != 1 || skips[0].Input != binary || !strings.Contains(skips[0].Reason, "binary") {
		t.Errorf("skips %v, want %s as binary", skips, binary)
	}
	_ = invalid
}

func TestGzipBomb(t *testing.T) {
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zeros := bytes.Repeat([]byte("\n"), 1<<20)
	for range 64 {
		zw.Write(zeros)
	}
	zw.Close()
	// 64 MB of newlines compress about 1000:1; a ratio of 10 with the
	// floor lowered trips the check, which the default leaves for
	// streams past 1 GiB.
	s := New([]string{Stdin}, WithStdin(&gz), WithMaxRatio(10))
	s.o.bombFloor = 1 << 20
	col := &scan.Collector{}
	if err := s.Scan(context.Background(), defaultEngine(t), col); err != nil {
		t.Fatal(err)
	}
	errs := col.Errors()
	if len(errs) != 1 || !errors.Is(errs[0], errBomb) || errs[0].Input != Stdin {
		t.Errorf("errors %v, want the gzip bomb error on stdin", errs)
	}
}
