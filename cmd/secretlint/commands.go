package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"syscall"

	"golang.org/x/term"
)

// Exit codes. Scripts and CI gates depend on them.
const (
	exitClean    = 0 // nothing found
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // usage or configuration error
	exitInput    = 3 // some input could not be read and nothing was found
	// A run ended by SIGINT exits 130, by SIGTERM 143 (see signalExit).
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// env is the process environment a command runs in, so tests can run the
// CLI in-process with their own streams.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// isTerminal reports whether a stream is an interactive terminal.
	isTerminal func(w any) bool
}

func newEnv() *env {
	return &env{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
		isTerminal: func(s any) bool {
			f, ok := s.(*os.File)
			return ok && term.IsTerminal(int(f.Fd()))
		},
	}
}

// errorf prints an error message to stderr.
func (e *env) errorf(format string, args ...any) {
	fmt.Fprintf(e.stderr, "secretlint: "+format+"\n", args...)
}

// command is one subcommand. Each lives in its own file and registers itself.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			if c, ok := commands[args[1]]; ok {
				return c.run(ctx, e, []string{"--help"})
			}
			e.errorf("unknown command %q; run 'secretlint help'", args[1])
			return exitUsage
		}
		usage(e.stdout)
		return exitClean
	case "-version", "--version", "version":
		fmt.Fprint(e.stdout, versionText())
		return exitClean
	}
	c, ok := commands[args[0]]
	if !ok {
		e.errorf("unknown command %q; run 'secretlint help'", args[0])
		return exitUsage
	}
	return c.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("secretlint finds leaked credentials and lints how secrets are handled.\n\nUsage:\n  secretlint <command> [flags] [args]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", n, commands[n].summary)
	}
	b.WriteString("\nRun 'secretlint <command> -h' for a command's flags.\nExit codes: 0 clean, 1 findings, 2 usage or config error, 3 unreadable input and nothing found,\n130/143 interrupted by SIGINT/SIGTERM (the partial report lists the interruption as an error).\n")
	io.WriteString(w, b.String())
}

// interrupted is the cause of a run's context ending on a signal.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string { return "interrupted by " + signalName(e.sig) }

func signalName(s os.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
}

// signalExit is the shell's exit status for a process a signal ended:
// 130 for SIGINT, 143 for SIGTERM.
func signalExit(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitInput
}
