package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

// exitCodesHelp ends the top-level help: CI gates branch on these.
const exitCodesHelp = "Exit codes: 0 clean, 1 findings, 2 usage or config error, 3 unreadable input and nothing found,\n" +
	"130/143 interrupted by SIGINT/SIGTERM (the partial report lists the interruption as an error).\n"

// newRoot builds the command tree. Cobra routes to a command, answers help,
// version and shell completion, and suggests a command for a misspelt one;
// each command parses its own flags with pflag (see parseFlags), so its
// flag set stays beside the code that reads it. *code receives the exit
// code of the command that ran.
func newRoot(ctx context.Context, e *env, code *int) *cobra.Command {
	var root *cobra.Command
	root = &cobra.Command{
		Use:           "secretlint",
		Short:         "secretlint finds leaked credentials and lints how secrets are handled.",
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if v, _ := cmd.Flags().GetBool("version"); v {
				fmt.Fprint(e.stdout, versionText())
				return nil
			}
			usage(e.stderr, root)
			*code = exitUsage
			return nil
		},
	}
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetIn(e.stdin)
	// Not cobra's Version field: its template would pull in text/template,
	// which stops the linker dropping unused methods (a binary 8 MB larger).
	root.Flags().BoolP("version", "v", false, "print the version, VCS revision and Go version")
	defaultHelp := root.HelpFunc()
	root.SetHelpFunc(func(c *cobra.Command, args []string) {
		if c == root {
			usage(e.stdout, root)
			return
		}
		defaultHelp(c, args)
	})
	for _, name := range commandNames() {
		c := commands[name]
		cc := &cobra.Command{
			Use:   c.name,
			Short: c.summary,
			// The command's own parseFlags reads every argument, so flags
			// may follow paths and its flag set lives with its code.
			DisableFlagParsing: true,
			RunE: func(cmd *cobra.Command, args []string) error {
				*code = c.run(cmd.Context(), e, args)
				return nil
			},
			ValidArgsFunction: func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
				return completeFlags(ctx, e, c, args, toComplete)
			},
		}
		cc.SetHelpFunc(func(*cobra.Command, []string) { c.run(ctx, e, []string{"--help"}) })
		root.AddCommand(cc)
	}
	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "print the version, VCS revision and Go version of this build",
		Args:  cobra.NoArgs,
		Run:   func(*cobra.Command, []string) { fmt.Fprint(e.stdout, versionText()) },
	})
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "print a command's help",
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				usage(e.stdout, root)
				return nil
			}
			c, _, err := root.Find(args)
			if err != nil || c == root {
				*code = unknownCommand(e, root, args[0])
				return nil
			}
			return c.Help()
		},
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(c.Name(), c.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
	})
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	return root
}

// unknownCommand reports a command name that is not one, with the closest
// command, and returns the usage exit code.
func unknownCommand(e *env, root *cobra.Command, name string) int {
	msg := fmt.Sprintf("unknown command %q", name)
	if s := root.SuggestionsFor(name); len(s) > 0 {
		msg += fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	e.errorf("%s; run 'secretlint help' for the commands", msg)
	return exitUsage
}

// completeFlags completes a command's flag names from the flag set it
// declares (parseFlags records it without running the command); anything
// else completes as a file name.
func completeFlags(ctx context.Context, e *env, c *command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if !strings.HasPrefix(toComplete, "-") {
		if c.name == "inventory" && len(args) == 0 {
			return []cobra.Completion{"check", "checks", "fingerprint", "init"}, cobra.ShellCompDirectiveNoFileComp
		}
		return nil, cobra.ShellCompDirectiveDefault
	}
	var fs *flag.FlagSet
	probe := &env{
		stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		getenv: e.getenv, isTerminal: func(any) bool { return false },
		capture: &fs,
	}
	c.run(ctx, probe, args)
	if fs == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) > 1 && strings.HasPrefix("--"+f.Name, toComplete) {
			_, u := flag.UnquoteUsage(f)
			out = append(out, cobra.CompletionWithDesc("--"+f.Name, u))
		}
	})
	return out, cobra.ShellCompDirectiveNoFileComp
}

func commandNames() []string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// usage is the top-level help.
func usage(w io.Writer, root *cobra.Command) {
	var b strings.Builder
	b.WriteString(root.Short + "\n\nUsage:\n  secretlint <command> [flags] [args]\n\nCommands:\n")
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() || c.Name() == "help" {
			fmt.Fprintf(&b, "  %-12s %s\n", c.Name(), c.Short)
		}
	}
	b.WriteString("\nFlags may come before or after arguments; '--' ends them.\n" +
		"Run 'secretlint help <command>' or 'secretlint <command> --help' for a command's flags.\n" + exitCodesHelp)
	io.WriteString(w, b.String())
}
