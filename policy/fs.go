package policy

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"

	"github.com/secretlint/secretlint/scan"
)

// fsContext answers the questions that need the file system around the
// scanned files: git tracking, .gitignore, .dockerignore, file modes.
type fsContext struct {
	root string

	once     sync.Once
	workTree string          // absolute; "" outside a git repository
	tracked  map[string]bool // paths relative to workTree
	ignore   gitignore.Matcher
	gitErr   error

	mu       sync.Mutex
	contexts map[string]contextScan // by context directory and Dockerfile

	repos *repoCache
}

func newFSContext(root string, repos *repoCache) *fsContext {
	if repos == nil {
		repos = &repoCache{}
	}
	return &fsContext{root: root, repos: repos}
}

// repoCache answers whether git tracks a file, finding each file's
// enclosing work tree and reading that repository's index once. A scan
// root may hold several repositories (a directory of clones), and a file
// mode means nothing for a tracked file: git stores only the executable
// bit, so every other tracked file checks out as 0644 by the umask.
type repoCache struct {
	mu    sync.Mutex
	dirs  map[string]string          // directory -> enclosing work tree, "" for none
	index map[string]map[string]bool // work tree -> tracked paths, relative, slash-separated
}

// tracked reports whether the file at abs (an absolute path) is in the
// index of the git work tree that encloses it.
func (rc *repoCache) tracked(abs string) bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	wt := rc.workTree(filepath.Dir(abs))
	if wt == "" {
		return false
	}
	set, ok := rc.index[wt]
	if !ok {
		set = readIndex(wt)
		if rc.index == nil {
			rc.index = map[string]map[string]bool{}
		}
		rc.index[wt] = set
	}
	rel, err := filepath.Rel(wt, abs)
	return err == nil && set[filepath.ToSlash(rel)]
}

// workTree returns the nearest directory at or above dir that holds a .git
// directory or file, caching every directory on the way.
func (rc *repoCache) workTree(dir string) string {
	if rc.dirs == nil {
		rc.dirs = map[string]string{}
	}
	var seen []string
	wt := ""
	for d := dir; ; d = filepath.Dir(d) {
		if v, ok := rc.dirs[d]; ok {
			wt = v
			break
		}
		seen = append(seen, d)
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			wt = d
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	for _, d := range seen {
		rc.dirs[d] = wt
	}
	return wt
}

// readIndex lists the paths in a work tree's git index; an unreadable
// repository yields an empty set, so its files are treated as untracked.
func readIndex(wt string) map[string]bool {
	set := map[string]bool{}
	repo, err := git.PlainOpenWithOptions(wt, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		return set
	}
	idx, err := repo.Storer.Index()
	if err != nil {
		return set
	}
	for _, e := range idx.Entries {
		set[e.Name] = true
	}
	return set
}

func (c *fsContext) loadGit() {
	abs, err := filepath.Abs(c.root)
	if err != nil {
		c.gitErr = err
		return
	}
	repo, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true})
	if err == nil {
		wt, werr := repo.Worktree()
		if werr == nil {
			c.workTree = wt.Filesystem.Root()
			c.tracked = map[string]bool{}
			if idx, err := repo.Storer.Index(); err == nil {
				for _, e := range idx.Entries {
					c.tracked[e.Name] = true
				}
			}
		}
	}
	base := abs
	if c.workTree != "" {
		base = c.workTree
	}
	ps, err := gitignore.ReadPatterns(osfs.New(base), nil)
	if err == nil {
		if ex := filepath.Join(base, ".git", "info", "exclude"); fileExists(ex) {
			if data, err := os.ReadFile(ex); err == nil {
				for _, l := range strings.Split(string(data), "\n") {
					if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
						ps = append(ps, gitignore.ParsePattern(l, nil))
					}
				}
			}
		}
		c.ignore = gitignore.NewMatcher(ps)
	}
	if c.workTree == "" {
		c.workTree = abs
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// dotenvExposed says how a .env file is exposed (tracked by git, or not
// ignored), or "" when .gitignore covers it and git does not track it.
func (c *fsContext) dotenvExposed(p string) string {
	c.once.Do(c.loadGit)
	abs, err := filepath.Abs(filepath.FromSlash(p))
	if err != nil {
		return ""
	}
	rel, err := filepath.Rel(c.workTree, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	rel = filepath.ToSlash(rel)
	if c.tracked[rel] {
		return "is tracked by git, so its values are in the repository history"
	}
	if c.ignore == nil || !c.ignore.Match(strings.Split(rel, "/"), false) {
		return "is not matched by .gitignore, so `git add .` would commit it"
	}
	return ""
}

// credentialPath reports whether a path names a credential file or
// directory that must not enter an image.
func credentialPath(p string) bool {
	p = strings.TrimSuffix(filepath.ToSlash(p), "/")
	for _, el := range strings.Split(p, "/") {
		switch strings.ToLower(el) {
		case ".aws", ".truss", ".ssh", ".gnupg":
			return true
		}
	}
	base := strings.ToLower(path.Base(p))
	if base == ".env" || strings.HasPrefix(base, ".env.") {
		return !scan.IsDotenvTemplate(base)
	}
	switch base {
	case ".npmrc", ".pypirc", ".netrc", ".git-credentials", ".dockercfg", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519":
		return true
	}
	for _, ext := range []string{".pem", ".p12", ".pfx"} {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	return false
}

// maxContextFiles bounds the walk of a build context.
const maxContextFiles = 50000

// contextScan is what a build context would bring into an image: the
// credential files in it that its .dockerignore does not exclude.
type contextScan struct {
	files  []string // relative to the context, slash-separated, sorted
	ignore string   // the .dockerignore that applies, relative to the context; "" for none
	err    string   // why the .dockerignore could not be applied
}

// contextCredentials walks a build context and lists its credential files
// that the .dockerignore leaves in. The .dockerignore is Docker's: the one
// next to the Dockerfile named <Dockerfile>.dockerignore, else .dockerignore
// at the context root, read and matched by moby/patternmatcher as the
// builder does (`!` exceptions, `**`, a pattern matching a parent
// directory excludes what is under it). Results are cached by context and
// Dockerfile.
func (c *fsContext) contextCredentials(ctxDir, dockerfile string) contextScan {
	key := ctxDir + "\x00" + dockerfile
	c.mu.Lock()
	if cs, ok := c.contexts[key]; ok {
		c.mu.Unlock()
		return cs
	}
	c.mu.Unlock()
	cs := scanContext(ctxDir, dockerfile)
	c.mu.Lock()
	if c.contexts == nil {
		c.contexts = map[string]contextScan{}
	}
	c.contexts[key] = cs
	c.mu.Unlock()
	return cs
}

func scanContext(ctxDir, dockerfile string) contextScan {
	var cs contextScan
	var pm *patternmatcher.PatternMatcher
	ignore := dockerfile + ".dockerignore"
	if !fileExists(ignore) {
		ignore = filepath.Join(ctxDir, ".dockerignore")
	}
	if fileExists(ignore) {
		if rel, err := filepath.Rel(ctxDir, ignore); err == nil {
			cs.ignore = filepath.ToSlash(rel)
		}
		f, err := os.Open(ignore)
		if err != nil {
			cs.err = fmt.Sprintf("%s cannot be read (%v)", cs.ignore, err)
			return cs
		}
		patterns, err := ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			cs.err = fmt.Sprintf("%s does not parse (%v)", cs.ignore, err)
			return cs
		}
		if pm, err = patternmatcher.New(patterns); err != nil {
			cs.err = fmt.Sprintf("%s has a bad pattern (%v)", cs.ignore, err)
			return cs
		}
	}
	n := 0
	// Unreadable entries are not the check's to report: the scan walks
	// the same tree.
	w := &scan.Walker{}
	_ = w.Walk(context.Background(), ctxDir, func(p string, d fs.DirEntry) error {
		if n++; n > maxContextFiles {
			return errors.New("stop")
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(ctxDir, p)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if !contextCredential(p, rel) {
			return nil
		}
		if pm != nil {
			if ok, _ := pm.MatchesOrParentMatches(rel); ok {
				return nil
			}
		}
		cs.files = append(cs.files, rel)
		return nil
	})
	sort.Strings(cs.files)
	return cs
}

// contextCredential reports whether a file in a build context (at p,
// named rel in it) is a credential: a name credentialPath or
// isKeyFileName knows, except PEM and .key files that hold no private key
// (a CA bundle or a certificate is public).
func contextCredential(p, rel string) bool {
	base := strings.ToLower(path.Base(rel))
	if !credentialPath(rel) && !isKeyFileName(base) {
		return false
	}
	if strings.HasSuffix(base, ".pem") || strings.HasSuffix(base, ".key") || strings.HasSuffix(base, ".crt") {
		data, err := readHead(p, 1<<20)
		if err == nil && !holdsPrivateKey(data) && bytes.Contains(data, []byte("-----BEGIN")) {
			return false
		}
	}
	return true
}

func readHead(p string, n int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// isKeyFileName reports whether a file name is a private key or credentials
// file by convention.
func isKeyFileName(base string) bool {
	switch base {
	case "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "credentials", ".git-credentials", ".netrc", ".pgpass":
		return true
	}
	for _, ext := range []string{".pem", ".key", ".p12", ".pfx"} {
		if strings.HasSuffix(base, ext) {
			return true
		}
	}
	return false
}

// checkKeyFile reports a key or credentials file that group or others can
// read, when the mode is one someone can fix: files git does not track and
// files outside any repository. A tracked file's mode is the umask's (git
// records only the executable bit), so it cannot be acted on in the
// repository; image layers are checked by package scan/image with
// KeyFileMode.
func (r *runner) checkKeyFile(rep *report, p string) {
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(filepath.FromSlash(p))
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	mode := fi.Mode().Perm()
	if mode&0o044 == 0 {
		return
	}
	if abs, err := filepath.Abs(filepath.FromSlash(p)); err == nil && r.fs.repos.tracked(abs) {
		return // git keeps no mode but the executable bit: nothing to act on
	}
	msg, ok := KeyFileMode(p, mode, func() ([]byte, error) { return r.read(filepath.FromSlash(p)) })
	if ok {
		rep.add("secret-file-permissions", 1, 1, "mode", "", msg)
	}
}

// KeyFileMode says whether a file at path p (slash-separated) with the
// permission bits mode is a key or credentials file that group or others
// can read, and the message of the secret-file-permissions finding. Names
// decide (id_rsa, credentials, *.pem, *.key, *.p12, ...); a .pem or .key
// file is read (read is called only then) and counts only when it holds a
// private key, since a certificate is public. The file system check and the
// image layer check both use it.
func KeyFileMode(p string, mode fs.FileMode, read func() ([]byte, error)) (string, bool) {
	mode = mode.Perm()
	base := strings.ToLower(path.Base(p))
	if mode&0o044 == 0 || !isKeyFileName(base) {
		return "", false
	}
	if strings.HasSuffix(base, ".pem") || strings.HasSuffix(base, ".key") {
		data, err := read()
		if err != nil || !holdsPrivateKey(data) {
			return "", false
		}
	}
	who := "group"
	if mode&0o004 != 0 {
		who = "others"
		if mode&0o040 != 0 {
			who = "group and others"
		}
	}
	return fmt.Sprintf("%s has mode %#o: readable by %s", path.Base(p), mode, who), true
}

// holdsPrivateKey reports whether PEM data has a private key block.
func holdsPrivateKey(data []byte) bool {
	for rest := data; ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return false
		}
		if strings.Contains(b.Type, "PRIVATE KEY") {
			return true
		}
	}
}
