package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	gogit "github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	"github.com/go-git/go-git/v5/plumbing/transport/server"
)

// IsRemote reports whether a git target names a URL (scheme://… or
// user@host:path) rather than a local repository.
func IsRemote(arg string) bool {
	if strings.Contains(arg, "://") {
		return true
	}
	// scp-like syntax: host:path with no slash before the colon.
	if i := strings.Index(arg, ":"); i > 0 && !strings.Contains(arg[:i], "/") && !filepath.IsAbs(arg) {
		return len(arg[:i]) > 1 // C:\… is a drive letter
	}
	return false
}

// Cache keeps bare clones of remote repositories in Dir, one per URL, so
// a later audit fetches what changed instead of cloning again.
type Cache struct{ Dir string }

// Repo returns a local bare repository with the URL's branches and tags:
// cloned on first use, fetched (pruned) after.
//
// Clones are full: a blob-less partial clone would fetch each blob the
// history scan reads in a round trip of its own.
func (c Cache) Repo(ctx context.Context, rawURL string) (string, error) {
	sum := sha256.Sum256([]byte(rawURL))
	dir := filepath.Join(c.Dir, hex.EncodeToString(sum[:8])+"-"+safeBase(Redact(rawURL))+".git")
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil {
		if err := fetch(ctx, dir, rawURL); err != nil {
			return "", fmt.Errorf("fetch %s into %s: %w", Redact(rawURL), dir, scrub(err, rawURL))
		}
		return dir, nil
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return "", fmt.Errorf("git cache: %w", err)
	}
	// Clone beside the final name and rename, so that an interrupted clone
	// or two shards sharing the cache never leave half a repository there.
	tmp, err := os.MkdirTemp(c.Dir, ".clone-")
	if err != nil {
		return "", fmt.Errorf("git cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := clone(ctx, rawURL, filepath.Join(tmp, "repo.git")); err != nil {
		return "", fmt.Errorf("clone %s: %w", Redact(rawURL), scrub(err, rawURL))
	}
	if err := os.Rename(filepath.Join(tmp, "repo.git"), dir); err != nil {
		if _, statErr := os.Stat(filepath.Join(dir, "HEAD")); statErr == nil {
			return dir, nil // another process cloned it meanwhile
		}
		return "", fmt.Errorf("git cache: %w", err)
	}
	return dir, nil
}

// refSpecs are what a fetch brings: branches and tags, as a bare clone
// has them.
var refSpecs = []string{"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"}

// clone and fetch use the git CLI where there is one, for its credential
// helpers and SSH configuration, and go-git where there is none (the
// release image holds only secretlint).
func clone(ctx context.Context, rawURL, dir string) error {
	if _, err := exec.LookPath("git"); err == nil {
		return git(ctx, "", "clone", "--bare", "--quiet", rawURL, dir)
	}
	inProcessFile.Do(func() { client.InstallProtocol("file", server.DefaultServer) })
	_, err := gogit.PlainCloneContext(ctx, dir, true, &gogit.CloneOptions{URL: rawURL})
	return err
}

// inProcessFile makes go-git serve file:// URLs itself; by default it runs
// git-upload-pack, which is not there when go-git is used.
var inProcessFile sync.Once

func fetch(ctx context.Context, dir, rawURL string) error {
	if _, err := exec.LookPath("git"); err == nil {
		return git(ctx, "", append([]string{"-C", dir, "fetch", "--quiet", "--prune", "--force", rawURL}, refSpecs...)...)
	}
	inProcessFile.Do(func() { client.InstallProtocol("file", server.DefaultServer) })
	repo, err := gogit.PlainOpen(dir)
	if err != nil {
		return err
	}
	var specs []gitconfig.RefSpec
	for _, s := range refSpecs {
		specs = append(specs, gitconfig.RefSpec(s))
	}
	err = repo.FetchContext(ctx, &gogit.FetchOptions{RemoteURL: rawURL, RefSpecs: specs, Force: true, Prune: true})
	if errors.Is(err, gogit.NoErrAlreadyUpToDate) {
		return nil
	}
	return err
}

func git(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("%w: %s", err, msg)
		}
		return err
	}
	return nil
}

// safeBase is the URL's last path element, reduced to safe characters,
// so that cache directories can be told apart by eye.
func safeBase(u string) string {
	b := strings.TrimSuffix(filepath.Base(strings.TrimRight(u, "/")), ".git")
	b = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, b)
	if len(b) > 40 {
		b = b[:40]
	}
	return b
}

// scrub removes a URL's credentials from an error's text: git and go-git
// may quote the URL they failed on, user information included.
func scrub(err error, raw string) error {
	u, perr := url.Parse(raw)
	if err == nil || perr != nil || u.User == nil {
		return err
	}
	msg := strings.ReplaceAll(err.Error(), raw, Redact(raw))
	if p, ok := u.User.Password(); ok && p != "" {
		msg = strings.ReplaceAll(msg, p, "redacted")
	} else if name := u.User.Username(); name != "" && u.Scheme != "ssh" {
		msg = strings.ReplaceAll(msg, name, "redacted")
	}
	return errors.New(msg)
}

// Redact hides the password of a URL's user information, so that a
// token in a clone URL reaches no report or message.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "redacted")
	} else if strings.Contains(raw, "://") && u.User.Username() != "" && u.Scheme != "ssh" {
		u.User = url.User("redacted")
	}
	return u.String()
}
