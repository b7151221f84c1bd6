package policy

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
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

	mu    sync.Mutex
	leaks map[string]string // contextLeak results by directory and Dockerfile

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

// contextLeak says why copying the whole build context would bring
// credentials into the image, or "" when a .dockerignore keeps them out.
// The context is taken to be the Dockerfile's directory or, when that has
// no .dockerignore, the nearest parent up to the scan root that has one
// (Dockerfiles in subdirectories are often built with a parent context).
func (c *fsContext) contextLeak(dir, dockerfile string) string {
	key := dir + "\x00" + filepath.Base(dockerfile)
	c.mu.Lock()
	if why, ok := c.leaks[key]; ok {
		c.mu.Unlock()
		return why
	}
	c.mu.Unlock()
	why := c.findLeak(dir, dockerfile)
	c.mu.Lock()
	if c.leaks == nil {
		c.leaks = map[string]string{}
	}
	c.leaks[key] = why
	c.mu.Unlock()
	return why
}

func (c *fsContext) findLeak(dir, dockerfile string) string {
	ctxDir, name := c.findDockerignore(dir, filepath.Base(dockerfile))
	if name == "" {
		return "the build context has no .dockerignore, so .env files, keys and other credentials in it are copied too"
	}
	f, err := os.Open(filepath.Join(ctxDir, name))
	if err != nil {
		return fmt.Sprintf("its %s cannot be read (%v)", name, err)
	}
	patterns, err := ignorefile.ReadAll(f)
	f.Close()
	if err != nil {
		return fmt.Sprintf("its %s does not parse (%v)", name, err)
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return fmt.Sprintf("its %s has a bad pattern (%v)", name, err)
	}
	leak := ""
	n := 0
	// Unreadable entries are not the check's to report: the scan walks
	// the same tree.
	w := &scan.Walker{}
	_ = w.Walk(context.Background(), ctxDir, func(p string, d fs.DirEntry) error {
		if leak != "" {
			return fs.SkipDir
		}
		if n++; n > maxContextFiles {
			return errors.New("stop")
		}
		rel, rerr := filepath.Rel(ctxDir, p)
		if rerr != nil || rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if !credentialPath(rel) {
			return nil
		}
		if ok, _ := pm.MatchesOrParentMatches(rel); !ok {
			leak = rel
		}
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	})
	if leak != "" {
		where := name
		if ctxDir != dir {
			where = filepath.ToSlash(filepath.Join(ctxDir, name))
		}
		return fmt.Sprintf("%s does not exclude %s, which the whole-context copy brings in", where, leak)
	}
	return ""
}

// findDockerignore returns the directory and name of the .dockerignore that
// applies: <Dockerfile>.dockerignore or .dockerignore in dir, else the
// nearest .dockerignore in a parent, not above the scan root.
func (c *fsContext) findDockerignore(dir, dockerfile string) (string, string) {
	for _, name := range []string{dockerfile + ".dockerignore", ".dockerignore"} {
		if fileExists(filepath.Join(dir, name)) {
			return dir, name
		}
	}
	root, err := filepath.Abs(c.root)
	if err != nil {
		return "", ""
	}
	d := dir
	for i := 0; i < 64; i++ {
		abs, err := filepath.Abs(d)
		if err != nil || abs == root || !strings.HasPrefix(abs, root+string(filepath.Separator)) {
			return "", ""
		}
		d = filepath.Dir(d)
		if fileExists(filepath.Join(d, ".dockerignore")) {
			return d, ".dockerignore"
		}
	}
	return "", ""
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
	base := strings.ToLower(path.Base(p))
	if strings.HasSuffix(base, ".pem") || strings.HasSuffix(base, ".key") {
		// A PEM file of certificates only is public; look inside.
		data, err := r.read(filepath.FromSlash(p))
		if err != nil || !holdsPrivateKey(data) {
			return
		}
	}
	who := "group"
	if mode&0o004 != 0 {
		who = "others"
		if mode&0o040 != 0 {
			who = "group and others"
		}
	}
	rep.add("secret-file-permissions", 1, 1, "mode", "",
		fmt.Sprintf("%s has mode %#o: readable by %s", path.Base(p), mode, who))
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
