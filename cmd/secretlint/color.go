package main

import (
	"io"
	"os"
	"strings"

	"github.com/muesli/termenv"
)

// colorProfile is the colour profile for output to w, read the way termenv
// reads the environment: --no-color and NO_COLOR turn colour off (as does
// CLICOLOR=0); FORCE_COLOR or CLICOLOR_FORCE turn it on even when w is a
// pipe or a file (FORCE_COLOR=2 and 3 ask for 256 and true colours,
// FORCE_COLOR=0 turns colour off); otherwise colour needs a terminal, in
// the profile its TERM and COLORTERM say, basic ANSI when they say nothing.
func (e *env) colorProfile(w io.Writer, noColor bool) termenv.Profile {
	if noColor {
		return termenv.Ascii
	}
	tty := e.isTerminal(w)
	out := termenv.NewOutput(w, termenv.WithEnvironment(environ{e.getenv}), termenv.WithTTY(tty))
	if out.EnvNoColor() {
		return termenv.Ascii
	}
	force, forced := forceColor(e.getenv("FORCE_COLOR"))
	if forced && force == termenv.Ascii {
		return termenv.Ascii
	}
	// Ascii when w is no terminal, unless CLICOLOR_FORCE (then ANSI).
	p := out.EnvColorProfile()
	if p == termenv.Ascii && (forced || tty && e.getenv("TERM") != "dumb") {
		// Forced, or a terminal whose TERM says nothing (unset, a
		// wrapped writer): basic ANSI.
		p = termenv.ANSI
	}
	if forced && force < p {
		p = force // richer colours asked for (a lower Profile is richer)
	}
	return p
}

// forceColor reads FORCE_COLOR as Node's chalk and many other tools do:
// unset or empty means no say; 0 or false, off; 2, 256 colours; 3, true
// colour; anything else (1, true), basic colours.
func forceColor(v string) (termenv.Profile, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return 0, false
	case "0", "false":
		return termenv.Ascii, true
	case "2":
		return termenv.ANSI256, true
	case "3":
		return termenv.TrueColor, true
	}
	return termenv.ANSI, true
}

// environ lets termenv read the command's environment (tests set their own).
type environ struct{ getenv func(string) string }

func (e environ) Getenv(k string) string { return e.getenv(k) }

func (e environ) Environ() []string {
	var out []string
	for _, k := range []string{"TERM", "COLORTERM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "CI", "GOOGLE_CLOUD_SHELL", "TERM_PROGRAM"} {
		if v := e.getenv(k); v != "" {
			out = append(out, k+"="+v)
		}
	}
	return out
}

var _ termenv.Environ = environ{os.Getenv}
