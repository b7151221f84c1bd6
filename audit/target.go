package audit

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// Target kinds, the first word of a targets-file line.
const (
	KindGit   = "git"
	KindImage = "image"
	KindDir   = "dir"
	KindLogs  = "logs"
)

// Target is one line of a targets file.
type Target struct {
	Kind string
	// Arg is the path, URL or image reference.
	Arg string
	// Branch limits a git target to the commits reachable from it.
	Branch string
	// Weight is the target's expected cost (its size, say); 1 by default.
	Weight int64
	// Owner is who answers for the target (a team, an organisation), from
	// the line's owner=NAME; empty when the line names none.
	Owner string
	// Line is the 1-based line in the targets file.
	Line int
	// Position is the 0-based place among the file's targets.
	Position int
}

// String is the target's normalised line: kind, argument, options in a
// fixed order, single spaces. It names the target in reports.
func (t Target) String() string {
	s := t.Kind + " " + Redact(t.Arg)
	if t.Branch != "" {
		s += " --branch " + t.Branch
	}
	if t.Weight != 1 {
		s += " weight=" + strconv.FormatInt(t.Weight, 10)
	}
	if t.Owner != "" {
		s += " owner=" + t.Owner
	}
	return s
}

// OwnerName is whom the merged report's per-owner summary counts the
// target under: its owner=NAME, else, for a git URL, the host and the
// first path element (github.com/acme for https://github.com/acme/api.git
// or git@github.com:acme/api.git: the organisation or user); empty for
// local paths, images, directories and logs that name no owner.
func (t Target) OwnerName() string {
	if t.Owner != "" {
		return t.Owner
	}
	if t.Kind != KindGit || !IsRemote(t.Arg) {
		return ""
	}
	host, path := "", ""
	if u, err := url.Parse(t.Arg); err == nil && strings.Contains(t.Arg, "://") {
		if u.Scheme == "file" {
			return ""
		}
		host, path = u.Hostname(), u.Path
	} else if h, p, ok := strings.Cut(t.Arg, ":"); ok { // user@host:org/repo
		_, host, _ = strings.Cut(h, "@")
		if host == "" {
			host = h
		}
		path = p
	}
	org, _, _ := strings.Cut(strings.Trim(path, "/"), "/")
	if host == "" || org == "" || org == strings.Trim(path, "/") {
		return host // a repository at the host's root: the host answers
	}
	return host + "/" + org
}

// ParseTargets reads a targets file: one target a line, `git PATH-or-URL
// [--branch B]`, `image REF`, `dir PATH` or `logs PATH`, each optionally
// with `weight=N` and `owner=NAME`; blank lines and lines starting with # are ignored. An
// error names the file (name) and line.
func ParseTargets(name string, r io.Reader) ([]Target, error) {
	var out []Target
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		t, err := parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n, err)
		}
		t.Line, t.Position = n, len(out)
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read targets %s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no targets", name)
	}
	return out, nil
}

func parseLine(line string) (Target, error) {
	words := strings.Fields(line)
	t := Target{Kind: words[0], Weight: 1}
	switch t.Kind {
	case KindGit, KindImage, KindDir, KindLogs:
	default:
		return t, fmt.Errorf("unknown target kind %q (want git, image, dir or logs)", t.Kind)
	}
	weightSet := false
	for i := 1; i < len(words); i++ {
		w := words[i]
		switch {
		case strings.HasPrefix(w, "weight="):
			n, err := strconv.ParseInt(strings.TrimPrefix(w, "weight="), 10, 64)
			if err != nil || n < 1 || weightSet {
				return t, fmt.Errorf("bad %q (want weight=N once, N a positive whole number)", w)
			}
			t.Weight, weightSet = n, true
		case strings.HasPrefix(w, "owner="):
			if t.Owner != "" || w == "owner=" {
				return t, fmt.Errorf("bad %q (want owner=NAME once)", w)
			}
			t.Owner = strings.TrimPrefix(w, "owner=")
		case w == "--branch":
			if t.Kind != KindGit {
				return t, fmt.Errorf("--branch applies to git targets only")
			}
			if i+1 >= len(words) || t.Branch != "" {
				return t, fmt.Errorf("--branch wants one branch name")
			}
			i++
			t.Branch = words[i]
		case strings.HasPrefix(w, "--branch="):
			if t.Kind != KindGit || t.Branch != "" {
				return t, fmt.Errorf("bad %q", w)
			}
			t.Branch = strings.TrimPrefix(w, "--branch=")
		case strings.HasPrefix(w, "-"):
			return t, fmt.Errorf("unknown option %q", w)
		case t.Arg != "":
			return t, fmt.Errorf("one %s target a line (got %q and %q; quote nothing, paths with spaces are not supported)", t.Kind, t.Arg, w)
		default:
			t.Arg = w
		}
	}
	if t.Arg == "" {
		return t, fmt.Errorf("%s target without a path or reference", t.Kind)
	}
	return t, nil
}

// Hash is the hex SHA-256 of the normalised target list, one target a
// line in file order. Shards of one list carry the same hash; merge
// refuses shards whose hashes differ.
func Hash(ts []Target) string {
	h := sha256.New()
	for _, t := range ts {
		io.WriteString(h, t.String()+"\n")
	}
	return hex.EncodeToString(h.Sum(nil))
}
