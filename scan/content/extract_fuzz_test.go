package content

import (
	"bytes"
	"testing"
)

// checkPieces fails when a piece's map does not have one entry per byte
// plus the end, or points outside the input.
func checkPieces(t *testing.T, data []byte, pieces []Piece) {
	t.Helper()
	for _, p := range pieces {
		if len(p.Raw) != len(p.Text)+1 {
			t.Fatalf("%d offsets for %d bytes", len(p.Raw), len(p.Text))
		}
		for _, o := range p.Raw {
			if o < 0 || o >= len(data) {
				t.Fatalf("offset %d outside %d bytes", o, len(data))
			}
		}
	}
}

// fuzzExtractor: whatever the bytes, x.Extract returns pieces whose maps
// point inside the input, or an error; it never panics or loops, and never
// writes into the input (the raw scan and the offset maps read it after).
func fuzzExtractor(f *testing.F, x Extractor, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		orig := bytes.Clone(data)
		pieces, err := x.Extract(data)
		if !bytes.Equal(orig, data) {
			t.Fatalf("Extract changed its input")
		}
		if err != nil {
			return
		}
		checkPieces(t, data, pieces)
	})
}

func FuzzJSON(f *testing.F) {
	fuzzExtractor(f, JSON{},
		`{"ConnectionStrings":{"Db":"Server=x;Password=p\"w;"}}`,
		`[{"a":["x","y\u00e9"]},{"b":{"c":"d"}}]`, `{"a": /* c */ "b" // d
}`, `{"a":"\ud83d"}`, `"`)
}

func FuzzYAML(f *testing.F) {
	fuzzExtractor(f, YAML{},
		"a:\n  password: >-\n    abc\n    def\n",
		"token: \"xo\\\n  yz\\t\\u00e9\"\n", "k: 'it''s\n  two'\n", "- name: x\n  value: multi\n    line plain\n",
		"key: |2+\n  a\n\n  b\n", "\"q k\": \"\\x4", "a: \"\\\r\n b\"")
}

func FuzzTOML(f *testing.F) {
	fuzzExtractor(f, TOML{},
		"[a]\npassword = \"p\\\"w\\u00e9\"\nb.'c' = 'lit'\n", "s = \"\"\"\nline \\\n  two\"\"\"\n", "t = '''\nraw'''\n", "x = \"\\")
}

func FuzzINI(f *testing.F) {
	fuzzExtractor(f, INI{},
		"[baseten]\napi_key = \"abc.def\"\n", "[s]\nkey: a\n  b\n  c\n", "; c\n=x\n")
}

func FuzzProperties(f *testing.F) {
	fuzzExtractor(f, Properties{},
		"db.password=abc\\\n    def\n", "a\\:b = c\\u0041\\\n", "key value\n! c\n", "k=\\")
}

func FuzzXML(f *testing.F) {
	fuzzExtractor(f, XML{},
		`<configuration><appSettings><add key="DbPassword" value="a&amp;b"/></appSettings></configuration>`,
		`<servers><server><password>p&#x41;</password></server></servers>`, `<a b='c' d="e&#;"><![CDATA[x]]></a>`, `<!-- x`, `<a b="`)
}

func FuzzLiterals(f *testing.F) {
	fuzzExtractor(f, Literals{SingleQuotes: true},
		"SECRET = (\"ab\" + \"cd\")\n", "x = ('a'\n  'b')  # c\n", "k(p=\"a\\\"\" \"b\")", "/* \" */ `x`", "'")
}

func FuzzLiteralsC(f *testing.F) {
	fuzzExtractor(f, Literals{}, "String s = \"ab\" +\n\t\"cd\";\nchar c = '\"';\n", "x := \"a\\", "'\\''")
}
