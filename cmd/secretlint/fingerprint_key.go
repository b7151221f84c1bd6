package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/secretlint/secretlint/baseline"
	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/fingerprint"
)

// projectKey finds the fingerprint key of a scan, in this order:
// SECRETLINT_FINGERPRINT_KEY, the configuration's [fingerprint] key_file,
// a .secretlint-key next to the baseline in use, one at the scan root. It
// returns nil when there is none: fingerprints are then unkeyed and
// reports have no secret_hash.
func (e *env) projectKey(cfg *config.Config, baselinePath string, roots []string) (*fingerprint.Key, error) {
	var dirs []string
	if baselinePath != "" {
		dirs = append(dirs, filepath.Dir(baselinePath))
	}
	if len(roots) > 0 && roots[0] != "-" {
		dir := roots[0]
		if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
			dir = filepath.Dir(dir)
		}
		dirs = append(dirs, dir)
	}
	return fingerprint.Resolve(fingerprint.Lookup{Env: e.getenv(fingerprint.EnvVar), ConfigFile: cfg.FingerprintKeyFile, Dirs: dirs})
}

// baselineKeyNotes warns when the baseline's entries cannot match because
// it was made with another key, and notes entries still in the unkeyed
// form. Call it after filtering.
func (e *env) baselineKeyNotes(o *scanOptions, bl *baseline.Baseline) {
	if msg := bl.KeyMismatch(o.key); msg != "" {
		e.errorf("warning: %s", msg)
	}
	if n := bl.Unkeyed(); n > 0 && !o.quiet {
		fmt.Fprintf(e.stderr, "%s: %d entries are unkeyed fingerprints, which anyone holding the file can test guessed secrets against; run 'secretlint baseline' to rewrite them keyed\n", bl.Path, n)
	}
}

// baselineKey returns the key 'secretlint baseline' fingerprints with: the
// project's, or, when it has none, a new one written to the
// configuration's key_file or next to the baseline.
func (e *env) baselineKey(cfg *config.Config, out string, roots []string) (*fingerprint.Key, error) {
	p := cfg.FingerprintKeyFile
	if _, err := os.Stat(p); e.getenv(fingerprint.EnvVar) != "" || p == "" || !errors.Is(err, fs.ErrNotExist) {
		k, err := e.projectKey(cfg, out, roots)
		if err != nil || k != nil {
			return k, err
		}
		p = filepath.Join(filepath.Dir(out), fingerprint.FileName)
	}
	k, err := fingerprint.WriteFile(p)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stderr, "wrote a new fingerprint key to %s (mode 0600, id %s): do not commit it (add it to .gitignore); give CI the same key with %s=$(cat %s)\n", p, k.ID(), fingerprint.EnvVar, p)
	return k, nil
}
