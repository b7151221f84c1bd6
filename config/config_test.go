package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// demoToken builds a token for the test rules at run time, so this file
// holds no secret-shaped literal.
func demoToken(seed byte) string {
	const alphabet = "abcdefghijkmnopqrstuvwxyz0123456789"
	b := []byte("dmo_")
	x := uint32(seed)*2654435761 + 7
	for i := 0; i < 24; i++ {
		x = x*1103515245 + 12345
		b = append(b, alphabet[(x>>16)%uint32(len(alphabet))])
	}
	return string(b)
}

const demoRule = `
[[rule]]
id = "demo-token"
description = "Demo token"
severity = "medium"
keywords = ["dmo_"]
regex = '''\b(dmo_[a-z0-9]{24})\b'''
secret_group = 1
`

func scanWith(t *testing.T, cfg *Config, path, text string) []scan.Finding {
	t.Helper()
	eng := scan.NewEngine(cfg.Rules, scan.WithAllowlist(cfg.Allow))
	fs := eng.Scan(scan.Fragment{Origin: &scan.Origin{Source: scan.SourceFile, Path: path}, Data: []byte(text)})
	fs, _ = cfg.Filter(fs)
	return fs
}

func ids(fs []scan.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID)
	}
	return out
}

func TestSecretlintFormat(t *testing.T) {
	builtin, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	first := builtin[0].ID
	cfg, err := Parse("x.toml", []byte(`
disable = ["`+first+`"]

[severity]
demo-token = "critical"
`+demoRule+`
[rule.allowlist]
stopwords = ["zzzz"]

[allowlist]
paths = ['''^vendor/''']

[[allowlists]]
rules = ["demo-token"]
regexes = ['''^dmo_0''']

[policy]
mlflow_max_ttl_sec = 900
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Format != FormatSecretlint || cfg.Rules.Rule(first) != nil {
		t.Errorf("format %q, disabled rule present=%v", cfg.Format, cfg.Rules.Rule(first) != nil)
	}
	r := cfg.Rules.Rule("demo-token")
	if r == nil || r.Severity != rules.Critical {
		t.Fatalf("demo-token = %+v, want it added with severity critical", r)
	}
	if cfg.Rules.Len() != len(builtin) {
		t.Errorf("%d rules, want %d (built-in minus one plus one)", cfg.Rules.Len(), len(builtin))
	}
	tok := demoToken(1)
	if got := ids(scanWith(t, cfg, "app/a.py", "key = "+tok+"\n")); !cmp.Equal(got, []string{"demo-token"}) {
		t.Errorf("plain file: %v", got)
	}
	if got := scanWith(t, cfg, "vendor/a.py", "key = "+tok+"\n"); len(got) != 0 {
		t.Errorf("globally allowlisted path still reported: %v", ids(got))
	}
	if got := scanWith(t, cfg, "a.py", "key = dmo_zzzz"+tok[8:]+"\n"); len(got) != 0 {
		t.Errorf("stopword still reported: %v", ids(got))
	}
	if got := scanWith(t, cfg, "a.py", "key = dmo_0"+tok[5:]+"\n"); len(got) != 0 {
		t.Errorf("[[allowlists]] regex for the rule still reported: %v", ids(got))
	}
	var pol struct {
		TTL int `toml:"mlflow_max_ttl_sec"`
	}
	if err := cfg.DecodePolicy(&pol); err != nil || pol.TTL != 900 || cfg.Limits.MLflowMaxTTL != 900 {
		t.Errorf("policy = %+v, limits %+v, %v", pol, cfg.Limits, err)
	}
	// A built-in rule keeps working and can be replaced by id.
	if cfg.Rules.Rule(builtin[len(builtin)-1].ID) == nil {
		t.Error("built-in rules missing")
	}
}

func TestNoDefaults(t *testing.T) {
	cfg, err := Parse("x.toml", []byte("[extend]\nuse_default = false\n"+demoRule))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Rules.Len() != 1 {
		t.Errorf("%d rules, want only the file's", cfg.Rules.Len())
	}
}

func TestGitleaksFormat(t *testing.T) {
	cfg, err := Parse("gitleaks.toml", []byte(`
title = "team rules"

[extend]
useDefault = true
disabledRules = ["generic-api-key"]

[[rules]]
id = "demo-token"
description = "Demo token"
regex = '''\b(dmo_[a-z0-9]{24})\b'''
keywords = ["dmo_"]
entropy = 2.0
tags = ["demo"]

[[rules.allowlists]]
paths = ['''^docs/''']

[[rules]]
id = "demo-scoped"
regex = '''scoped_([a-z0-9]{24})'''
secretGroup = 1
keywords = ["scoped_"]
path = '''\.env$'''

[[rules]]
id = "path-only"
path = '''\.pem$'''

[allowlist]
description = "global"
stopwords = ["zzzz"]

[[allowlists]]
targetRules = ["demo-token"]
condition = "AND"
paths = ['''^tests/''']
regexes = ['''^dmo_1''']

[[allowlists]]
commits = ["0123456789abcdef0123456789abcdef01234567"]
`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Format != FormatGitleaks {
		t.Fatalf("format %q", cfg.Format)
	}
	if r := cfg.Rules.Rule("demo-token"); r == nil || r.SecretGroup != 1 || r.Severity != rules.High {
		t.Fatalf("demo-token = %+v, want the lone group as the secret and severity high", r)
	}
	if len(cfg.Warnings) != 1 {
		t.Errorf("warnings = %q, want the path-only rule's", cfg.Warnings)
	}
	if cfg.Rules.Rule("generic-secret") != nil {
		t.Error("disabledRules = [\"generic-api-key\"] left generic-secret on: gitleaks ids must name the built-in rules they stand for")
	}
	tok := demoToken(2)
	for _, tc := range []struct {
		name, path, text string
		want             []string
	}{
		{"found", "src/a.go", "k := " + tok, []string{"demo-token"}},
		{"rule allowlist path", "docs/a.md", "k := " + tok, nil},
		{"global stopword", "src/a.go", "k := dmo_zzzz" + tok[8:], nil},
		{"AND: path only", "tests/a.go", "k := dmo_2" + tok[5:], []string{"demo-token"}},
		{"AND: regex only", "src/a.go", "k := dmo_1" + tok[5:], []string{"demo-token"}},
		{"AND: both", "tests/a.go", "k := dmo_1" + tok[5:], nil},
		{"path rule outside its path", "src/a.go", "k = scoped_" + tok[4:], nil},
		{"path rule on its path", "prod.env", "k = scoped_" + tok[4:], []string{"demo-scoped"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ids(scanWith(t, cfg, tc.path, tc.text+"\n")); !cmp.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	fs := []scan.Finding{{RuleID: "demo-token", Location: scan.Location{Path: "a"}, GitInfo: scan.GitInfo{Commit: "0123456789abcdef0123456789abcdef01234567"}}, {RuleID: "demo-token", Location: scan.Location{Path: "a"}, GitInfo: scan.GitInfo{Commit: "ff"}}}
	kept, n := cfg.Filter(fs)
	if n != 1 || len(kept) != 1 || kept[0].Commit != "ff" {
		t.Errorf("commit allowlist kept %v", kept)
	}
}

func TestNoRulesWarning(t *testing.T) {
	cfg, err := Parse("g.toml", []byte("[allowlist]\npaths = ['x']\ncommits = ['abc']\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Format != FormatGitleaks || len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "useDefault") {
		t.Errorf("format %s, warnings %q", cfg.Format, cfg.Warnings)
	}
}

func TestGitleaksOnlyRules(t *testing.T) {
	cfg, err := Parse("g.toml", []byte("[[rules]]\nid = \"a\"\nregex = '''dmo_[a-z]{30}'''\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Rules.Len() != 1 {
		t.Errorf("%d rules; a gitleaks file without useDefault has only its own", cfg.Rules.Len())
	}
}

func TestExtendPath(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "base.toml"), []byte("[[rules]]\nid = \"base-rule\"\nregex = '''base_[a-z]{30}'''\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "top.toml")
	if err := os.WriteFile(p, []byte("[extend]\npath = \"base.toml\"\n\n[[rules]]\nid = \"top-rule\"\nregex = '''top_[a-z]{30}'''\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Rules.Rule("base-rule") == nil || cfg.Rules.Rule("top-rule") == nil {
		t.Errorf("rules: %d", cfg.Rules.Len())
	}
	loop := filepath.Join(dir, "loop.toml")
	os.WriteFile(loop, []byte("[extend]\npath = \"loop.toml\"\n"), 0o644)
	if _, err := Load(loop); err == nil || !strings.Contains(err.Error(), "extend") {
		t.Errorf("self-extending file: err = %v", err)
	}
}

// TestErrors checks that every error names the file, the line and, where
// there is one, the rule.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		toml string
		want string // substring of the error
	}{
		{"syntax", "disable = [\n  \"a\",\n  oops\n]\n", "c.toml:3:"},
		{"unterminated string", "[[rule]]\nid = 'x\n", "c.toml:2:"},
		{"unknown top key", "disables = [\"x\"]\n", `c.toml:1: unknown key "disables"`},
		{"unknown rule key", demoRule + "regexp = 'x'\n", `c.toml:9: rule "demo-token": unknown key "rule.regexp"`},
		{"unknown key in second rule", demoRule + "\n[[rule]]\nid = \"two\"\nregex = 'two_[a-z]{9}'\nkeyword = ['two_']\n", `c.toml:13: rule "two": unknown key "rule.keyword" (known keys here:`},
		{"unknown allowlist key", "[allowlist]\npaths = ['a']\npath = 'b'\n", `c.toml:3: unknown key "allowlist.path"`},
		{"unknown rule allowlist key", demoRule + "[rule.allowlist]\nregex = ['x']\n", `c.toml:10: rule "demo-token": unknown key "rule.allowlist.regex"`},
		{"bad regex", "\n[[rule]]\nid = \"bad\"\nkeywords = [\"b\"]\nregex = '''b(['''\n", `c.toml:5: rule "bad": regex: error parsing regexp`},
		{"empty regex", "[[rule]]\nid = \"empty\"\n", `c.toml:2: rule "empty": regex is missing`},
		{"no id", "[[rule]]\nregex = 'x'\n", "c.toml:1: rule #1 has no id"},
		{"duplicate id", demoRule + demoRule, `c.toml:10: rule "demo-token": defined twice (first at line 2)`},
		{"bad secret group", "[[rule]]\nid = \"g\"\nregex = 'a(b)'\nsecret_group = 2\n", `c.toml:4: rule "g": secret_group = 2, but the regex has 1 groups`},
		{"bad severity", "[[rule]]\nid = \"s\"\nregex = 'ab'\nseverity = \"urgent\"\n", `c.toml:4: rule "s": unknown severity "urgent"`},
		{"bad entropy", "[[rule]]\nid = \"e\"\nregex = 'ab'\nentropy = 9.5\n", `c.toml:4: rule "e": entropy = 9.5`},
		{"entropy of wrong type", "[[rule]]\nid = \"w\"\nregex = 'ab'\nentropy = \"high\"\n", `c.toml:4: rule "w": `},
		{"unknown validator", "[[rule]]\nid = \"v\"\nregex = 'ab'\nvalidator = \"luhn9\"\n", `c.toml:4: rule "v": unknown validator "luhn9"`},
		{"empty keyword", "[[rule]]\nid = \"k\"\nregex = 'ab'\nkeywords = [\"\"]\n", `c.toml:4: rule "k": empty keyword`},
		{"bad rule allowlist regex", demoRule + "[rule.allowlist]\nregexes = ['(']\n", `c.toml:10: rule "demo-token": allowlist: regexes: bad regex "("`},
		{"bad global path regex", "[allowlist]\ndescription = 'x'\npaths = ['a[']\n", `c.toml:3: allowlist: paths: bad regex "a["`},
		{"empty stopword", "[allowlist]\nstopwords = ['']\n", "c.toml:2: allowlist: stopwords: empty stopword"},
		{"disable unknown", "disable = [\n  \"no-such-rule\",\n]\n", `c.toml:2: disable: no rule "no-such-rule"`},
		{"severity unknown rule", "[severity]\nno-such-rule = \"low\"\n", `c.toml:2: rule "no-such-rule": severity override for a rule that does not exist`},
		{"severity bad value", demoRule + "\n[severity]\ndemo-token = \"urgent\"\n", `c.toml:11: rule "demo-token": severity: unknown severity "urgent"`},
		{"allowlists unknown target", "[[allowlists]]\nrules = [\"ghost\"]\npaths = ['x']\n", `c.toml:2: allowlists[0]: no rule "ghost"`},
		{"use_default wrong type", "[extend]\nuse_default = \"yes\"\n", "c.toml:2: "},
		{"gitleaks bad regex", "[[rules]]\nid = \"g1\"\nregex = 'ok'\n\n[[rules]]\nid = \"g2\"\nregex = '''a(?P<'''\n", `c.toml:7: rule "g2": regex:`},
		{"gitleaks unknown key", "[[rules]]\nid = \"g1\"\nregex = 'ok'\nsecret_group = 1\n", `c.toml:4: rule "g1": unknown key "rules.secret_group"`},
		{"gitleaks bad secretGroup", "[[rules]]\nid = \"g1\"\nregex = 'o(k)'\nsecretGroup = 3\n", `c.toml:4: rule "g1": secretGroup = 3`},
		{"gitleaks bad rule allowlist", "[[rules]]\nid = \"g1\"\nregex = 'ok'\n[[rules.allowlists]]\npaths = ['(']\n", `c.toml:5: rule "g1": rules[0].allowlists[0]: paths: bad regex`},
		{"gitleaks extend url", "[extend]\nurl = \"https://example.org/x.toml\"\n", "c.toml:2: [extend] url is not supported"},
		{"not utf-8", "disable = [\"\xff\"]\n", "c.toml: not UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("c.toml", []byte(tc.toml))
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestExamples loads the example files docs/config.md shows.
func TestExamples(t *testing.T) {
	for _, tc := range []struct{ file, format string }{
		{"example.toml", FormatSecretlint},
		{"gitleaks.toml", FormatGitleaks},
	} {
		t.Run(tc.file, func(t *testing.T) {
			cfg, err := Load(filepath.Join("..", "testdata", "config", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Format != tc.format || cfg.Rules.Rule("acme-internal-token") == nil {
				t.Errorf("format %q, rules %d", cfg.Format, cfg.Rules.Len())
			}
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if p := Find(dir); p != "" {
		t.Errorf("Find on an empty dir = %q", p)
	}
	gl := filepath.Join(dir, GitleaksFileName)
	if err := os.WriteFile(gl, []byte("[[rules]]\nid = 'a'\nregex = 'ab'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(dir); got != gl {
		t.Errorf("Find with only .gitleaks.toml = %q", got)
	}
	p := filepath.Join(dir, FileName)
	if err := os.WriteFile(p, []byte(demoRule), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := Find(dir); got != p {
		t.Errorf("Find = %q, want %q", got, p)
	}
	os.WriteFile(filepath.Join(dir, "some-file"), nil, 0o644)
	if got := Find(filepath.Join(dir, "some-file")); got != p {
		t.Errorf("Find for a file in the dir = %q", got)
	}
	if _, err := Load(filepath.Join(dir, "missing.toml")); err == nil || !strings.Contains(err.Error(), "missing.toml") {
		t.Errorf("missing file: %v", err)
	}
	cfg, err := Load("")
	if err != nil || cfg.Rules.Len() == 0 || cfg.Path != "" {
		t.Errorf("defaults: %v", err)
	}
}

// FuzzParse feeds arbitrary bytes to the loader: it must return a config or
// an error, never panic or hang.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/config/*.toml")
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(demoRule))
	f.Add([]byte("[[rules]]\nid='x'\nregex='(a)'\n[[rules.allowlists]]\ncondition='AND'\npaths=['b']\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.toml", data)
		if err == nil && cfg.Rules == nil {
			t.Fatal("no error and no rules")
		}
		if err != nil && !strings.HasPrefix(err.Error(), "fuzz.toml") && !strings.Contains(err.Error(), "builtin") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}

// TestMatchAllowlists checks whole-match regexes in the global allowlist,
// in [[allowlists]] and in a gitleaks allowlist with regexTarget = "match".
func TestMatchAllowlists(t *testing.T) {
	tok := demoToken(5)
	named := "[[rule]]\nid = \"demo-token\"\nkeywords = [\"dmo_\"]\nregex = '''(?:\\w+_key = )(dmo_[a-z0-9]{24})'''\nsecret_group = 1\n"
	gl := "[[rules]]\nid = \"demo-token\"\nregex = '''(?:\\w+_key = )(dmo_[a-z0-9]{24})'''\nkeywords = [\"dmo_\"]\n" +
		"[[rules.allowlists]]\nregexTarget = \"match\"\nregexes = ['''^test_key''']\n"
	for _, tc := range []struct{ name, toml string }{
		{"global", "[allowlist]\nmatches = ['''^test_key''']\n" + named},
		{"allowlists", named + "\n[[allowlists]]\nrules = [\"demo-token\"]\nmatches = ['''^test_key''']\n"},
		{"gitleaks", gl},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("m.toml", []byte(tc.toml))
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(scanWith(t, cfg, "a.py", "test_key = "+tok+"\n")); len(got) != 0 {
				t.Errorf("allowlisted match reported: %v", got)
			}
			if got := ids(scanWith(t, cfg, "a.py", "prod_key = "+tok+"\n")); !cmp.Equal(got, []string{"demo-token"}) {
				t.Errorf("other match: %v", got)
			}
		})
	}
	if _, err := Parse("c.toml", []byte("[allowlist]\nmatches = ['a(']\n")); err == nil || !strings.Contains(err.Error(), `c.toml:2: allowlist: matches: bad regex "a("`) {
		t.Errorf("bad matches regex: %v", err)
	}
}

// TestOverride checks a rule with an existing id overrides only the fields
// it sets and adds to the rule's allowlist, in both formats.
func TestOverride(t *testing.T) {
	base := "[extend]\nuse_default = false\n" + demoRule + "\n[rule.allowlist]\nstopwords = [\"zzzz\"]\n"
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(base), 0o644)
	tok := demoToken(6)
	for _, tc := range []struct{ name, toml string }{
		{"gitleaks extend", "[extend]\npath = \"base.toml\"\n\n[[rules]]\nid = \"demo-token\"\ndescription = \"Renamed\"\n[[rules.allowlists]]\npaths = ['''^docs/''']\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "top.toml")
			os.WriteFile(p, []byte(tc.toml), 0o644)
			cfg, err := Load(p)
			if err != nil {
				t.Fatal(err)
			}
			r := cfg.Rules.Rule("demo-token")
			if r == nil || r.Description != "Renamed" || r.Severity != rules.Medium || r.SecretGroup != 1 {
				t.Fatalf("rule = %+v", r)
			}
			if got := scanWith(t, cfg, "docs/a.md", "k = "+tok+"\n"); len(got) != 0 {
				t.Error("added allowlist not applied")
			}
			if got := scanWith(t, cfg, "a.py", "k = dmo_zzzz"+tok[8:]+"\n"); len(got) != 0 {
				t.Error("base allowlist lost")
			}
			if got := ids(scanWith(t, cfg, "a.py", "k = "+tok+"\n")); !cmp.Equal(got, []string{"demo-token"}) {
				t.Errorf("rule no longer matches: %v", got)
			}
		})
	}
	builtin, _ := rules.Builtin()
	id := builtin[0].ID
	cfg, err := Parse("o.toml", []byte("[[rule]]\nid = \""+id+"\"\nseverity = \"info\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r := cfg.Rules.Rule(id); r.Severity != rules.Info || r.Pattern != builtin[0].Pattern || r.Description != builtin[0].Description {
		t.Errorf("override of %s: severity %v, regex kept %v", id, r.Severity, r.Pattern == builtin[0].Pattern)
	}
	if builtin[0].Severity == rules.Info {
		t.Error("the override changed the shared built-in rule")
	}
}

func TestGitleaksValues(t *testing.T) {
	for _, tc := range []struct{ name, toml, want string }{
		{"bad regexTarget", "[[rules]]\nid = \"a\"\nregex = 'ab'\n[[rules.allowlists]]\nregexTarget = \"mtach\"\nregexes = ['x']\n", `c.toml:5: rule "a": rules[0].allowlists[0]: regexTarget = "mtach"`},
		{"bad condition", "[[allowlists]]\ncondition = \"XOR\"\npaths = ['x']\n", `c.toml:2: allowlists[0]: condition = "XOR"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse("c.toml", []byte(tc.toml)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	cfg, err := Parse("c.toml", []byte("title = 't'\n[[rules]]\nid = \"a\"\nregex = 'ab(c)'\n\n[[rules]]\nid = \"a\"\ndescription = \"again\"\n\n"+
		"[[rules]]\nid = \"helper\"\nregex = 'x(y)'\nskipReport = true\n\n[[rules]]\nid = \"c\"\nregex = 'c(d)'\n[[rules.required]]\nid = \"helper\"\nwithinLines = 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r := cfg.Rules.Rule("a"); r == nil || r.Description != "again" {
		t.Errorf("duplicate id: %+v", r)
	}
	if cfg.Rules.Rule("helper") != nil || cfg.Rules.Rule("c") == nil {
		t.Error("skipReport rule kept or composite rule dropped")
	}
	if len(cfg.Warnings) != 3 {
		t.Errorf("warnings %q, want duplicate, skipReport and required", cfg.Warnings)
	}
}

// A gitleaks configuration written against gitleaks' default rule ids works
// unchanged: targetRules, disabledRules and [severity] read them through the
// alias table.
func TestGitleaksRuleIDs(t *testing.T) {
	cfg, err := Parse("gitleaks.toml", []byte(`
[extend]
useDefault = true
disabledRules = ["stripe-access-token"]

[[allowlists]]
targetRules = ["aws-access-token"]
paths = ['^docs/']
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"stripe-secret-key", "stripe-restricted-key"} {
		if cfg.Rules.Rule(id) != nil {
			t.Errorf("%s still on after disabledRules = [\"stripe-access-token\"]", id)
		}
	}
	key := "AKIA" + "QYLPMN5HHHFPZAM2"
	if got := ids(scanWith(t, cfg, "src/a.env", "AWS_ACCESS_KEY_ID="+key+"\n")); !cmp.Equal(got, []string{"aws-access-key-id"}) {
		t.Errorf("outside the allowlisted path: %v, want aws-access-key-id", got)
	}
	if got := ids(scanWith(t, cfg, "docs/a.env", "AWS_ACCESS_KEY_ID="+key+"\n")); len(got) != 0 {
		t.Errorf("targetRules = [\"aws-access-token\"] did not apply to aws-access-key-id: %v", got)
	}

	sev, err := Parse(".secretlint.toml", []byte("[severity]\n\"github-app-token\" = \"low\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range rules.GitleaksAlias("github-app-token") {
		if r := sev.Rules.Rule(id); r == nil || r.Severity != rules.Low {
			t.Errorf("[severity] github-app-token: %s = %+v, want severity low", id, r)
		}
	}
	if _, err := Parse(".secretlint.toml", []byte("[severity]\n\"no-such-rule\" = \"low\"\n")); err == nil {
		t.Error("an id that is neither a rule nor a gitleaks id was accepted")
	}
}

// Re-declaring a built-in rule to change only its severity keeps everything
// else it has, its window, required strings and precheck included: it finds
// exactly what the built-in rule finds in its fixtures.
func TestOverrideSeverityOnly(t *testing.T) {
	data, err := os.ReadFile("../testdata/rules/deployment.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def, err := Parse(".secretlint.toml", []byte(""))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(".secretlint.toml", []byte("[[rule]]\nid = \"env-list-secret\"\nseverity = \"low\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	count := func(c *Config) (n int) {
		for _, f := range scanWith(t, c, "deployment.yaml", string(data)) {
			if f.RuleID == "env-list-secret" {
				n++
			}
		}
		return n
	}
	want, got := count(def), count(cfg)
	if want == 0 || got != want {
		t.Errorf("env-list-secret findings in deployment.yaml: %d with the severity override, %d built in", got, want)
	}
	if r := cfg.Rules.Rule("env-list-secret"); r == nil || r.Severity != rules.Low {
		t.Errorf("override severity not applied: %+v", r)
	}
}

// regexTarget = "line" in a gitleaks allowlist, and lines = [...] in ours,
// match the whole line a finding is on: a marker comment allows it.
func TestLineAllowlist(t *testing.T) {
	key := "AKIA" + "QYLPMN5HHHFPZAM2"
	for _, tc := range []struct{ name, file, text string }{
		{"gitleaks.toml", "gitleaks.toml", "[extend]\nuseDefault = true\n\n[[allowlists]]\nregexTarget = \"line\"\nregexes = ['# docs-example']\n"},
		{"secretlint", ".secretlint.toml", "[allowlist]\nlines = ['# docs-example']\n"},
		{"secretlint rule", ".secretlint.toml", "[[rule]]\nid = \"aws-access-key-id\"\n[rule.allowlist]\nlines = ['# docs-example']\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse(tc.file, []byte(tc.text))
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.Warnings) != 0 {
				t.Errorf("warnings: %q", cfg.Warnings)
			}
			if got := ids(scanWith(t, cfg, "a.sh", "export AWS_ACCESS_KEY_ID="+key+" # docs-example\n")); len(got) != 0 {
				t.Errorf("marked line reported: %v", got)
			}
			if got := ids(scanWith(t, cfg, "a.sh", "# docs-example\nexport AWS_ACCESS_KEY_ID="+key+"\n")); !cmp.Equal(got, []string{"aws-access-key-id"}) {
				t.Errorf("a marker on another line allowed the key: %v", got)
			}
		})
	}
}

// A gitleaks [[rules]] entry without a regex, named by a gitleaks default
// id, extends the built-in rules that alias it, as it extends gitleaks' own
// rule: its allowlist, path, entropy and keywords apply to them, and the
// rules keep their own description and regex. With a regex it replaces them.
func TestGitleaksRuleOverrideByAlias(t *testing.T) {
	key := "AKIA" + "QYLPMN5HHHFPZAM2"
	line := "AWS_ACCESS_KEY_ID=" + key + "\n"
	def, err := Parse(".secretlint.toml", []byte(""))
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(scanWith(t, def, "src/a.env", line)); !cmp.Equal(got, []string{"aws-access-key-id"}) {
		t.Fatalf("built-in rules on %q: %v, want aws-access-key-id", line, got)
	}
	for _, tc := range []struct {
		name, rule string
		path       string
		want       []string
	}{
		{"allowlist", "[[rules.allowlists]]\npaths = ['''^fixtures/''']\n", "fixtures/a.env", nil},
		{"allowlist elsewhere", "[[rules.allowlists]]\npaths = ['''^fixtures/''']\n", "src/a.env", []string{"aws-access-key-id"}},
		{"line allowlist", "[[rules.allowlists]]\nregexTarget = \"line\"\nregexes = ['''AWS_ACCESS_KEY_ID=''']\n", "src/a.env", nil},
		{"match allowlist", "[[rules.allowlists]]\nregexTarget = \"match\"\nregexes = ['''QYLPMN''']\n", "src/a.env", nil},
		{"entropy above the key's", "entropy = 7.5\n", "src/a.env", nil},
		{"entropy below the key's", "entropy = 1.0\n", "src/a.env", []string{"aws-access-key-id"}},
		{"path outside", "path = '''^infra/'''\n", "src/a.env", nil},
		{"path inside", "path = '''^infra/'''\n", "infra/a.env", []string{"aws-access-key-id"}},
		{"own regex replaces", "regex = '''CUSTOM-[A-Za-z0-9]{16}'''\n", "src/a.env", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse(".gitleaks.toml", []byte("[extend]\nuseDefault = true\n\n[[rules]]\nid = \"aws-access-token\"\n"+tc.rule))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range cfg.Warnings {
				if strings.Contains(w, "aws-access-token") {
					t.Errorf("warning: %s", w)
				}
			}
			if got := ids(scanWith(t, cfg, tc.path, line)); !cmp.Equal(got, tc.want) {
				t.Errorf("%s: %v, want %v", tc.path, got, tc.want)
			}
		})
	}
	cfg, err := Parse(".gitleaks.toml", []byte("[extend]\nuseDefault = true\n\n[[rules]]\nid = \"aws-access-token\"\nkeywords = [\"deploykey\"]\n[[rules.allowlists]]\npaths = ['''^x/''']\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, b := cfg.Rules.Rule("aws-access-key-id"), def.Rules.Rule("aws-access-key-id")
	if r.Description != b.Description || r.Regexp().String() != b.Regexp().String() || r.Hint != b.Hint {
		t.Errorf("override changed the rule's own fields: %q %q %q, want %q %q %q", r.Description, r.Regexp().String(), r.Hint, b.Description, b.Regexp().String(), b.Hint)
	}
	if !slices.Contains(r.Keywords, "deploykey") || len(r.Keywords) != len(b.Keywords)+1 {
		t.Errorf("keywords %v, want the built-in %v and deploykey", r.Keywords, b.Keywords)
	}
	custom, err := Parse(".gitleaks.toml", []byte("[extend]\nuseDefault = true\n\n[[rules]]\nid = \"aws-access-token\"\nregex = '''CUSTOM-[A-Za-z0-9]{16}'''\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(scanWith(t, custom, "src/a.env", "X=CUSTOM-q8Zr2LmX7vPw4Tn1\n")); !cmp.Equal(got, []string{"aws-access-token"}) {
		t.Errorf("a gitleaks rule with its own regex: %v, want aws-access-token", got)
	}
}

// A gitleaks default id with no rule here (an identifier such as
// plaid-client-id) is known: disabledRules, [severity] and --enable-rule
// skip it, and an allowlist that targets only it applies to nothing, with a
// warning, rather than becoming a global allowlist.
func TestGitleaksNoRuleIDs(t *testing.T) {
	cfg, err := Parse(".gitleaks.toml", []byte(`
[extend]
useDefault = true
disabledRules = ["sumologic-access-id"]

[[allowlists]]
targetRules = ["plaid-client-id"]
paths = ['^docs/']
`))
	if err != nil {
		t.Fatalf("gitleaks config naming ids with no rule here: %v", err)
	}
	key := "AKIA" + "QYLPMN5HHHFPZAM2"
	if got := ids(scanWith(t, cfg, "docs/a.env", "AWS_ACCESS_KEY_ID="+key+"\n")); !cmp.Equal(got, []string{"aws-access-key-id"}) {
		t.Errorf("an allowlist targeting plaid-client-id dropped %v's finding: got %v", key[:4], got)
	}
	if !strings.Contains(strings.Join(cfg.Warnings, "\n"), `"plaid-client-id" has no rule here`) {
		t.Errorf("no warning for targetRules = [\"plaid-client-id\"]: %q", cfg.Warnings)
	}
	if _, err := Parse(".secretlint.toml", []byte("[severity]\n\"adobe-client-id\" = \"low\"\n")); err != nil {
		t.Errorf("[severity] naming a gitleaks id with no rule here: %v", err)
	}

	def, err := Parse(".secretlint.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := def.EnableOnly([]string{"aws-access-token", "plaid-client-id"}); err != nil {
		t.Fatalf("--enable-rule aws-access-token,plaid-client-id: %v", err)
	}
	if got := def.Rules.Rules(); len(got) != 1 || got[0].ID != "aws-access-key-id" {
		t.Errorf("--enable-rule aws-access-token,plaid-client-id kept %d rules, want aws-access-key-id only", len(got))
	}
	only, err := Parse(".secretlint.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := only.EnableOnly([]string{"plaid-client-id"}); err == nil {
		t.Error("--enable-rule naming only a gitleaks id with no rule here was accepted: it would scan with nothing")
	}
}
