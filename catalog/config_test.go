package catalog_test

import (
	"testing"

	"github.com/secretlint/secretlint/catalog"
	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/rules"
)

// TestConfiguredCatalog: a configuration's severity overrides and own
// rules are what its catalog describes.
func TestConfiguredCatalog(t *testing.T) {
	cfg, err := config.Parse("c.toml", []byte(`
[severity]
private-key = "low"

[[rule]]
id = "acme-token"
description = "ACME token"
keywords = ["acme_"]
regex = '''acme_[a-z0-9]{20}'''
hint = "Revoke it."
`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.New(cfg.Rules, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := c.Lookup("private-key"); e.Severity != rules.Low {
		t.Errorf("private-key: severity %v, want the override", e.Severity)
	}
	if e, _ := c.Lookup("acme-token"); e.Family != catalog.FamilyConfig || e.Description != "ACME token" {
		t.Errorf("acme-token: %+v", e)
	}
}
