package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogRuleSeverityAndDisable: [severity] and disable take the ids of the
// log rules (scan/logs/rules.toml), which run only on logs: the override
// applies to `secretlint logs`, the id is not an unknown rule, and `scan`
// with the same file still loads it.
func TestLogRuleSeverityAndDisable(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "app.log")
	token := "9fK2mQ7xLp3vR8sT1wZ4yB6nHq0"
	if err := os.WriteFile(log, []byte("retry with Bearer "+token+" after 401\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := runCLI(t, cliOpts{}, "logs", "--format", "json", log)
	if !strings.Contains(plain.stdout, `"rule_id": "http-bearer-token"`) || !strings.Contains(plain.stdout, `"severity": "high"`) {
		t.Fatalf("without a config: want a high http-bearer-token finding; exit %d\n%s%s", plain.code, plain.stdout, plain.stderr)
	}
	low := write("low.toml", "[severity]\nhttp-bearer-token = \"low\"\n")
	res := runCLI(t, cliOpts{}, "logs", "--format", "json", log, "--config", low)
	if !strings.Contains(res.stdout, `"rule_id": "http-bearer-token"`) || !strings.Contains(res.stdout, `"severity": "low"`) {
		t.Errorf("[severity] http-bearer-token = low: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if res := runCLI(t, cliOpts{}, "logs", "--fail-on", "medium", log, "--config", low); res.code != exitClean {
		t.Errorf("a low log finding under --fail-on medium: exit %d, want %d", res.code, exitClean)
	}
	off := write("off.toml", "disable = [\"http-bearer-token\"]\n")
	res = runCLI(t, cliOpts{}, "logs", "--format", "json", "--config", off, log)
	if strings.Contains(res.stdout, "http-bearer-token") || res.code != exitClean {
		t.Errorf("disable = [http-bearer-token]: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if res := runCLI(t, cliOpts{}, "scan", "--config", low, dir); res.code == exitUsage {
		t.Errorf("scan rejects a config naming a log rule: %s", res.stderr)
	}
	bad := write("bad.toml", "[severity]\nhttp-bearer-tokn = \"low\"\n")
	if res := runCLI(t, cliOpts{}, "logs", "--config", bad, log); res.code != exitUsage || !strings.Contains(res.stderr, "http-bearer-tokn") {
		t.Errorf("a misspelt id: exit %d, %s; want exit 2 naming it", res.code, res.stderr)
	}
}
