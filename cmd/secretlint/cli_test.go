package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/pipeline"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/files"
)

// reportFindings reads a JSON report file down to its findings, which do
// not depend on timing.
func reportFindings(t *testing.T, path string) []json.RawMessage {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no report at %s: %v", path, err)
	}
	var r struct {
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("report %s is not JSON: %v\n%.300s", path, err, data)
	}
	return r.Findings
}

// The same command line gives the same report and exit code whether its
// flags come before the path, after it, or in their short or single-dash
// forms.
func TestFlagOrder(t *testing.T) {
	tok := githubPAT(121)
	tree := writeTree(t, map[string]string{"app.py": "T = \"" + tok + "\"\n", "b/other.py": "U = \"" + githubPAT(122) + "\"\n"})
	repo := newGitRepo(t)
	repo.write("app.py", "T = \""+tok+"\"\n")
	repo.commit("add a token")
	// A baseline recording every finding of the history.
	bl := filepath.Join(t.TempDir(), "bl.json")
	if r := runCLI(t, cliOpts{}, "git", repo.dir, "--format", "json", "--output", bl); r.code != exitFindings {
		t.Fatalf("git: exit %d\n%s", r.code, r.stderr)
	}

	tests := []struct {
		name     string
		cmd      string
		target   string
		flags    []string
		wantCode int
		report   bool // the flags write a JSON report to OUT
	}{
		{"scan json to a file", "scan", tree, []string{"--format", "json", "--output", "OUT"}, exitFindings, true},
		{"scan short forms", "scan", tree, []string{"-f", "json", "-o", "OUT", "-j", "1", "-q"}, exitFindings, true},
		{"scan single-dash long forms", "scan", tree, []string{"-format", "json", "-output=OUT"}, exitFindings, true},
		{"scan --fail-on above the findings", "scan", tree, []string{"--fail-on", "critical"}, exitClean, false},
		{"scan --fail-on=high", "scan", tree, []string{"--fail-on=high", "--quiet"}, exitFindings, false},
		{"git json to a file", "git", repo.dir, []string{"--format", "json", "-o", "OUT"}, exitFindings, true},
		{"git --baseline", "git", repo.dir, []string{"--baseline", bl, "--format", "json", "--output", "OUT"}, exitClean, true},
		{"git --fail-on", "git", repo.dir, []string{"--fail-on", "critical", "--no-baseline"}, exitClean, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [2][]json.RawMessage
			for i, order := range []string{"flags first", "flags last"} {
				out := filepath.Join(t.TempDir(), "report.json")
				flags := make([]string, len(tc.flags))
				for j, f := range tc.flags {
					flags[j] = strings.ReplaceAll(f, "OUT", out)
				}
				args := append(append([]string{tc.cmd}, flags...), tc.target)
				if i == 1 {
					args = append([]string{tc.cmd, tc.target}, flags...)
				}
				r := runCLI(t, cliOpts{}, args...)
				if r.code != tc.wantCode {
					t.Fatalf("%s: secretlint %s: exit %d, want %d\n%s", order, strings.Join(args, " "), r.code, tc.wantCode, r.stderr)
				}
				if strings.Contains(r.stderr, "lstat") {
					t.Errorf("%s: a flag was taken as a path: %s", order, r.stderr)
				}
				if tc.report {
					got[i] = reportFindings(t, out)
				}
			}
			if diff := cmp.Diff(got[0], got[1]); diff != "" {
				t.Errorf("flags first and flags last differ (-first +last):\n%s", diff)
			}
		})
	}
}

// Mistyped command lines exit 2 with one line that names the flag and,
// where there is one, the flag or command meant.
func TestBadCommandLines(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.txt": "hello\n"})
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"scan", dir, "--formt", "json"}, "unknown flag --formt (did you mean --format?)"},
		{[]string{"scan", dir, "--baselin", "x"}, "did you mean --baseline?"},
		{[]string{"scna", dir}, `unknown command "scna" (did you mean "scan"?)`},
		{[]string{"scan", dir, "--jobs", "-1"}, "--jobs"},
		{[]string{"scan", dir, "-j", "0"}, "--jobs"},
		{[]string{"scan", dir, "--jobs", "many"}, "--jobs"},
		{[]string{"scan", dir, "--fail-on", "severe"}, "--fail-on"},
		{[]string{"scan", dir, "--format", "yaml"}, "--format"},
		{[]string{"scan", dir, "--format"}, "--format: missing value"},
		{[]string{"git", dir, "--baseline"}, "--baseline: missing value"},
		{[]string{"scan", dir, "-f", "json", "--format", "text"}, "--format given twice"},
		{[]string{"git", dir, "--branch", "a", "--branch", "b"}, "--branch given twice"},
		{[]string{"scan", dir, "-o", filepath.Join(dir, "missing", "r.json")}, "--output: refused: " + filepath.Join(dir, "missing", "r.json") + ": directory " + filepath.Join(dir, "missing") + " does not exist; create it first"},
		{[]string{"redact", "-o", filepath.Join(dir, "missing", "r.log"), filepath.Join(dir, "a.txt")}, "directory " + filepath.Join(dir, "missing") + " does not exist"},
		{[]string{"baseline", dir, "--baseline-file", filepath.Join(dir, "missing", "b.json")}, "--baseline-file: refused"},
		{[]string{"merge", "--fail-on", "severe", dir}, "--fail-on: unknown severity"},
		{[]string{"merge", "--format", "yaml", dir}, "--format: unknown format"},
		{[]string{"image", "--jobs", "0", "x.tar"}, "--jobs 0: want at least 1"},
		{[]string{"logs", dir, "--fail-on"}, "--fail-on: missing value"},
	}
	for _, tc := range tests {
		r := runCLI(t, cliOpts{}, tc.args...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) || len(lines) != 1 {
			t.Errorf("secretlint %s: exit %d, stderr %q; want exit %d and one line with %q", strings.Join(tc.args, " "), r.code, r.stderr, exitUsage, tc.want)
		}
	}
}

// Help goes to stdout with every flag once, GNU style, so it can be piped
// to grep.
func TestHelpLists(t *testing.T) {
	for _, args := range [][]string{{"scan", "--help"}, {"help", "scan"}, {"git", "-h"}, {"help", "git"}} {
		r := runCLI(t, cliOpts{}, args...)
		if r.code != exitClean || r.stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		for _, want := range []string{"  --baseline FILE", "-o, --output FILE", "-f, --format FORMAT", "-c, --config FILE", "-j, --jobs int", "-q, --quiet"} {
			if strings.Count(r.stdout, want) != 1 {
				t.Errorf("%v: %q appears %d times in\n%s", args, want, strings.Count(r.stdout, want), r.stdout)
			}
		}
		if strings.Contains(r.stdout, "\n  -baseline") || strings.Contains(r.stdout, "shorthand for") {
			t.Errorf("%v: flag package help left in\n%s", args, r.stdout)
		}
	}
	// logs keeps -f for --follow, as in tail -f.
	if r := runCLI(t, cliOpts{}, "logs", "--help"); !strings.Contains(r.stdout, "-f, --follow") {
		t.Errorf("logs --help:\n%s", r.stdout)
	}
	r := runCLI(t, cliOpts{}, "--help")
	for _, want := range []string{"scan ", "completion ", "version ", "Exit codes"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--help lacks %q:\n%s", want, r.stdout)
		}
	}
}

// Each global flag is declared once: every command that takes it lists it
// under "Global Flags" with the same line, and never among its own flags.
func TestGlobalFlagsDeclaredOnce(t *testing.T) {
	lines := map[string]string{} // global flag -> its help line
	taking := map[string]int{}   // global flag -> commands that list it
	helps := [][]string{}
	for _, name := range commandNames() {
		helps = append(helps, []string{name, "--help"})
	}
	helps = append(helps, []string{"inventory", "check", "--help"}, []string{"inventory", "init", "--help"})
	for _, args := range helps {
		r := runCLI(t, cliOpts{}, args...)
		own, global, _ := strings.Cut(r.stdout, "\nGlobal Flags:\n")
		for _, g := range globalFlags {
			for _, l := range strings.Split(own, "\n") {
				if m := flagLine.FindStringSubmatch(l); m != nil && m[2] == g.name {
					t.Errorf("%v: --%s among the command's own flags:\n%s", args, g.name, own)
				}
			}
			for _, l := range strings.Split(global, "\n") {
				m := flagLine.FindStringSubmatch(l)
				if m == nil || m[2] != g.name {
					continue
				}
				taking[g.name]++
				// The shorthand may be the command's own (logs -f).
				line := m[2] + " " + m[3] + " " + m[4]
				if prev, ok := lines[g.name]; ok && prev != line {
					t.Errorf("%v: --%s reads %q, elsewhere %q", args, g.name, line, prev)
				}
				lines[g.name] = line
			}
		}
	}
	for _, g := range globalFlags {
		if taking[g.name] < 2 {
			t.Errorf("--%s is listed as a global flag by %d commands", g.name, taking[g.name])
		}
	}
	// inventory init's own --force (overwrite) is not --output's.
	if r := runCLI(t, cliOpts{}, "inventory", "init", "--help"); strings.Contains(r.stdout, "Global Flags") {
		t.Errorf("inventory init lists global flags:\n%s", r.stdout)
	}
}

// version names the build: the module version and the Go toolchain.
func TestVersionCommand(t *testing.T) {
	for _, a := range []string{"version", "--version", "-v", "-version"} {
		r := runCLI(t, cliOpts{}, a)
		if r.code != exitClean || !strings.HasPrefix(r.stdout, "secretlint "+toolVersion()+"\n") || !strings.Contains(r.stdout, "\ngo: go1.") {
			t.Errorf("%s: exit %d, %q", a, r.code, r.stdout)
		}
	}
}

// completion prints a script for each shell; the script's completion
// request lists a command's flags.
func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{"bash": "__start_secretlint", "zsh": "#compdef secretlint", "fish": "complete -c secretlint", "powershell": "Register-ArgumentCompleter"} {
		r := runCLI(t, cliOpts{}, "completion", shell)
		if r.code != exitClean || !strings.Contains(r.stdout, want) {
			t.Errorf("completion %s: exit %d, no %q in %.200q; stderr %q", shell, r.code, want, r.stdout, r.stderr)
		}
	}
	r := runCLI(t, cliOpts{}, "__complete", "scan", ".", "--basel")
	if r.code != exitClean || !strings.Contains(r.stdout, "--baseline\t") {
		t.Errorf("__complete scan . --basel: exit %d, %q", r.code, r.stdout)
	}
	r = runCLI(t, cliOpts{}, "__complete", "inventory", "check", "--po")
	if !strings.Contains(r.stdout, "--policy\t") {
		t.Errorf("__complete inventory check --po: %q", r.stdout)
	}
}

// Size flags read and print sizes as docker/go-units does (powers of 1024).
func TestSizeFlags(t *testing.T) {
	for in, want := range map[string]int64{"10MB": 10 << 20, "512k": 512 << 10, "1G": 1 << 30, "1GiB": 1 << 30, "1.5GB": 3 << 29, "0": 0, "123": 123, " 2 MB": 2 << 20} {
		var b byteSize
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("Set(%q) = %d, %v; want %d", in, b, err, want)
		}
	}
	for _, in := range []string{"-1", "ten", "10XB", ""} {
		var b byteSize
		if err := b.Set(in); err == nil {
			t.Errorf("Set(%q) = %d, want an error", in, b)
		}
	}
	r := runCLI(t, cliOpts{}, "scan", "--help")
	if !strings.Contains(r.stdout, "(default 50MiB)") || strings.Contains(r.stdout, "52428800") {
		t.Errorf("scan --help does not show --max-file-size's default as a size:\n%s", r.stdout)
	}
	if r := runCLI(t, cliOpts{}, "scan", "--max-file-size", "lots", "."); r.code != exitUsage || !strings.Contains(r.stderr, "--max-file-size") {
		t.Errorf("--max-file-size lots: exit %d, %q", r.code, r.stderr)
	}
}

// The progress line shows the sources' own units with a total, a
// percentage and the time left once the total is known, the finding count
// as it grows, and falls back to inputs read when a source counts nothing.
func TestProgressLine(t *testing.T) {
	tests := []struct {
		name string
		pr   pipeline.Progress
		want string
	}{
		{"nothing counted yet", pipeline.Progress{Inputs: 3, Bytes: 1500000, Findings: 1, Elapsed: 2 * time.Second},
			"scanning: 3 inputs, 1.5MB, 1 finding, 750kB/s"},
		{"files listed, total known", pipeline.Progress{Inputs: 40, Bytes: 4e6, Findings: 2, Elapsed: 10 * time.Second,
			Work: scan.Work{Unit: "files", Total: 100, Done: 40}},
			"scanning: 40/100 files (40%), 4MB, 2 findings, 400kB/s, about 15s left"},
		{"listing not finished", pipeline.Progress{Bytes: 1e6, Elapsed: time.Second, Work: scan.Work{Unit: "files", Done: 7}},
			"scanning: 7 files, 1MB, 0 findings, 1MB/s"},
		{"layers, minutes left", pipeline.Progress{Bytes: 2e9, Findings: 12, Elapsed: 3 * time.Minute,
			Work: scan.Work{Unit: "layers", Total: 8, Done: 2}},
			"scanning: 2/8 layers (25%), 2GB, 12 findings, 11.11MB/s, about 9m0s left"},
		{"all done", pipeline.Progress{Bytes: 1e6, Elapsed: time.Second, Work: scan.Work{Unit: "files", Total: 5, Done: 5}},
			"scanning: 5/5 files (100%), 1MB, 0 findings, 1MB/s"},
	}
	for _, tc := range tests {
		if got := progressLine(tc.pr); got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// Sources count their work for the progress line: a directory scan
// expects each listed file and finishes each one.
func TestFilesSourceCountsWork(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.txt": "x\n", "b/c.txt": "y\n", "b/d.txt": "z\n"})
	p, err := pipeline.New(pipeline.WithRoots(dir), pipeline.WithSources(files.New([]string{dir})))
	if err != nil {
		t.Fatal(err)
	}
	p.Run(context.Background())
	if w := p.Progress().Work; w != (scan.Work{Unit: "files", Total: 3, Done: 3}) {
		t.Errorf("work %+v, want 3 of 3 files", w)
	}
}
