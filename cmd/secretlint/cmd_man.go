package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/cpuguy83/go-md2man/v2/md2man"
)

func init() {
	register(&command{name: "man", summary: "write man pages for every command to a directory (default .)", run: runMan})
}

func runMan(ctx context.Context, e *env, args []string) int {
	if wantsHelp(args) {
		fmt.Fprint(e.stdout, "usage: secretlint man [DIR]   (default .)\n\n"+
			"Writes secretlint.1 and secretlint-COMMAND.1 for every command to DIR, from the\n"+
			"same command tree as --help. Install them under a man path, e.g.\n"+
			"  secretlint man ~/.local/share/man/man1\n")
		return exitClean
	}
	if len(args) > 1 {
		e.errorf("man: want at most one directory, got %d arguments", len(args))
		return exitUsage
	}
	dir := "."
	if len(args) == 1 {
		dir = args[0]
	}
	pages, err := manPages(ctx)
	if err != nil {
		e.errorf("man: %v", err)
		return exitUsage
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		e.errorf("man: %v", err)
		return exitUsage
	}
	for _, name := range sortedKeys(pages) {
		if err := os.WriteFile(filepath.Join(dir, name), pages[name], 0o644); err != nil {
			e.errorf("man: %v", err)
			return exitUsage
		}
	}
	fmt.Fprintf(e.stderr, "wrote %d man pages to %s\n", len(pages), dir)
	return exitClean
}

// helpText runs the CLI in-process with args and returns what it prints.
func helpText(ctx context.Context, args ...string) (string, error) {
	var out bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &out,
		getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false }}
	if code := run(ctx, e, args); code != exitClean {
		return "", fmt.Errorf("secretlint %s: exit %d", strings.Join(args, " "), code)
	}
	return out.String(), nil
}

// flagLine is one line of pflag's flag list: "  -f, --format FORMAT   usage".
var flagLine = regexp.MustCompile(`^\s+(?:-(\w), )?--([\w-]+)(?: (\S+))?\s{2,}(.*)$`)

// manPages renders a page per command from its help, through markdown
// (go-md2man), so the pages say exactly what --help says.
func manPages(ctx context.Context) (map[string][]byte, error) {
	top, err := helpText(ctx, "--help")
	if err != nil {
		return nil, err
	}
	pages := map[string][]byte{}
	code := exitClean
	root := newRoot(ctx, &env{}, &code)
	var names []string
	var cmds strings.Builder
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() {
			continue
		}
		names = append(names, c.Name())
		fmt.Fprintf(&cmds, "**secretlint %s**\n: %s\n\n", c.Name(), mdEscape(c.Short))
	}
	seeAlso := make([]string, 0, len(names))
	for _, n := range names {
		seeAlso = append(seeAlso, "**secretlint-"+n+"**(1)")
	}
	exitStatus := "# EXIT STATUS\n\n" + "**0**\n: nothing found\n\n**1**\n: findings at or above **--fail-on**\n\n" +
		"**2**\n: usage or configuration error\n\n**3**\n: some input could not be read and nothing was found\n\n" +
		"**130**, **143**\n: interrupted by SIGINT or SIGTERM; the partial report lists the interruption as an error\n\n"
	var b strings.Builder
	b.WriteString("% SECRETLINT 1 \"\" \"secretlint\" \"User Commands\"\n\n# NAME\n\nsecretlint - " + mdEscape(root.Short) + "\n\n")
	b.WriteString("# SYNOPSIS\n\n**secretlint** *command* [*flags*] [*args*]\n\n# DESCRIPTION\n\n")
	b.WriteString(mdEscape(strings.TrimSpace(strings.SplitN(top, "\n", 2)[0])) +
		" Flags may come before or after arguments, and global flags before the command name too; **--** ends them.\n\n# COMMANDS\n\n" + cmds.String())
	b.WriteString(exitStatus + "# SEE ALSO\n\n" + strings.Join(seeAlso, ", ") + "\n")
	pages["secretlint.1"] = md2man.Render([]byte(b.String()))

	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() {
			continue
		}
		args := []string{c.Name(), "--help"}
		if c.Name() == "completion" {
			args = []string{"help", "completion"}
		}
		help, err := helpText(ctx, args...)
		if err != nil {
			return nil, err
		}
		pages["secretlint-"+c.Name()+".1"] = md2man.Render([]byte(manPage(c.Name(), c.Short, help, exitStatus)))
	}
	return pages, nil
}

// manPage is one command's page in go-md2man's markdown.
func manPage(name, short, help, exitStatus string) string {
	var synopsis, desc []string
	var opts strings.Builder
	inFlags := false
	for _, line := range strings.Split(strings.TrimRight(help, "\n"), "\n") {
		switch {
		case line == "Flags:" || line == "Global Flags:":
			inFlags = true
		case inFlags:
			m := flagLine.FindStringSubmatch(line)
			if m == nil {
				if strings.TrimSpace(line) != "" {
					desc = append(desc, strings.TrimSpace(line))
				}
				continue
			}
			term := "**--" + m[2] + "**"
			if m[1] != "" {
				term = "**-" + m[1] + "**, " + term
			}
			if m[3] != "" {
				term += " *" + m[3] + "*"
			}
			fmt.Fprintf(&opts, "%s\n: %s\n\n", term, mdEscape(m[4]))
		case strings.HasPrefix(line, "usage: "):
			synopsis = append(synopsis, strings.TrimPrefix(line, "usage: "))
		case strings.TrimSpace(line) != "":
			desc = append(desc, strings.TrimSpace(line))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%% SECRETLINT-%s 1 \"\" \"secretlint\" \"User Commands\"\n\n# NAME\n\nsecretlint-%s - %s\n\n",
		strings.ToUpper(name), name, mdEscape(short))
	if len(synopsis) > 0 {
		b.WriteString("# SYNOPSIS\n\n")
		for _, s := range synopsis {
			b.WriteString(mdEscape(s) + "\n\n")
		}
	}
	b.WriteString("# DESCRIPTION\n\n" + mdEscape(short) + ".\n\n")
	for _, d := range desc {
		b.WriteString(mdEscape(d) + "\n\n")
	}
	if opts.Len() > 0 {
		b.WriteString("# OPTIONS\n\n" + opts.String())
	}
	b.WriteString(exitStatus + "# SEE ALSO\n\n**secretlint**(1)\n")
	return b.String()
}

// mdEscape keeps help text literal in markdown: *, _, ` and [ are not
// markup there.
func mdEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "<", `\<`)
	return r.Replace(s)
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
