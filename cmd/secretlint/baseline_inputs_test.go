package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// writeImage writes an OCI layout of one image with one layer of files.
func writeImage(t *testing.T, files map[string]string) string {
	t.Helper()
	img, err := mutate.Append(empty.Image, mutate.Addendum{Layer: imageLayer(t, files), History: v1.History{CreatedBy: "COPY . /srv/"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "oci")
	if _, err := layout.Write(dir, mutate.AppendManifests(empty.Index, mutate.IndexAddendum{Add: img})); err != nil {
		t.Fatal(err)
	}
	return dir
}

// baselineCase runs a command with a baseline and returns its exit code,
// findings' rule ids and paths, suppressed count and stale entries.
func baselineRun(t *testing.T, o cliOpts, args ...string) (int, []string, int, []string) {
	t.Helper()
	r := runCLI(t, o, append(args, "--format", "json")...)
	if r.code != exitClean && r.code != exitFindings {
		t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
	}
	rep := readReport(t, r.stdout)
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.RuleID+" "+f.Path)
	}
	return r.code, got, rep.Stats.Suppressed, rep.Stale
}

// `secretlint baseline --image` and `--logs` record what `secretlint image`
// and `secretlint logs` report; those commands then report only what is
// new, list the entries nothing matched as stale, and use a
// .secretlint-baseline.json in the working directory (images) or at the
// log directory (logs) without --baseline.
func TestBaselineImageAndLogs(t *testing.T) {
	t.Run("image", func(t *testing.T) {
		old := writeImage(t, map[string]string{"srv/creds.ini": "key=" + imageAWSKey(11) + "\n"})
		t.Chdir(t.TempDir())
		if r := runCLI(t, cliOpts{}, "baseline", "--image", "-o", "b.json", old); r.code != exitClean {
			t.Fatalf("baseline --image: exit %d\n%s", r.code, r.stderr)
		}
		data, err := os.ReadFile("b.json")
		if err != nil || strings.Contains(string(data), imageAWSKey(11)) {
			t.Fatalf("baseline file: %v (or it holds the secret)", err)
		}
		if _, err := os.Stat(".secretlint-baseline.json"); err == nil {
			t.Error("baseline -o b.json also wrote .secretlint-baseline.json")
		}
		if code, got, sup, stale := baselineRun(t, cliOpts{}, "image", "--baseline", "b.json", old); code != exitClean || len(got) != 0 || sup != 1 || len(stale) != 0 {
			t.Errorf("image --baseline on the recorded image: exit %d, findings %v, %d suppressed, stale %v; want 0, none, 1, none", code, got, sup, stale)
		}
		// A rebuilt image: the old key moved out, a new one came in.
		rebuilt := writeImage(t, map[string]string{"srv/creds.ini": "key=" + imageAWSKey(12) + "\n"})
		code, got, _, stale := baselineRun(t, cliOpts{}, "image", "--baseline", "b.json", rebuilt)
		if code != exitFindings || len(got) != 1 || got[0] != "aws-access-key-id /srv/creds.ini" || len(stale) != 1 {
			t.Errorf("image --baseline on a rebuilt image: exit %d, findings %v, stale %v; want 1, the new key, one stale entry", code, got, stale)
		}
		if err := os.Rename("b.json", ".secretlint-baseline.json"); err != nil {
			t.Fatal(err)
		}
		if code, got, _, _ := baselineRun(t, cliOpts{}, "image", old); code != exitClean || len(got) != 0 {
			t.Errorf("image with .secretlint-baseline.json in the working directory: exit %d, findings %v", code, got)
		}
		if code, _, _, _ := baselineRun(t, cliOpts{}, "image", "--no-baseline", old); code != exitFindings {
			t.Errorf("image --no-baseline: exit %d, want %d", code, exitFindings)
		}
	})
	t.Run("logs", func(t *testing.T) {
		dir := writeTree(t, map[string]string{
			"app.log":    "2026-12-01T10:00:00Z INFO started with token " + githubPAT(13) + "\n",
			"worker.log": "2026-12-01T10:00:01Z INFO queue ready\n",
		})
		bl := filepath.Join(t.TempDir(), "logs-baseline.json")
		if r := runCLI(t, cliOpts{}, "baseline", "--logs", "-o", bl, dir); r.code != exitClean {
			t.Fatalf("baseline --logs: exit %d\n%s", r.code, r.stderr)
		}
		if code, got, sup, stale := baselineRun(t, cliOpts{}, "logs", "--baseline", bl, dir); code != exitClean || len(got) != 0 || sup != 1 || len(stale) != 0 {
			t.Errorf("logs --baseline: exit %d, findings %v, %d suppressed, stale %v; want 0, none, 1, none", code, got, sup, stale)
		}
		if err := os.WriteFile(filepath.Join(dir, "worker.log"), []byte("2026-12-01T10:00:02Z WARN retry with "+githubPAT(14)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		code, got, sup, _ := baselineRun(t, cliOpts{}, "logs", "--baseline", bl, dir)
		if code != exitFindings || len(got) != 1 || !strings.HasSuffix(got[0], "worker.log") || sup != 1 {
			t.Errorf("logs --baseline after a new secret: exit %d, findings %v, %d suppressed; want 1, worker.log only, 1", code, got, sup)
		}
		// The baseline committed at the log directory (with the project's
		// fingerprint key beside it) is used without --baseline.
		for from, to := range map[string]string{bl: ".secretlint-baseline.json", filepath.Join(filepath.Dir(bl), ".secretlint-key"): ".secretlint-key"} {
			data, err := os.ReadFile(from)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, to), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if _, got, sup, _ := baselineRun(t, cliOpts{}, "logs", dir); len(got) != 1 || sup != 1 {
			t.Errorf("logs with the directory's .secretlint-baseline.json: findings %v, %d suppressed; want worker.log only, 1", got, sup)
		}
		// From stdin: the baseline records the stream's findings.
		stdinBL := filepath.Join(t.TempDir(), "stdin.json")
		line := "ERROR auth failed for " + githubPAT(15) + "\n"
		if r := runCLI(t, cliOpts{stdin: strings.NewReader(line)}, "baseline", "--logs", "-o", stdinBL); r.code != exitClean {
			t.Fatalf("baseline --logs from stdin: exit %d\n%s", r.code, r.stderr)
		}
		if code, got, sup, _ := baselineRun(t, cliOpts{stdin: strings.NewReader(line)}, "logs", "--baseline", stdinBL); code != exitClean || len(got) != 0 || sup != 1 {
			t.Errorf("logs - --baseline: exit %d, findings %v, %d suppressed", code, got, sup)
		}
	})
	if r := runCLI(t, cliOpts{}, "baseline", "--image", "--logs", "x"); r.code != exitUsage {
		t.Errorf("baseline --image --logs: exit %d, want %d", r.code, exitUsage)
	}
	if r := runCLI(t, cliOpts{}, "baseline", "--image"); r.code != exitUsage {
		t.Errorf("baseline --image without an image: exit %d, want %d", r.code, exitUsage)
	}
}
