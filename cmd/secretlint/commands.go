package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"golang.org/x/term"

	"github.com/secretlint/secretlint/report"
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
	// capture, when set, makes parseFlags record a command's flag set and
	// return before the command does anything (shell completion asks).
	capture **flag.FlagSet
	// parsed, when set, receives a command's flag set once parseFlags has
	// parsed the command line, and the command returns without doing
	// anything (the documentation's command lines are checked this way).
	parsed func(fs *flag.FlagSet)
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

// errorf prints an error message to stderr, with control characters from
// file names and input escaped so they cannot drive the terminal.
func (e *env) errorf(format string, args ...any) {
	fmt.Fprintln(e.stderr, report.PrintableLines("secretlint: "+fmt.Sprintf(format, args...)))
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

// run executes one command line and returns the process's exit code.
func run(ctx context.Context, e *env, args []string) int {
	code := exitClean
	root := newRoot(ctx, e, &code)
	if len(args) == 0 {
		usage(e.stderr, root)
		return exitUsage
	}
	// The flag package's spellings of the top-level flags still work.
	switch args[0] {
	case "-help":
		args = append([]string{"--help"}, args[1:]...)
	case "-version":
		args = append([]string{"--version"}, args[1:]...)
	}
	args = hoistGlobalFlags(args)
	// Cobra's own answer spans lines; a script's log wants one.
	if c, _, err := root.Find(args); (err != nil || c == root) && !strings.HasPrefix(args[0], "-") && !strings.HasPrefix(args[0], "__") {
		return unknownCommand(e, root, args[0])
	}
	root.SetArgs(args)
	if err := root.ExecuteContext(ctx); err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	return code
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
