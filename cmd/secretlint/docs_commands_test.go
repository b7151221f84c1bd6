package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// docCommand is one secretlint command line from the documentation.
type docCommand struct {
	file string
	line int
	args []string // after "secretlint"
}

// docCommands returns every secretlint command line in the fenced code
// blocks of README.md and docs/*.md (docs/cli.md is the generated help, not
// examples): shell comments, pipes and redirections cut off, continuation
// lines joined, and lines that are a command's synopsis ([PATH], ...) or
// a description column left out.
func docCommands(t *testing.T) []docCommand {
	root := moduleRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append([]string{filepath.Join(root, "README.md")}, files...)
	lead := regexp.MustCompile(`^\s*(?:\$\s+|-\s+run:\s+|run:\s+|script:\s*-\s*)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*secretlint\s+([a-z].*)$`)
	var out []docCommand
	for _, f := range files {
		if filepath.Base(f) == "cli.md" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		inCode := false
		for i := 0; i < len(lines); i++ {
			l := lines[i]
			if strings.HasPrefix(strings.TrimSpace(l), "```") {
				inCode = !inCode
				continue
			}
			if !inCode {
				continue
			}
			n := i + 1
			for strings.HasSuffix(l, "\\") && i+1 < len(lines) {
				i++
				l = strings.TrimSuffix(l, "\\") + " " + strings.TrimSpace(lines[i])
			}
			m := lead.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			cmd := cutShell(m[1])
			if strings.ContainsAny(cmd, "[]…") || strings.Contains(cmd, "...") || strings.Contains(cmd, "  ") || strings.Contains(cmd, " | ") {
				continue // a synopsis or a description column
			}
			args := shellFields(cmd)
			if len(args) == 0 || commands[args[0]] == nil || args[0] == "man" {
				continue
			}
			out = append(out, docCommand{file: filepath.Base(f), line: n, args: args})
		}
	}
	return out
}

// cutShell drops what follows the command on its shell line: a comment, a
// pipe, a list operator or a redirection.
func cutShell(s string) string {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || s[i-1] == ' '), c == '|', c == ';', c == '>', c == '<', c == '&':
			return strings.TrimSpace(s[:i])
		}
	}
	return strings.TrimSpace(s)
}

// shellFields splits a command line into words, as the shell would before
// expansion (quotes removed, variables left as written).
func shellFields(s string) []string {
	var out []string
	var cur strings.Builder
	quote, in := byte(0), false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote, in = c, true
		case c == ' ' || c == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// parsedLine is what a command made of its command line: every flag's
// value and the arguments.
type parsedLine struct {
	Flags map[string]string
	Args  []string
}

// parseOnly runs the CLI on args up to the end of flag parsing.
func parseOnly(args []string) (parsedLine, int, string) {
	var got parsedLine
	var stderr strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &stderr,
		getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false },
		parsed: func(fs *flag.FlagSet) {
			got.Flags = map[string]string{}
			fs.VisitAll(func(f *flag.Flag) { got.Flags[f.Name] = f.Value.String() })
			got.Args = fs.Args()
		}}
	code := run(context.Background(), e, args)
	return got, code, stderr.String()
}

// flagSetOf returns the flag set a command line's command declares.
func flagSetOf(args []string) *flag.FlagSet {
	var fs *flag.FlagSet
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false }, capture: &fs}
	run(context.Background(), e, args)
	return fs
}

// reorder returns a command line with its flags first and with its flags
// last (after the arguments); ok is false when it has no flags and
// arguments to swap, or a "--".
func reorder(args []string) (first, last []string, ok bool) {
	head := 1
	if args[0] == "inventory" && len(args) > 1 {
		head = 2
	}
	fs := flagSetOf(args)
	if fs == nil {
		return nil, nil, false
	}
	var flags, pos []string
	rest := args[head:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			return nil, nil, false
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		flags = append(flags, a)
		f := fs.Lookup(name)
		if f == nil && len(name) == 1 {
			fs.VisitAll(func(g *flag.Flag) {
				if shorthandFor(g.Name, g.Usage) == name {
					f = g
				}
			})
		}
		if f == nil || hasValue {
			continue
		}
		if b, isBool := f.Value.(interface{ IsBoolFlag() bool }); isBool && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(rest) {
			i++
			flags = append(flags, rest[i])
		}
	}
	if len(flags) == 0 || len(pos) == 0 {
		return nil, nil, false
	}
	cmd := args[:head:head]
	first = append(append(append([]string{}, cmd...), flags...), pos...)
	last = append(append(append([]string{}, cmd...), pos...), flags...)
	return first, last, true
}

// Every command line the README and docs/ show parses the same with its
// flags before its arguments and after them: each flag's value and the
// arguments are identical, so the reports are too (TestFlagsAfterArguments
// runs a set of them for real and compares the reports). Run with -v for
// the table.
func TestDocCommandLinesInBothFlagOrders(t *testing.T) {
	cmds := docCommands(t)
	if len(cmds) < 20 {
		t.Fatalf("found %d command lines in README.md and docs/; the extraction is broken", len(cmds))
	}
	var table []string
	swapped := 0
	for _, c := range cmds {
		line := strings.Join(c.args, " ")
		got, code, stderr := parseOnly(c.args)
		if code == exitClean && got.Flags == nil && flagSetOf(c.args) == nil {
			table = append(table, fmt.Sprintf("| %s:%d | `secretlint %s` | takes no flags |", c.file, c.line, line))
			continue
		}
		if code != exitClean || got.Flags == nil {
			t.Errorf("%s:%d: secretlint %s: exit %d: %s", c.file, c.line, line, code, stderr)
			continue
		}
		first, last, ok := reorder(c.args)
		verdict := "no flags and arguments to swap"
		if ok {
			swapped++
			a, codeA, errA := parseOnly(first)
			b, codeB, errB := parseOnly(last)
			switch diff := cmp.Diff(a, b); {
			case codeA != exitClean || codeB != exitClean:
				t.Errorf("%s:%d: exit %d (flags first: %s) and %d (flags last: %s)", c.file, c.line, codeA, errA, codeB, errB)
				verdict = "FAILS"
			case diff != "":
				t.Errorf("%s:%d: secretlint %s: flags first and flags last differ (-first +last):\n%s", c.file, c.line, line, diff)
				verdict = "DIFFERS"
			case !cmp.Equal(a, got):
				t.Errorf("%s:%d: secretlint %s: reordered flags parse differently from the line as written", c.file, c.line, line)
				verdict = "DIFFERS from as written"
			default:
				verdict = "identical"
			}
		}
		table = append(table, fmt.Sprintf("| %s:%d | `secretlint %s` | %s |", c.file, c.line, line, verdict))
	}
	sort.Strings(table)
	t.Logf("%d command lines, %d with flags and arguments swapped\n| where | command line | flags first vs last |\n| --- | --- | --- |\n%s", len(cmds), swapped, strings.Join(table, "\n"))
}
