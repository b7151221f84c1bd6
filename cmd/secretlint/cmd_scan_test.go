package main

import (
	"bytes"
	"context"
	"encoding/json"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the progress goroutine and the
// command to write at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cliRun is one in-process run of the CLI.
type cliRun struct {
	code           int
	stdout, stderr string
}

// cliOpts are the environment of an in-process run.
type cliOpts struct {
	stdin    io.Reader
	env      map[string]string
	terminal bool // streams claim to be terminals
}

func runCLI(t *testing.T, o cliOpts, args ...string) cliRun {
	t.Helper()
	var stdout, stderr syncBuffer
	stdin := o.stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	e := &env{
		stdin:      stdin,
		stdout:     &stdout,
		stderr:     &stderr,
		getenv:     func(k string) string { return o.env[k] },
		isTerminal: func(any) bool { return o.terminal },
	}
	code := run(context.Background(), e, args)
	return cliRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// Fake, format-valid credentials, generated at run time so no source file
// holds one.

const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

type rng uint64

func (r *rng) next(n int) int {
	*r = *r*6364136223846793005 + 1442695040888963407
	return int((uint64(*r) >> 33) % uint64(n))
}

func (r *rng) pick(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.next(len(alphabet))]
	}
	return string(b)
}

// githubPAT returns a classic GitHub token with a valid CRC32 checksum.
func githubPAT(seed uint64) string {
	r := rng(seed)
	body := r.pick(base62Alphabet, 30)
	v := crc32.ChecksumIEEE([]byte(body))
	var sum [6]byte
	for i := 5; i >= 0; i-- {
		sum[i] = base62Alphabet[v%62]
		v /= 62
	}
	return "ghp_" + body + string(sum[:])
}

// awsKeyID returns an AWS access key ID.
func awsKeyID(seed uint64) string {
	r := rng(seed)
	return "AKIA" + r.pick("ABCDGHJKLMNQRTUVWYZ234567", 16)
}

// pemKey returns a PEM private key block of random base64.
func pemKey(seed uint64) string {
	r := rng(seed)
	var b strings.Builder
	b.WriteString("-----BEGIN RSA PRIVATE KEY-----\n")
	for i := 0; i < 6; i++ {
		b.WriteString(r.pick("ABCDGHIJLMNOQTUVWYZbcdghijnoqtuvwyz0123456789+/", 64) + "\n")
	}
	b.WriteString("-----END RSA PRIVATE KEY-----")
	return b.String()
}

// writeTree writes files under a new temporary directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// jsonReport is the part of the JSON report the CLI tests read.
type jsonReport struct {
	Version  string `json:"version"`
	Tool     string `json:"tool"`
	Findings []struct {
		RuleID      string `json:"rule_id"`
		Severity    string `json:"severity"`
		Path        string `json:"path"`
		Line        int    `json:"line"`
		Secret      string `json:"secret"`
		Fingerprint string `json:"fingerprint"`
	} `json:"findings"`
	Errors []struct {
		Input string `json:"input"`
		Error string `json:"error"`
	} `json:"errors"`
	Stale          []string `json:"stale_baseline"`
	StaleAllowlist []string `json:"stale_allowlist"`
	Stats          struct {
		Inputs     int `json:"inputs"`
		Findings   int `json:"findings"`
		Suppressed int `json:"suppressed"`
	} `json:"stats"`
}

func decodeReport(t *testing.T, s string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, s)
	}
	return r
}

func TestExitCodes(t *testing.T) {
	pat, key := githubPAT(1), pemKey(2)
	clean := writeTree(t, map[string]string{"main.go": "package main\n\nfunc main() {}\n"})
	leaky := writeTree(t, map[string]string{"app/settings.py": "TOKEN = \"" + pat + "\"\n"})
	critical := writeTree(t, map[string]string{"id_rsa": key + "\n"})
	empty := t.TempDir()
	broken := writeTree(t, map[string]string{"backup.tar.gz": "\x1f\x8b\x08\x00garbage that is not deflate"})
	brokenAndLeaky := writeTree(t, map[string]string{"backup.tar.gz": "\x1f\x8b\x08\x00garbage", "a.env": "T=" + pat + "\n"})
	badConfig := writeTree(t, map[string]string{
		"a.txt":            "hello\n",
		".secretlint.toml": "[[rule]]\nid = \"team-token\"\nregex = '''team_([a-z]+'''\n",
	})

	for _, tc := range []struct {
		name   string
		args   []string
		stdin  string
		want   int
		stdout string // substring
		stderr string // substring
	}{
		{name: "clean", args: []string{"scan", clean}, want: exitClean, stdout: "0 findings in 1 input"},
		{name: "finding", args: []string{"scan", leaky}, want: exitFindings, stdout: "github-pat"},
		{name: "below --fail-on", args: []string{"scan", "--fail-on", "critical", leaky}, want: exitClean, stdout: "1 finding (1 high)"},
		{name: "at --fail-on", args: []string{"scan", "--fail-on", "critical", critical}, want: exitFindings, stdout: "private-key"},
		{name: "stdin", args: []string{"scan", "-"}, stdin: "x = " + pat + "\n", want: exitFindings, stdout: "github-pat"},
		{name: "clean stdin", args: []string{"scan", "-"}, stdin: "nothing here\n", want: exitClean},
		{name: "bad flag", args: []string{"scan", "--no-such-flag", clean}, want: exitUsage, stderr: "no-such-flag"},
		{name: "bad format", args: []string{"scan", "--format", "yaml", clean}, want: exitUsage, stderr: `unknown format "yaml"`},
		{name: "bad --fail-on", args: []string{"scan", "--fail-on", "urgent", clean}, want: exitUsage, stderr: "--fail-on"},
		{name: "unknown command", args: []string{"scna"}, want: exitUsage, stderr: "unknown command"},
		{name: "no command", args: nil, want: exitUsage},
		{name: "bad config at root", args: []string{"scan", badConfig}, want: exitUsage,
			stderr: filepath.Join(badConfig, ".secretlint.toml") + `:3: rule "team-token": regex: error parsing regexp`},
		{name: "missing --config", args: []string{"scan", "--config", filepath.Join(clean, "none.toml"), clean}, want: exitUsage, stderr: "none.toml"},
		{name: "missing baseline", args: []string{"scan", "--baseline", filepath.Join(clean, "none.json"), clean}, want: exitUsage, stderr: "none.json"},
		{name: "empty dir", args: []string{"scan", empty}, want: exitInput, stderr: "nothing was scanned"},
		{name: "wrong path", args: []string{"scan", filepath.Join(empty, "no-such-dir")}, want: exitInput, stderr: "no-such-dir"},
		{name: "unreadable input", args: []string{"scan", broken}, want: exitInput, stderr: "backup.tar.gz"},
		{name: "unreadable input and a finding", args: []string{"scan", brokenAndLeaky}, want: exitFindings, stderr: "backup.tar.gz"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, cliOpts{stdin: strings.NewReader(tc.stdin)}, tc.args...)
			if r.code != tc.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tc.want, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, tc.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdout, r.stdout)
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, r.stderr)
			}
		})
	}
}

// TestUnreadableInReport checks an input error reaches the report's errors
// as well as stderr.
func TestUnreadableInReport(t *testing.T) {
	dir := writeTree(t, map[string]string{"backup.tar.gz": "\x1f\x8b\x08\x00garbage", "ok.txt": "fine\n"})
	r := runCLI(t, cliOpts{}, "scan", "--format", "json", dir)
	rep := decodeReport(t, r.stdout)
	if r.code != exitInput || len(rep.Errors) != 1 || !strings.HasSuffix(rep.Errors[0].Input, "backup.tar.gz") {
		t.Errorf("exit %d, errors %+v", r.code, rep.Errors)
	}
}

func TestInlineAllow(t *testing.T) {
	a, b := githubPAT(3), githubPAT(4)
	dir := writeTree(t, map[string]string{"conf.py": "" +
		"A = \"" + a + "\"  # secretlint:allow\n" +
		"B = \"" + b + "\"\n" +
		"C = \"" + a + "\"  # gitleaks:allow\n"})
	r := runCLI(t, cliOpts{}, "scan", "--format", "json", dir)
	rep := decodeReport(t, r.stdout)
	if r.code != exitFindings || len(rep.Findings) != 1 || rep.Findings[0].Line != 2 {
		t.Errorf("exit %d, findings %+v; want only line 2", r.code, rep.Findings)
	}
	allowed := writeTree(t, map[string]string{"conf.py": "A = \"" + a + "\"  # secretlint:allow\n"})
	if r := runCLI(t, cliOpts{}, "scan", allowed); r.code != exitClean {
		t.Errorf("allowed line: exit %d\n%s", r.code, r.stdout)
	}
}

// TestDeterministic checks two runs give byte-identical reports.
func TestDeterministic(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 20; i++ {
		files[filepath.Join("d", string(rune('a'+i))+".env")] = "T=" + githubPAT(uint64(100+i)) + "\nK=" + awsKeyID(uint64(200+i)) + "\n"
	}
	dir := writeTree(t, files)
	first := runCLI(t, cliOpts{}, "scan", "--format", "csv", "--jobs", "4", dir)
	for i := 0; i < 3; i++ {
		again := runCLI(t, cliOpts{}, "scan", "--format", "csv", "--jobs", "4", dir)
		if again.stdout != first.stdout {
			t.Fatalf("run %d differs:\n%s\nvs\n%s", i, again.stdout, first.stdout)
		}
	}
	if n := strings.Count(first.stdout, "\n"); n != 41 {
		t.Errorf("%d CSV lines, want a header and 40 findings", n)
	}
}

// slowReader yields its data only after a delay, so a scan of it lasts
// long enough for the progress line to show.
type slowReader struct {
	data  io.Reader
	delay time.Duration
	once  sync.Once
}

func (s *slowReader) Read(p []byte) (int, error) {
	s.once.Do(func() { time.Sleep(s.delay) })
	return s.data.Read(p)
}

func TestProgress(t *testing.T) {
	for _, tc := range []struct {
		name     string
		terminal bool
		args     []string
		want     bool
	}{
		{"terminal", true, nil, true},
		{"terminal with --quiet", true, []string{"--quiet"}, false},
		{"piped", false, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := &slowReader{data: strings.NewReader("nothing to see\n"), delay: 2 * time.Second}
			args := append([]string{"scan", "--format", "json"}, tc.args...)
			r := runCLI(t, cliOpts{stdin: in, terminal: tc.terminal}, append(args, "-")...)
			if r.code != exitClean {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if got := strings.Contains(r.stderr, "scanning:"); got != tc.want {
				t.Errorf("progress line shown=%v, want %v; stderr %q", got, tc.want, r.stderr)
			}
			if strings.Contains(r.stdout, "scanning:") {
				t.Error("progress on stdout")
			}
		})
	}
}

// TestQuiet checks --quiet prints nothing on a clean scan and still
// reports findings.
func TestQuiet(t *testing.T) {
	clean := writeTree(t, map[string]string{"a.txt": "hello\n"})
	if r := runCLI(t, cliOpts{}, "scan", "--quiet", clean); r.code != exitClean || r.stdout != "" || r.stderr != "" {
		t.Errorf("clean --quiet: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	leaky := writeTree(t, map[string]string{"a.txt": "t=" + githubPAT(9) + "\n"})
	if r := runCLI(t, cliOpts{}, "scan", "--quiet", leaky); r.code != exitFindings || !strings.Contains(r.stdout, "github-pat") {
		t.Errorf("leaky --quiet: exit %d stdout %q", r.code, r.stdout)
	}
}

// TestNoColor checks the text report stays plain when NO_COLOR is set or
// --no-color is given, even when stdout claims to be a terminal.
func TestNoColor(t *testing.T) {
	leaky := writeTree(t, map[string]string{"a.txt": "t=" + githubPAT(10) + "\n"})
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, nil},
		{"--no-color", nil, []string{"--no-color"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, cliOpts{env: tc.env, terminal: true}, append(append([]string{"scan"}, tc.args...), leaky)...)
			if strings.Contains(r.stdout, "\x1b[") {
				t.Errorf("escape sequences in %q", r.stdout)
			}
		})
	}
}

// Flags after the paths are flags, as in gitleaks, kubectl or ripgrep: the
// same report whichever order they are typed in, and "--" ends them.
func TestFlagsAfterArguments(t *testing.T) {
	tok := githubPAT(71)
	dir := writeTree(t, map[string]string{"app.py": "T = \"" + tok + "\"\n"})
	out1 := filepath.Join(t.TempDir(), "first.json")
	out2 := filepath.Join(t.TempDir(), "last.json")
	first := runCLI(t, cliOpts{}, "scan", "--format", "json", "--output", out1, dir)
	last := runCLI(t, cliOpts{}, "scan", dir, "--format", "json", "--output", out2)
	if first.code != exitFindings || last.code != exitFindings {
		t.Fatalf("exit %d (flags first) and %d (flags last), want %d; stderr %s", first.code, last.code, exitFindings, last.stderr)
	}
	a, err1 := os.ReadFile(out1)
	b, err2 := os.ReadFile(out2)
	if err1 != nil || err2 != nil {
		t.Fatalf("reports: %v, %v", err1, err2)
	}
	ra, rb := decodeReport(t, string(a)), decodeReport(t, string(b))
	if len(ra.Findings) != 1 || len(rb.Findings) != 1 || ra.Findings[0].Fingerprint != rb.Findings[0].Fingerprint {
		t.Errorf("flags first: %d findings, flags last: %d findings", len(ra.Findings), len(rb.Findings))
	}
	// A threshold after the path is honoured.
	if r := runCLI(t, cliOpts{}, "scan", dir, "--fail-on", "critical"); r.code != exitClean {
		t.Errorf("scan DIR --fail-on critical: exit %d, want %d (the high finding is below the threshold)", r.code, exitClean)
	}
	// A baseline after the repository is honoured by git.
	g := newGitRepo(t)
	g.write("app.py", "T = \""+tok+"\"\n")
	g.commit("add")
	bl := filepath.Join(t.TempDir(), "bl.json")
	if r := runCLI(t, cliOpts{}, "git", g.dir, "--format", "json", "--output", bl); r.code != exitFindings {
		t.Fatalf("git: exit %d\n%s", r.code, r.stderr)
	}
	if r := runCLI(t, cliOpts{}, "git", g.dir, "--baseline", bl); r.code != exitClean {
		t.Errorf("git REPO --baseline FILE: exit %d, want %d\n%s", r.code, exitClean, r.stderr)
	}
	// After "--" a name that starts with "-" is a path.
	odd := filepath.Join(dir, "-odd.py")
	if err := os.WriteFile(odd, []byte("T = \""+tok+"\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if r := runCLI(t, cliOpts{}, "scan", "--format", "json", "--", "-odd.py"); r.code != exitFindings {
		t.Errorf("scan -- -odd.py: exit %d, want %d\n%s", r.code, exitFindings, r.stderr)
	}
	if r := runCLI(t, cliOpts{}, "scan", dir, "--no-such-flag"); r.code != exitUsage {
		t.Errorf("unknown flag after the path: exit %d, want %d", r.code, exitUsage)
	}
}

// --output names the format by its extension unless --format is given.
func TestFormatFromOutputExtension(t *testing.T) {
	dir := writeTree(t, map[string]string{"app.py": "T = \"" + githubPAT(81) + "\"\n"})
	out := t.TempDir()
	for _, tc := range []struct {
		name, want string
		format     []string
	}{
		{"r.sarif", `"runs"`, nil},
		{"r.json", `"findings"`, nil},
		{"r.jsonl", `"rule_id"`, nil},
		{"junit.xml", "<testsuites", nil},
		{"r.csv", "rule_id,", nil},
		{"r2.json", "github-pat", []string{"--format", "text"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(out, tc.name)
			args := append([]string{"scan", dir, "--output", p}, tc.format...)
			if r := runCLI(t, cliOpts{}, args...); r.code != exitFindings {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(data), tc.want) {
				t.Errorf("%s holds no %s:\n%.300s", tc.name, tc.want, data)
			}
			if tc.format != nil && strings.HasPrefix(strings.TrimSpace(string(data)), "{") {
				t.Errorf("--format text was overridden by the .json extension")
			}
		})
	}
}

// A command's help goes to stdout, GNU style, so it can be piped to grep;
// `secretlint help CMD` prints the same.
func TestCommandHelp(t *testing.T) {
	for _, args := range [][]string{{"scan", "--help"}, {"scan", ".", "-h"}, {"help", "scan"}} {
		r := runCLI(t, cliOpts{}, args...)
		if r.code != exitClean || !strings.Contains(r.stdout, "  --baseline FILE") || !strings.Contains(r.stdout, "usage: secretlint scan") || r.stderr != "" {
			t.Errorf("%v: exit %d, stdout %.200q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
		if strings.Count(r.stdout, "(default text)") != 1 {
			t.Errorf("%v: the --format default is not shown exactly once", args)
		}
	}
	if r := runCLI(t, cliOpts{}, "help", "no-such-command"); r.code != exitUsage {
		t.Errorf("help no-such-command: exit %d, want %d", r.code, exitUsage)
	}
}

func TestJobsAndVersion(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.txt": "hello\n"})
	for _, j := range []string{"0", "-1"} {
		if r := runCLI(t, cliOpts{}, "scan", dir, "--jobs", j); r.code != exitUsage || !strings.Contains(r.stderr, "--jobs") {
			t.Errorf("--jobs %s: exit %d, stderr %q; want %d naming --jobs", j, r.code, r.stderr, exitUsage)
		}
	}
	for _, a := range []string{"version", "--version"} {
		r := runCLI(t, cliOpts{}, a)
		if r.code != exitClean || !strings.HasPrefix(r.stdout, "secretlint ") || !strings.Contains(r.stdout, "go: go1.") {
			t.Errorf("%s: exit %d, %q", a, r.code, r.stdout)
		}
	}
}

// `secretlint rules` stays a readable table: a rule with many keywords does
// not widen every row past a wide terminal.
func TestRulesTableWidth(t *testing.T) {
	r := runCLI(t, cliOpts{}, "rules")
	if r.code != exitClean {
		t.Fatalf("exit %d", r.code)
	}
	for _, line := range strings.Split(r.stdout, "\n") {
		if n := len([]rune(line)); n > 200 {
			t.Errorf("%d-character line: %.80s…", n, line)
			break
		}
	}
	if !strings.Contains(r.stdout, "aws-secret-access-key") {
		t.Error("rules table lost a rule")
	}
}

// Global flags written before the command name are the command's: in every
// spelling (long, one-letter, --name=value, bool), for scan and git, the
// report is the one the same flags after the command give. A flag no
// command knows, before the command, is still a usage error.
func TestGlobalFlagsBeforeCommand(t *testing.T) {
	tok := githubPAT(72)
	dir := writeTree(t, map[string]string{"app.py": "T = \"" + tok + "\"\n"})
	g := newGitRepo(t)
	g.write("app.py", "T = \""+tok+"\"\n")
	g.commit("add")
	for _, tc := range []struct{ before, after []string }{
		{[]string{"--format", "json", "--quiet", "scan", dir}, []string{"scan", "--format", "json", "--quiet", dir}},
		{[]string{"-q", "-f", "json", "scan", dir}, []string{"scan", "-q", "-f", "json", dir}},
		{[]string{"--format=json", "--no-color", "scan", dir, "--fail-on", "low"}, []string{"scan", "--format=json", "--no-color", "--fail-on", "low", dir}},
		{[]string{"-q", "--format", "json", "git", g.dir}, []string{"git", "-q", "--format", "json", g.dir}},
	} {
		b, a := runCLI(t, cliOpts{}, tc.before...), runCLI(t, cliOpts{}, tc.after...)
		if b.code != exitFindings || a.code != exitFindings {
			t.Errorf("%q: exit %d, %q: exit %d, want %d; stderr: %s", tc.before, b.code, tc.after, a.code, exitFindings, b.stderr)
			continue
		}
		rb, ra := decodeReport(t, b.stdout), decodeReport(t, a.stdout)
		if len(rb.Findings) != 1 || len(ra.Findings) != 1 || rb.Findings[0].Fingerprint != ra.Findings[0].Fingerprint {
			t.Errorf("%q: %d findings, %q: %d findings", tc.before, len(rb.Findings), tc.after, len(ra.Findings))
		}
	}
	if r := runCLI(t, cliOpts{}, "--no-such-flag", "scan", dir); r.code != exitUsage {
		t.Errorf("--no-such-flag scan: exit %d, want %d", r.code, exitUsage)
	}
}
