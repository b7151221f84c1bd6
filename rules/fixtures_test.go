package rules_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/scantest"
)

// Fixtures live in testdata/rules (repository root). Lines that must be
// reported end with `secretlint:want <rule-id>`; lines that exercise a rule
// and must not be reported end with `secretlint:nowant <rule-id>`. Tokens
// whose format carries a checksum are not committed: a fixture writes
// @@gen:PREFIX@@ (a checksum-valid token) or @@bad:PREFIX@@ (a wrong
// checksum), and the test expands them.
const fixtureDir = "../testdata/rules"

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// checksumToken builds prefix_<30 random base62><6 base62 CRC32>, the format
// GitHub documents for its tokens and npm uses for its own. With bad set,
// the checksum is altered.
func checksumToken(r *rand.Rand, prefix string, bad bool) string {
	body := make([]byte, 30)
	for i := range body {
		body[i] = base62[r.IntN(62)]
	}
	v := crc32.ChecksumIEEE(body)
	sum := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		sum[i] = base62[v%62]
		v /= 62
	}
	if bad {
		sum[5] = base62[(strings.IndexByte(base62, sum[5])+1)%62]
	}
	return prefix + "_" + string(body) + string(sum)
}

var genRE = regexp.MustCompile(`@@(gen|bad):([a-z]+)@@`)

// expand replaces the @@gen/@@bad markers of a fixture with tokens drawn
// from a generator seeded by the fixture's name, so runs are reproducible.
func expand(name string, data []byte) []byte {
	r := rand.New(rand.NewPCG(uint64(crc32.ChecksumIEEE([]byte(name))), 1))
	return genRE.ReplaceAllFunc(data, func(m []byte) []byte {
		sm := genRE.FindSubmatch(m)
		return []byte(checksumToken(r, string(sm[2]), string(sm[1]) == "bad"))
	})
}

func builtinEngine(t testing.TB) *scan.Engine {
	t.Helper()
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	return scan.NewEngine(set)
}

func fixtureFiles(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		t.Fatalf("no fixtures in %s", fixtureDir)
	}
	return names
}

// TestFixtures checks every fixture file, one family per subtest: each
// wanted finding is reported on its line and nothing else is reported.
func TestFixtures(t *testing.T) {
	e := builtinEngine(t)
	for _, name := range fixtureFiles(t) {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(fixtureDir, name))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, name), expand(name, data), 0o600); err != nil {
				t.Fatal(err)
			}
			scantest.Run(t, e, dir)
		})
	}
}

var markerRE = regexp.MustCompile(`secretlint:(want|nowant)((?:[ \t]+[a-z0-9][a-z0-9._-]*)+)`)

// TestEveryRuleHasFixtures requires, for every built-in rule, a true case
// (a want marker) and a false case (a nowant marker on a line that contains
// one of the rule's keywords, so the rule's regex and filters did run).
func TestEveryRuleHasFixtures(t *testing.T) {
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	want, nowant := map[string]int{}, map[string]int{}
	for _, name := range fixtureFiles(t) {
		data, err := os.ReadFile(filepath.Join(fixtureDir, name))
		if err != nil {
			t.Fatal(err)
		}
		data = expand(name, data)
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			for _, m := range markerRE.FindAllStringSubmatch(line, -1) {
				for _, id := range strings.Fields(m[2]) {
					r := set.Rule(id)
					if r == nil {
						t.Errorf("%s:%d: marker names unknown rule %q", name, n, id)
						continue
					}
					if m[1] == "want" {
						want[id]++
						continue
					}
					nowant[id]++
					if len(r.Keywords) > 0 && !hasKeyword(line[:strings.Index(line, "secretlint:")], r.Keywords) {
						t.Errorf("%s:%d: false case for %s has none of its keywords %v, so it tests nothing", name, n, id, r.Keywords)
					}
				}
			}
		}
	}
	var missing []string
	for _, r := range set.Rules() {
		if want[r.ID] == 0 {
			missing = append(missing, r.ID+" (no true case)")
		}
		if nowant[r.ID] == 0 {
			missing = append(missing, r.ID+" (no false case)")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("fixtures lack %s", m)
	}
	if set.Len() < 400 {
		t.Errorf("built-in set has %d rules, want at least 400", set.Len())
	}
}

func hasKeyword(line string, kws []string) bool {
	l := strings.ToLower(line)
	for _, k := range kws {
		if strings.Contains(l, k) {
			return true
		}
	}
	return false
}

// TestChecksumTokens pins the checksum validators against generated tokens.
func TestChecksumTokens(t *testing.T) {
	set, err := rules.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ rule, prefix string }{
		{"github-pat", "ghp"}, {"github-oauth-token", "gho"}, {"github-user-to-server-token", "ghu"},
		{"github-app-installation-token", "ghs"}, {"github-refresh-token", "ghr"}, {"npm-token", "npm"},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			for i := 0; i < 50; i++ {
				good, bad := checksumToken(r, tc.prefix, false), checksumToken(r, tc.prefix, true)
				if ms := set.Find([]byte(fmt.Sprintf("token = %q\n", good))); len(ms) != 1 || ms[0].Rule.ID != tc.rule {
					t.Fatalf("valid token %s: got %v", good[:8], ids(ms))
				}
				if ms := set.Find([]byte(fmt.Sprintf("token = %q\n", bad))); len(ms) != 0 {
					t.Fatalf("token with a wrong checksum reported by %v", ids(ms))
				}
			}
		})
	}
}

func ids(ms []rules.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Rule.ID)
	}
	return out
}

// TestLiteralPercentInPassword: a '%' followed by hex digits inside a
// password is a literal, so the URL is reported once, not once more as
// "percent-decoded" garbage.
func TestLiteralPercentInPassword(t *testing.T) {
	e := builtinEngine(t)
	pw := "Uq4c^z5emw0q!%DEhVv=u3"
	fs := e.Scan(scan.Fragment{Data: []byte("DATABASE_URL=postgres://admin:" + pw + "@db.internal:5432/app\n")})
	if len(fs) != 1 || fs[0].RuleID != "db-connection-string" || fs[0].Secret != pw || fs[0].Encoding != "" {
		var got []string
		for _, f := range fs {
			got = append(got, f.RuleID+"/"+f.Encoding)
		}
		t.Fatalf("got %v, want one db-connection-string finding of the literal password", got)
	}
}

// TestJWTClaimsNotReportedTwice: a JWT is one finding; its base64 parts are
// not decoded into findings of other rules.
func TestJWTClaimsNotReportedTwice(t *testing.T) {
	e := builtinEngine(t)
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tok := enc(`{"alg":"HS256","typ":"JWT"}`) + "." + enc(`{"sub":"svc","refresh_token":"Zq8vLm3Rt7Yp2Wx9Kd4N"}`) + "." + enc("0123456789abcdef0123456789abcdef")
	fs := e.Scan(scan.Fragment{Data: []byte("auth: " + tok + "\n")})
	if len(fs) != 1 || fs[0].RuleID != "jwt" {
		var got []string
		for _, f := range fs {
			got = append(got, f.RuleID+"/"+f.Encoding)
		}
		t.Fatalf("got %v, want one jwt finding", got)
	}
}
