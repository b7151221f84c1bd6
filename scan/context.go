package scan

import (
	"path"
	"strings"
)

// ContextTest marks a finding in a test fixture path (Finding.Context).
const ContextTest = "test"

// testDirs are directory names whose contents are test code or fixtures in
// the ecosystems secretlint meets.
var testDirs = map[string]bool{
	"test": true, "tests": true, "testdata": true, "fixtures": true, "fixture": true,
	"__tests__": true, "__fixtures__": true, "__mocks__": true, "spec": true, "specs": true,
	"examples": true, "example": true, "testfixtures": true, "test-fixtures": true, "test_data": true,
}

// InTestPath reports whether a finding's path is test code or a fixture: a
// directory named like testdata/, tests/, fixtures/, __tests__/, spec/ or
// examples/ on the path, or a file named like a test (*_test.go,
// test_*.py, *_test.py, *.test.js, *.spec.ts, *_spec.rb) or marked
// insecure (*.insecure, *-insecure.pem). Archive members (a.zip!b/c) are
// judged on every part. Paths use / or \.
func InTestPath(p string) bool {
	p = strings.ReplaceAll(p, `\`, "/")
	for _, part := range strings.Split(p, "!") {
		elems := strings.Split(strings.Trim(part, "/"), "/")
		for i, e := range elems {
			e = strings.ToLower(e)
			if i < len(elems)-1 {
				if testDirs[e] {
					return true
				}
				continue
			}
			if testFileName(e) {
				return true
			}
		}
	}
	return false
}

func testFileName(name string) bool {
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	switch {
	case ext == ".insecure", strings.HasSuffix(base, "-insecure"), strings.HasSuffix(base, "_insecure"):
		return true
	case strings.HasSuffix(base, "_test") || strings.HasSuffix(base, "_spec"):
		return true
	case strings.HasPrefix(base, "test_") && ext == ".py":
		return true
	case strings.HasSuffix(base, ".test") || strings.HasSuffix(base, ".spec"):
		return true
	}
	return false
}
