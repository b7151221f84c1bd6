package scan

import "testing"

func TestIsDotenvTemplate(t *testing.T) {
	for p, want := range map[string]bool{
		".env.example": true, "app/.env.local.example": true, "x/.env.TEMPLATE": true, ".env.default": true,
		".env.defaults": true, ".env.dist": true, ".env.tpl": true, ".env.tmpl": true, ".env.sample": true,
		".env": false, ".env.local": false, ".env.production": false, "example.env": false, "app/.env.examples": false,
	} {
		if got := IsDotenvTemplate(p); got != want {
			t.Errorf("IsDotenvTemplate(%q) = %v, want %v", p, got, want)
		}
	}
}
