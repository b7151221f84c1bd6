package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/muesli/termenv"
)

// Colour follows --no-color, NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE and the
// terminal, in that order of say.
func TestColorProfile(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		tty     bool
		noColor bool
		want    termenv.Profile
	}{
		{"pipe", nil, false, false, termenv.Ascii},
		{"terminal, TERM unset", nil, true, false, termenv.ANSI},
		{"terminal, 256 colours", map[string]string{"TERM": "xterm-256color"}, true, false, termenv.ANSI256},
		{"terminal, truecolor", map[string]string{"TERM": "xterm-256color", "COLORTERM": "truecolor"}, true, false, termenv.TrueColor},
		{"dumb terminal", map[string]string{"TERM": "dumb"}, true, false, termenv.Ascii},
		{"NO_COLOR on a terminal", map[string]string{"NO_COLOR": "1"}, true, false, termenv.Ascii},
		{"--no-color on a terminal", nil, true, true, termenv.Ascii},
		{"CLICOLOR=0 on a terminal", map[string]string{"CLICOLOR": "0"}, true, false, termenv.Ascii},
		{"FORCE_COLOR on a pipe", map[string]string{"FORCE_COLOR": "1"}, false, false, termenv.ANSI},
		{"FORCE_COLOR=3 on a pipe", map[string]string{"FORCE_COLOR": "3"}, false, false, termenv.TrueColor},
		{"FORCE_COLOR=0 on a terminal", map[string]string{"FORCE_COLOR": "0"}, true, false, termenv.Ascii},
		{"CLICOLOR_FORCE on a pipe", map[string]string{"CLICOLOR_FORCE": "1"}, false, false, termenv.ANSI},
		{"CLICOLOR_FORCE=0 on a pipe", map[string]string{"CLICOLOR_FORCE": "0"}, false, false, termenv.Ascii},
		{"NO_COLOR beats FORCE_COLOR", map[string]string{"NO_COLOR": "1", "FORCE_COLOR": "1"}, false, false, termenv.Ascii},
		{"NO_COLOR beats CLICOLOR_FORCE", map[string]string{"NO_COLOR": "1", "CLICOLOR_FORCE": "1"}, true, false, termenv.Ascii},
		{"--no-color beats FORCE_COLOR", map[string]string{"FORCE_COLOR": "1"}, false, true, termenv.Ascii},
	}
	for _, tc := range tests {
		e := &env{getenv: func(k string) string { return tc.env[k] }, isTerminal: func(any) bool { return tc.tty }}
		if got := e.colorProfile(&bytes.Buffer{}, tc.noColor); got != tc.want {
			t.Errorf("%s: profile %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The text report and the listings take colour from the same decision: a
// piped scan with FORCE_COLOR is coloured, with NO_COLOR too it is not.
func TestForceColorReachesReports(t *testing.T) {
	dir := writeTree(t, map[string]string{"app.env": "TOKEN=" + githubPAT(5) + "\n"})
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{nil, false},
		{map[string]string{"FORCE_COLOR": "1"}, true},
		{map[string]string{"CLICOLOR_FORCE": "1"}, true},
		{map[string]string{"FORCE_COLOR": "1", "NO_COLOR": "1"}, false},
	} {
		for _, args := range [][]string{{"scan", "--no-policy", dir}, {"policy", "--list"}, {"rules"}} {
			r := runCLI(t, cliOpts{env: tc.env}, args...)
			if got := strings.Contains(r.stdout, "\x1b["); got != tc.want {
				t.Errorf("%v with %v: colour %v, want %v", args, tc.env, got, tc.want)
			}
		}
	}
}
