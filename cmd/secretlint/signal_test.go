package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildCLI builds the secretlint binary into a temporary directory: the
// signal tests need a real process.
func buildCLI(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		requireRealPart(t, "go not found")
	}
	bin := filepath.Join(t.TempDir(), "secretlint")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// stopBySignal starts cmd, waits until it is busy, sends sig and returns
// the exit status, failing if the process outlives the signal by seconds.
func stopBySignal(t *testing.T, cmd *exec.Cmd, sig syscall.Signal) int {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	time.Sleep(500 * time.Millisecond)
	sent := time.Now()
	cmd.Process.Signal(sig)
	select {
	case err := <-done:
		if el := time.Since(sent); el > 2*time.Second {
			t.Errorf("stopped %v after %v, want within a second", sig, el)
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode() // -1 when the signal itself killed it
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running 5s after %v", sig)
		return 0
	}
}

func TestSignalsStopCommands(t *testing.T) {
	bin := buildCLI(t)

	t.Run("FIFO argument, SIGTERM", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		out := filepath.Join(t.TempDir(), "report.json")
		cmd := exec.Command(bin, "scan", "--format", "json", "-o", out, fifo)
		if code := stopBySignal(t, cmd, syscall.SIGTERM); code != 143 {
			t.Fatalf("exit %d, want 143", code)
		}
		checkIncomplete(t, out, "SIGTERM")
	})

	t.Run("audit shard, SIGTERM", func(t *testing.T) {
		// A pod evicted while its shard reads a target: the report is
		// written, marked incomplete, the next target listed as skipped.
		fifo := filepath.Join(t.TempDir(), "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		targets := filepath.Join(t.TempDir(), "targets.txt")
		os.WriteFile(targets, []byte("dir "+fifo+"\ndir "+t.TempDir()+"\n"), 0o644)
		out := t.TempDir()
		cmd := exec.Command(bin, "audit", "--targets", targets, "--shard", "0/1", "-o", out)
		if code := stopBySignal(t, cmd, syscall.SIGTERM); code != 143 {
			t.Fatalf("exit %d, want 143", code)
		}
		shard := filepath.Join(out, "shard-0-of-1.json")
		checkIncomplete(t, shard, "SIGTERM")
		var r struct {
			Shard struct {
				Incomplete bool
				Targets    []struct{ Skipped bool }
			}
		}
		data, _ := os.ReadFile(shard)
		if err := json.Unmarshal(data, &r); err != nil || !r.Shard.Incomplete || len(r.Shard.Targets) != 2 || !r.Shard.Targets[1].Skipped {
			t.Fatalf("shard object %+v (%v), want incomplete with the second target skipped:\n%s", r.Shard, err, data)
		}
		merged, err := exec.Command(bin, "merge", "-f", "text", shard).Output()
		if !strings.Contains(string(merged), "incomplete: a shard was stopped") || err == nil {
			t.Errorf("merge of the stopped shard: %v\n%s", err, merged)
		}
	})

	t.Run("endless standard input, SIGINT", func(t *testing.T) {
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		// An endless writer, as `yes | secretlint scan -`.
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			defer pw.Close()
			line := []byte(strings.Repeat("y\n", 4096))
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := pw.Write(line); err != nil {
					return
				}
			}
		}()
		out := filepath.Join(t.TempDir(), "report.json")
		cmd := exec.Command(bin, "scan", "--format", "json", "--max-file-size", "0", "-o", out, "-")
		cmd.Stdin = pr
		code := stopBySignal(t, cmd, syscall.SIGINT)
		pr.Close()
		if code != 130 {
			t.Fatalf("exit %d, want 130", code)
		}
		checkIncomplete(t, out, "SIGINT")
	})
}

// checkIncomplete requires the JSON report to say the scan was cut short.
func checkIncomplete(t *testing.T, path, sig string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no partial report: %v", err)
	}
	var r struct {
		Errors []struct{ Input, Error string }
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("report: %v\n%s", err, data)
	}
	for _, e := range r.Errors {
		if strings.Contains(e.Error, sig) && strings.Contains(e.Error, "incomplete") {
			return
		}
	}
	t.Errorf("report does not say it is incomplete: %s", data)
}
