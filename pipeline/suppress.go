package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/secretlint/secretlint/baseline"
	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/scan"
)

// Suppression is what one suppressor did in a run.
type Suppression struct {
	// Name is the suppressor: ".gitleaksignore", "allowlisted paths",
	// "config filters" or "baseline".
	Name string
	// Suppressed counts the findings it dropped.
	Suppressed int
	// Stale lists its entries that matched no finding.
	Stale []string
}

// suppressor drops findings the project has accepted. It keeps the order of
// what it keeps.
type suppressor interface {
	Name() string
	Suppress(fs []scan.Finding) (kept []scan.Finding, stale []string)
}

// suppressors lists the suppressors in the order they apply: a finding one
// drops is not seen by the next, so a baseline entry for a finding that
// .gitleaksignore already drops is stale.
func (p *Pipeline) suppressors() []suppressor {
	ig, errs := loadGitleaksIgnores(p.o.roots)
	for _, err := range errs {
		p.o.warn(err)
	}
	ss := []suppressor{ig, allowedPaths{p.o.cfg}, configFilter{p.o.cfg}}
	if p.o.baseline != nil {
		ss = append(ss, baselineSuppressor{p.o.baseline, RootDirs(p.o.roots)})
	}
	return ss
}

// staleEntries lists the stale entries of a run for the report: the
// baseline's first (the report field is stale_baseline), then the others'
// in the order they ran.
func staleEntries(ss []Suppression) []string {
	var out []string
	for _, s := range ss {
		if s.Name == nameBaseline {
			out = append(out, s.Stale...)
		}
	}
	for _, s := range ss {
		if s.Name != nameBaseline {
			out = append(out, s.Stale...)
		}
	}
	return out
}

const nameBaseline = "baseline"

type baselineSuppressor struct {
	b    *baseline.Baseline
	dirs []string
}

func (baselineSuppressor) Name() string { return nameBaseline }

func (s baselineSuppressor) Suppress(fs []scan.Finding) ([]scan.Finding, []string) {
	kept, _, stale := s.b.FilterUnder(fs, s.dirs)
	return kept, stale
}

// configFilter applies the configuration's finding filters: inline
// secretlint:allow comments, allowlisted fingerprints and the like.
type configFilter struct{ cfg *config.Config }

func (configFilter) Name() string { return "config filters" }

func (s configFilter) Suppress(fs []scan.Finding) ([]scan.Finding, []string) {
	kept, _ := s.cfg.Filter(fs)
	return kept, nil
}

// allowedPaths applies the global path allowlist to every finding, policy
// findings included (the engine already applied it to secrets).
type allowedPaths struct{ cfg *config.Config }

func (allowedPaths) Name() string { return "allowlisted paths" }

func (s allowedPaths) Suppress(fs []scan.Finding) ([]scan.Finding, []string) {
	if len(s.cfg.Allow.Paths) == 0 {
		return fs, nil
	}
	kept := fs[:0:0]
	for _, f := range fs {
		if !s.cfg.Allow.AllowsPath(f.Path) {
			kept = append(kept, f)
		}
	}
	return kept, nil
}

// gitleaksIgnore applies the .gitleaksignore files found at the roots. An
// entry names a finding by its path as scanned or relative to the root
// whose file lists it, as gitleaks writes them.
type gitleaksIgnore []rootIgnore

type rootIgnore struct {
	dir string
	ig  *baseline.Ignore
}

// loadGitleaksIgnores reads the .gitleaksignore of each root. A file that
// exists but cannot be read is returned as an error.
func loadGitleaksIgnores(roots []string) (gitleaksIgnore, []error) {
	var (
		igs  gitleaksIgnore
		errs []error
	)
	for _, dir := range RootDirs(roots) {
		i, err := baseline.LoadGitleaksIgnore(filepath.Join(dir, ".gitleaksignore"))
		switch {
		case err == nil:
			igs = append(igs, rootIgnore{dir, i})
		case !errors.Is(err, os.ErrNotExist):
			errs = append(errs, fmt.Errorf("read .gitleaksignore: %w", err))
		}
	}
	return igs, errs
}

func (gitleaksIgnore) Name() string { return ".gitleaksignore" }

func (igs gitleaksIgnore) Suppress(fs []scan.Finding) ([]scan.Finding, []string) {
	if len(igs) == 0 {
		return fs, nil
	}
	kept := fs[:0:0]
outer:
	for _, f := range fs {
		for _, ri := range igs {
			if ri.ig.Matches(f) {
				continue outer
			}
			if rel, ok := underRoot(f.Path, ri.dir); ok {
				g := f
				g.Path = rel
				if ri.ig.Matches(g) {
					continue outer
				}
			}
		}
		kept = append(kept, f)
	}
	var stale []string
	for _, ri := range igs {
		for _, k := range ri.ig.Stale() {
			stale = append(stale, filepath.Join(ri.dir, ".gitleaksignore")+": "+k)
		}
	}
	return kept, stale
}

// underRoot returns path relative to dir when path lies under it.
func underRoot(path, dir string) (string, bool) {
	d := filepath.Clean(dir)
	if d == "." {
		return "", false
	}
	p := filepath.ToSlash(path)
	prefix := filepath.ToSlash(d) + "/"
	if strings.HasPrefix(p, prefix) {
		return p[len(prefix):], true
	}
	return "", false
}
