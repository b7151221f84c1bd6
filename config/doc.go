// Package config loads secretlint's configuration: a .secretlint.toml found
// at the scan root or named with --config (or a gitleaks configuration), and
// compiles it with the built-in rules into the rule set and allowlist a scan
// uses.
package config
