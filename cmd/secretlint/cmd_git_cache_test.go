package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitCache: `git --cache DIR` twice gives the same report as without
// it, flags after the repository included, and a rule added in the config
// is not served from the old rules' cache.
func TestGitCache(t *testing.T) {
	key := awsKeyID(41)
	r := newGitRepo(t)
	r.write("a.txt", "zebra-7f3a9c2e41d8b6\n")
	r.commit("one")
	r.write("b.env", "AWS_ACCESS_KEY_ID="+key+"\n")
	r.commit("two")
	cache := t.TempDir()
	findings := func(res cliRun) string {
		t.Helper()
		b, _ := json.Marshal(gitFindings(t, res.stdout))
		return string(b)
	}
	plain := runCLI(t, cliOpts{}, "git", "--format", "json", r.dir)
	if plain.code != exitFindings {
		t.Fatalf("without the cache: exit %d; %s", plain.code, plain.stderr)
	}
	for i := 0; i < 2; i++ {
		res := runCLI(t, cliOpts{}, "git", r.dir, "--cache", cache, "--format", "json")
		if res.code != plain.code || findings(res) != findings(plain) {
			t.Fatalf("run %d with --cache: exit %d, %s; without: exit %d, %s", i+1, res.code, findings(res), plain.code, findings(plain))
		}
	}
	cfg := filepath.Join(t.TempDir(), "rules.toml")
	rule := "[[rules]]\nid = \"zebra-token\"\ndescription = \"zebra\"\nregex = '''zebra-[0-9a-f]{14}'''\nkeywords = [\"zebra-\"]\n"
	if err := os.WriteFile(cfg, []byte(rule), 0o600); err != nil {
		t.Fatal(err)
	}
	res := runCLI(t, cliOpts{}, "git", "--cache", cache, "--config", cfg, "--format", "json", r.dir)
	if !strings.Contains(res.stdout, `"rule_id": "zebra-token"`) {
		t.Errorf("a rule added after the cache was filled found nothing: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}
