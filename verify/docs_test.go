package verify_test

import (
	"os"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/verify"
)

// TestDocsListEveryVerifier: docs/verify.md names every verifier's rules
// and its request (method, host and path), so the page cannot fall behind
// the code.
func TestDocsListEveryVerifier(t *testing.T) {
	b, err := os.ReadFile("../docs/verify.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, v := range verify.Builtin() {
		path := v.Path
		if path == "" {
			path = "/"
		}
		path, _, _ = strings.Cut(path, "?")
		req := v.Method + " " + v.Host + path
		if v.PathFor != nil {
			req = v.Method + " " + v.Host
		}
		if !strings.Contains(doc, "`"+req) {
			t.Errorf("docs/verify.md lacks the request `%s` of %s", req, v.Provider)
		}
		for _, r := range append(v.Rules, v.Partner) {
			if r != "" && !strings.Contains(doc, "`"+r+"`") {
				t.Errorf("docs/verify.md lacks rule `%s` (%s)", r, v.Provider)
			}
		}
	}
}
