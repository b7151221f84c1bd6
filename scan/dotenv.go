package scan

import (
	"path"
	"strings"
)

// dotenvTemplateSuffixes end the names of dotenv files meant to be
// committed: examples and templates that show which variables exist, with
// placeholders for their values. The image hints and the policy checks
// both read this one list.
var dotenvTemplateSuffixes = []string{"template", "example", "sample", "dist", "defaults", "default", "tmpl", "tpl"}

// IsDotenvTemplate reports whether a path names a dotenv template:
// .env.example, .env.local.example, .env.TEMPLATE and their kin. Any other
// .env.* name is taken for a file holding real values.
func IsDotenvTemplate(p string) bool {
	base := strings.ToLower(path.Base(p))
	if !strings.HasPrefix(base, ".env.") {
		return false
	}
	for _, s := range dotenvTemplateSuffixes {
		if strings.HasSuffix(base, "."+s) {
			return true
		}
	}
	return false
}
