package policy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"github.com/sourcegraph/conc/pool"

	"github.com/secretlint/secretlint/config"
	"github.com/secretlint/secretlint/fingerprint"
	"github.com/secretlint/secretlint/rules"
	"github.com/secretlint/secretlint/scan"
)

// Limits are the policy knobs: the [policy] table of .secretlint.toml,
// which package config reads and checks when the file loads, with the
// check ids its [severity] and disable name.
type Limits = config.PolicyLimits

// DefaultLimits returns the limits used when the configuration sets none.
func DefaultLimits() Limits { return Limits{MLflowMaxTTL: 3600} }

// LimitsFromConfig returns a configuration's limits over the defaults. A
// nil config gives the defaults. The configuration was checked when it
// loaded (config.Parse), so nothing here can fail.
func LimitsFromConfig(cfg *config.Config) Limits {
	if cfg == nil {
		return DefaultLimits()
	}
	l := cfg.Limits
	if l.MLflowMaxTTL <= 0 {
		l.MLflowMaxTTL = DefaultLimits().MLflowMaxTTL
	}
	return l
}

func trusted(l Limits, acct string) bool {
	for _, a := range l.TrustedAccounts {
		if a == acct {
			return true
		}
	}
	return false
}

type options struct {
	limits      Limits
	jobs        int
	maxFileSize int64
	skipPath    func(string) bool
	rules       *rules.Set
	trussNames  []string
	countInputs bool
	key         *fingerprint.Key
}

// Option configures Run and CheckFile.
type Option func(*options)

// WithLimits sets the policy limits.
func WithLimits(l Limits) Option { return func(o *options) { o.limits = l } }

// WithJobs sets how many files are checked at once.
func WithJobs(n int) Option { return func(o *options) { o.jobs = n } }

// WithMaxFileSize skips files larger than n bytes (0: no limit).
func WithMaxFileSize(n int64) Option { return func(o *options) { o.maxFileSize = n } }

// WithSkipPath leaves out paths (slash-separated) the function accepts,
// such as the configuration's path allowlist.
func WithSkipPath(fn func(string) bool) Option { return func(o *options) { o.skipPath = fn } }

// WithRules sets the rule set used to recognise real credential formats in
// template files (default: the built-in rules).
func WithRules(s *rules.Set) Option { return func(o *options) { o.rules = s } }

// WithInputCount makes Run count every file it checks as an input of the
// collector (for a policy-only run; a scan counts its files already).
func WithInputCount(on bool) Option { return func(o *options) { o.countInputs = on } }

// WithFingerprintKey keys the fingerprints and secret hashes of findings
// that hold a secret, as the scan engine does (nil: unkeyed, no hash).
func WithFingerprintKey(k *fingerprint.Key) Option { return func(o *options) { o.key = k } }

// WithTrussSecrets names the Truss secrets known to CheckFile; Run finds
// them itself in the tree's Truss config.yaml files.
func WithTrussSecrets(names []string) Option {
	return func(o *options) { o.trussNames = append(o.trussNames, names...) }
}

type runner struct {
	options
	disabled map[string]bool
	truss    map[string]bool
	fs       *fsContext // nil when checking bytes alone
	builds   buildRefs  // the commands in the tree that build images, by Dockerfile
	// deferEnv holds back the environments that need other files'
	// ConfigMaps until the whole tree is read (Run only).
	deferEnv bool
}

func newRunner(opts []Option) *runner {
	r := &runner{options: options{limits: DefaultLimits(), jobs: 2, maxFileSize: 10 << 20}}
	for _, o := range opts {
		o(&r.options)
	}
	if r.jobs < 1 {
		r.jobs = 1
	}
	if r.rules == nil {
		r.rules, _ = rules.BuiltinSet()
	}
	if r.limits.MLflowMaxTTL <= 0 {
		r.limits.MLflowMaxTTL = DefaultLimits().MLflowMaxTTL
	}
	r.disabled = map[string]bool{}
	for _, id := range r.limits.DisableChecks {
		r.disabled[id] = true
	}
	r.truss = map[string]bool{}
	for _, n := range r.trussNames {
		r.truss[n] = true
	}
	return r
}

// CheckFile runs the checks that need only a file's name and bytes. Checks
// that look at the file system (git tracking, .dockerignore, file modes)
// run only under Run. The error is non-nil when the file does not parse.
func CheckFile(name string, data []byte, opts ...Option) ([]scan.Finding, error) {
	r := newRunner(opts)
	rep, err := r.checkFile(filepath.ToSlash(name), data)
	if rep == nil {
		return nil, err
	}
	resolveTokens([]*report{rep}, &rep.rbac)
	return rep.findings, err
}

// Run walks the roots and records every hygiene finding, unparseable file
// and skipped file in out.
func Run(ctx context.Context, roots []string, out *scan.Collector, opts ...Option) {
	r := newRunner(opts)
	r.deferEnv = true
	type item struct {
		path string
		fc   *fsContext
	}
	var todo, buildFiles []item
	repos := &repoCache{}
	for _, root := range roots {
		if root == "-" || ctx.Err() != nil {
			continue
		}
		fi, err := os.Stat(root)
		if err != nil {
			out.Error(root, fmt.Errorf("policy: %w", err))
			continue
		}
		dir := root
		if !fi.IsDir() {
			dir = filepath.Dir(root)
		}
		fc := newFSContext(dir, repos)
		if !fi.IsDir() {
			if kindOf(filepath.ToSlash(root)) != 0 {
				todo = append(todo, item{root, fc})
			}
			continue
		}
		w := &scan.Walker{Vendored: true, OnError: out.Error}
		if r.skipPath != nil {
			w.Skip = func(sp string) bool { return sp != filepath.ToSlash(root)+"/" && r.skipPath(sp) }
		}
		err = w.Walk(ctx, root, func(p string, d fs.DirEntry) error {
			if d.IsDir() {
				return nil
			}
			if kindOf(filepath.ToSlash(p)) != 0 {
				todo = append(todo, item{p, fc})
			}
			if isBuildFile(filepath.ToSlash(p)) {
				buildFiles = append(buildFiles, item{p, fc})
			}
			return nil
		})
		if err != nil && !errors.Is(err, context.Canceled) {
			out.Error(root, err)
		}
	}
	// The commands that build images come first: a Dockerfile's build
	// context is where they say.
	r.builds = buildRefs{}
	for _, it := range buildFiles {
		if data, err := r.read(it.path); err == nil {
			findBuildRefs(r.builds, it.path, data)
		}
	}
	// Truss secret names come next: other files are judged against them.
	for _, it := range todo {
		sp := filepath.ToSlash(it.path)
		if kindOf(sp)&kindYAML == 0 || path.Base(sp) != "config.yaml" && path.Base(sp) != "config.yml" {
			continue
		}
		data, err := r.read(it.path)
		if err != nil {
			continue
		}
		refs, _ := TrussSecretNames(it.path, data)
		for _, ref := range refs {
			r.truss[ref.Name] = true
		}
	}
	// Findings wait for the whole tree: token mounts are judged against
	// every file's RBAC objects, and copies of one manifest are merged.
	var (
		mu   sync.Mutex
		reps []*report
	)
	p := pool.New().WithMaxGoroutines(r.jobs)
	for _, it := range todo {
		if ctx.Err() != nil {
			break
		}
		p.Go(func() {
			rr := *r
			rr.fs = it.fc
			sp := filepath.ToSlash(it.path)
			var data []byte
			if kindOf(sp)&kindNeedsData != 0 {
				var err error
				data, err = r.read(it.path)
				if errors.Is(err, errTooLarge) {
					out.Skip(it.path, fmt.Sprintf("policy: larger than %d bytes", r.maxFileSize))
					return
				}
				if err != nil {
					out.Error(it.path, fmt.Errorf("policy: %w", err))
					return
				}
			}
			if r.countInputs {
				out.Input()
			}
			rep, err := rr.checkFile(sp, data)
			if err != nil {
				out.Error(it.path, err)
			}
			if rep != nil {
				for _, s := range rep.skips {
					out.Skip(it.path, "policy: "+s)
				}
				if len(rep.pending) == 0 && len(rep.deferred) == 0 {
					// Nothing more is reported here, so no allow
					// marker is looked up: the bytes can go.
					rep.data, rep.lines = nil, nil
				}
				mu.Lock()
				reps = append(reps, rep)
				mu.Unlock()
			}
		})
	}
	p.Wait()
	facts := &rbacFacts{}
	for _, rep := range reps {
		facts.merge(&rep.rbac)
	}
	resolveTokens(reps, facts)
	r.resolveEnv(reps)
	paths := make([]string, len(todo))
	for i, it := range todo {
		paths[i] = filepath.ToSlash(it.path)
	}
	out.Add(dedupeEnv(mergeCopies(reps, newestReleases(paths)))...)
}

var errTooLarge = errors.New("file too large")

func (r *runner) read(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	limit := r.maxFileSize
	if limit <= 0 {
		limit = 1 << 40
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

// File kinds, decided by name.
const (
	kindDotenv = 1 << iota
	kindDotenvTemplate
	kindDockerfile
	kindYAML
	kindJSON
	kindTerraform
	kindKeyFile
	kindShell
	kindSystemd
	kindPython

	kindNeedsData = kindDotenv | kindDotenvTemplate | kindDockerfile | kindYAML | kindJSON | kindTerraform |
		kindShell | kindSystemd | kindPython
)

// notDotenv reports whether a .env.* name is some other format (.env.yaml,
// .env.js) or an encrypted file meant to be committed (.env.vault, sops).
func notDotenv(base string) bool {
	for _, ext := range []string{".yaml", ".yml", ".json", ".js", ".mjs", ".cjs", ".ts", ".py", ".sh", ".go", ".toml", ".vault", ".enc", ".encrypted", ".gpg", ".age"} {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	return false
}

// codeFile reports whether a name ends in a source or document extension
// (dockerfile.go, dockerfile_test.py are code about Dockerfiles).
func codeFile(base string) bool {
	for _, ext := range []string{".go", ".py", ".js", ".ts", ".rs", ".java", ".rb", ".sh", ".md", ".txt", ".rst", ".json", ".yaml", ".yml", ".toml", ".html"} {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	return false
}

func kindOf(p string) int {
	base := strings.ToLower(path.Base(p))
	k := 0
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env.") && !notDotenv(base):
		k |= kindDotenv
		if scan.IsDotenvTemplate(base) {
			k = kindDotenvTemplate
		}
	case base == "dockerfile" || base == "containerfile" || strings.HasSuffix(base, ".dockerfile") ||
		(strings.HasPrefix(base, "dockerfile.") || strings.HasPrefix(base, "dockerfile_") || strings.HasPrefix(base, "dockerfile-")) && !codeFile(base):
		k |= kindDockerfile
	case strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml"):
		k |= kindYAML
	case strings.HasSuffix(base, ".json"):
		k |= kindJSON
	case strings.HasSuffix(base, ".tf"):
		k |= kindTerraform
	case strings.HasSuffix(base, ".sh") || strings.HasSuffix(base, ".bash") || base == ".envrc":
		k |= kindShell
	case isSystemdUnit(strings.ToLower(p)):
		k |= kindSystemd
	case strings.HasSuffix(base, ".py"):
		k |= kindPython
	}
	if isKeyFileName(base) {
		k |= kindKeyFile
	}
	return k
}

// checkFile runs every check that applies to one file. data is nil for
// kinds that need no content.
func (r *runner) checkFile(p string, data []byte) (rep *report, err error) {
	// A defect in one check must not end the scan: the file gets an error
	// naming it, the other files are checked. The panic's value is not
	// quoted (it may hold file content).
	defer func() {
		if v := recover(); v != nil {
			rep, err = nil, fmt.Errorf("policy: internal error checking %s (please report it): %T", p, v)
		}
	}()
	return r.checkFileUnguarded(p, data)
}

func (r *runner) checkFileUnguarded(p string, data []byte) (*report, error) {
	rep := &report{path: p, disabled: r.disabled, severity: r.limits.Severity, data: data, key: r.key}
	k := kindOf(p)
	var err error
	switch {
	case k&(kindDotenv|kindDotenvTemplate) != 0:
		err = r.checkDotenv(rep, p, data, k&kindDotenvTemplate != 0)
	case k&kindDockerfile != 0:
		err = r.checkDockerfile(rep, p, data)
	case k&kindYAML != 0:
		err = r.checkYAML(rep, p, data)
	case k&kindJSON != 0:
		err = r.checkJSON(rep, p, data)
	case k&kindTerraform != 0:
		err = r.checkTerraform(rep, p, data)
	case k&kindShell != 0:
		err = r.checkShell(rep, p, data)
	case k&kindSystemd != 0:
		err = r.checkSystemd(rep, p, data)
	case k&kindPython != 0:
		r.checkPython(rep, p, data)
	}
	if k&kindKeyFile != 0 && r.fs != nil {
		r.checkKeyFile(rep, p)
	}
	if err != nil {
		err = fmt.Errorf("policy: %s", redactQuoted(err.Error()))
	}
	return rep, err
}

var quoted = regexp.MustCompile("\"[^\"\n]*\"|'[^'\n]*'|`[^`\n]*`")

// redactQuoted hides quoted input that parser messages echo (a Dockerfile
// word, an HCL token), which may be part of a credential.
func redactQuoted(msg string) string {
	return quoted.ReplaceAllStringFunc(msg, func(q string) string {
		body := q[1 : len(q)-1]
		if len(body) <= 3 {
			return q
		}
		return q[:1] + scan.Redact(body) + q[len(q)-1:]
	})
}

func (r *runner) checkTerraform(rep *report, p string, data []byte) error {
	t, err := tfParse(p, data)
	if err != nil {
		return err
	}
	for _, seq := range t.ecs {
		r.checkECS(rep, items(seq))
	}
	for _, d := range t.docs {
		for _, st := range statementsIn(p, d) {
			r.checkIAM(rep, st)
		}
	}
	return nil
}
