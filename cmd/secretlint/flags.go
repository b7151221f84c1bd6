package main

import (
	"errors"
	"flag"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/secretlint/secretlint/report"
)

// globalFlag is a flag that means the same in every command that takes it.
type globalFlag struct {
	name string
	// shorthand is the one-letter form users of gitleaks, kubectl and
	// ripgrep expect. A command's own one-letter flag wins (logs -f is
	// --follow, as in tail -f).
	shorthand string
	declare   func(fs *flag.FlagSet, o *scanOptions)
}

// globalFlags are declared here once, with their defaults and help; a
// command takes all of them (addScanFlags) or the ones it has a use for
// (addGlobalFlags), and its help lists them under "Global Flags".
var globalFlags = []globalFlag{
	{"format", "f", func(fs *flag.FlagSet, o *scanOptions) {
		fs.StringVar(&o.format, "format", "text", "report `FORMAT`: "+strings.Join(report.Formats, ", "))
	}},
	{"output", "o", func(fs *flag.FlagSet, o *scanOptions) {
		fs.StringVar(&o.output, "output", "", "write the report (redact: the redacted copy) to `FILE` (created with mode 0600) instead of stdout")
		// --force only qualifies --output, so it comes with it.
		fs.BoolVar(&o.force, "force", false, "replace a symlink at the --output path instead of refusing it (the link is never followed)")
	}},
	{"config", "c", func(fs *flag.FlagSet, o *scanOptions) {
		fs.StringVar(&o.configPath, "config", "", "configuration `FILE` (default: .secretlint.toml at the scan root, or beside redact's input)")
	}},
	{"baseline", "", func(fs *flag.FlagSet, o *scanOptions) {
		fs.StringVar(&o.baselinePath, "baseline", "", "suppress the findings recorded in baseline `FILE` (default: "+baselineFileName+" at the scan root, when there is one)")
	}},
	{"fail-on", "", func(fs *flag.FlagSet, o *scanOptions) {
		fs.StringVar(&o.failOn, "fail-on", "info", "exit 1 only for findings at or above this `SEVERITY`")
	}},
	{"jobs", "j", func(fs *flag.FlagSet, o *scanOptions) {
		fs.IntVar(&o.jobs, "jobs", runtime.GOMAXPROCS(0), "parallel workers (default: the number of CPUs)")
	}},
	{"show-secrets", "", func(fs *flag.FlagSet, o *scanOptions) {
		fs.BoolVar(&o.showSecrets, "show-secrets", false, "print raw secret values in reports (redacted by default)")
	}},
	{"quiet", "q", func(fs *flag.FlagSet, o *scanOptions) {
		fs.BoolVar(&o.quiet, "quiet", false, "no progress line, and no summary on stderr when nothing is found (redact: none at all)")
	}},
	{"no-color", "", func(fs *flag.FlagSet, o *scanOptions) {
		fs.BoolVar(&o.noColor, "no-color", false, "plain text output even on a terminal")
	}},
}

// addGlobalFlags registers the named global flags (every one when none is
// named) into a command's flag set, bound to o.
func addGlobalFlags(fs *flag.FlagSet, o *scanOptions, names ...string) {
	for _, g := range globalFlags {
		if len(names) == 0 || slices.Contains(names, g.name) {
			g.declare(fs, o)
		}
	}
}

// globalUsage is each global flag's help text, by name: a command's own
// flag that shares a name (inventory init's --force) is not the global one.
var globalUsage = func() map[string]string {
	fs := flag.NewFlagSet("global", flag.ContinueOnError)
	addGlobalFlags(fs, &scanOptions{})
	m := map[string]string{}
	fs.VisitAll(func(f *flag.Flag) { m[f.Name] = f.Usage })
	return m
}()

// isGlobal reports whether a command's flag is one of the global flags.
func isGlobal(name, usage string) bool {
	u, ok := globalUsage[name]
	return ok && u == usage
}

// shorthandFor is a global flag's one-letter form, or "".
func shorthandFor(name, usage string) string {
	if !isGlobal(name, usage) {
		return ""
	}
	for _, g := range globalFlags {
		if g.name == name {
			return g.shorthand
		}
	}
	return ""
}

// goValue lets pflag parse into a command's flag.FlagSet: each value goes
// through FlagSet.Set, so the command's fs.Visit and fs.Lookup see which
// flags were given, and a scalar flag given twice is an error rather than
// a silent override.
type goValue struct {
	fs   *flag.FlagSet
	f    *flag.Flag
	kind string
	seen bool
}

func (v *goValue) String() string { return v.f.Value.String() }
func (v *goValue) Type() string   { return v.kind }

func (v *goValue) Set(s string) error {
	if _, many := v.f.Value.(*listFlag); v.seen && v.kind != "bool" && !many {
		return errGivenTwice
	}
	v.seen = true
	return v.fs.Set(v.f.Name, s)
}

// IsBoolFlag is not consulted by pflag (NoOptDefVal is), but keeps the
// wrapper honest for code that asks.
func (v *goValue) IsBoolFlag() bool { return v.kind == "bool" }

var errGivenTwice = errors.New("given twice")

// listFlag is a flag that may be given many times, each time with one
// value or a comma-separated list (--enable-rule a --enable-rule b,c).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// pflagsFor builds the GNU-style flag set that parses a command's flags:
// --name and --name=value, one-letter shorthands, flags before, between
// and after the arguments, and "--" to end them.
func pflagsFor(fs *flag.FlagSet) *pflag.FlagSet {
	ps := pflag.NewFlagSet(fs.Name(), pflag.ContinueOnError)
	ps.SetInterspersed(true)
	ps.Usage = func() {}
	// One-letter flags documented as "shorthand for --x" become x's
	// shorthand, so help lists the flag once.
	alias := map[string]string{} // long name -> its one-letter flag
	taken := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		if len(f.Name) != 1 {
			return
		}
		taken[f.Name] = true
		if long, ok := strings.CutPrefix(f.Usage, "shorthand for --"); ok && fs.Lookup(long) != nil {
			alias[long] = f.Name
		}
	})
	fs.VisitAll(func(f *flag.Flag) {
		if long, ok := strings.CutPrefix(f.Usage, "shorthand for --"); ok && alias[long] == f.Name {
			return
		}
		kind, _ := flag.UnquoteUsage(f)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			kind = "bool"
		}
		if _, ok := f.Value.(*byteSize); ok {
			kind = "size"
		}
		if kind == "" {
			kind = "value"
		}
		pf := &pflag.Flag{
			Name:     f.Name,
			Usage:    f.Usage,
			Value:    &goValue{fs: fs, f: f, kind: kind},
			DefValue: f.DefValue,
		}
		switch {
		case strings.Contains(f.Usage, "(default"):
			// A usage that states its default in words (1GB) keeps only that.
			pf.DefValue = ""
		case kind == "string" && f.DefValue != "":
			// pflag would quote it: (default "text").
			pf.Usage += " (default " + f.DefValue + ")"
			pf.DefValue = ""
		}
		if kind == "bool" {
			pf.NoOptDefVal = "true"
		}
		switch s := alias[f.Name]; {
		case s != "":
			pf.Shorthand = s
		case len(f.Name) == 1:
			pf.Shorthand = f.Name
		default:
			if s := shorthandFor(f.Name, f.Usage); s != "" && !taken[s] {
				pf.Shorthand = s
			}
		}
		ps.AddFlag(pf)
	})
	if ps.Lookup("help") == nil {
		ps.BoolP("help", "h", false, "help for "+fs.Name())
	}
	return ps
}

// longSingleDash rewrites -name into --name where name is a long flag, so
// command lines written for the flag package (-format json) keep working.
// It stops at "--".
func longSingleDash(ps *pflag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if len(a) > 2 && a[0] == '-' && a[1] != '-' {
			name, _, _ := strings.Cut(a[1:], "=")
			if len(name) > 1 && ps.Lookup(name) != nil {
				a = "-" + a
			}
		}
		out = append(out, a)
	}
	return out
}

// flagError turns a pflag parse error into one line naming the flag and
// the fix.
func flagError(cmd string, ps *pflag.FlagSet, err error) string {
	var (
		notExist *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
	)
	switch {
	case errors.As(err, &notExist):
		name := notExist.GetSpecifiedName()
		spelled := "--" + name
		if len(name) == 1 {
			spelled = "-" + name
		}
		msg := fmt.Sprintf("%s: unknown flag %s", cmd, spelled)
		if s := suggestFlag(ps, name); s != "" {
			msg += fmt.Sprintf(" (did you mean %s?)", s)
		}
		return msg + fmt.Sprintf("; run 'secretlint %s --help' for its flags", cmd)
	case errors.As(err, &required):
		f := required.GetFlag()
		return fmt.Sprintf("--%s: missing value; write --%s %s", f.Name, f.Name, valueName(f))
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		if errors.Is(err, errGivenTwice) {
			return fmt.Sprintf("--%s given twice; pass it once", f.Name)
		}
		return fmt.Sprintf("--%s %q: %v", f.Name, invalid.GetValue(), errors.Unwrap(err))
	}
	return fmt.Sprintf("%s: %v", cmd, err)
}

func valueName(f *pflag.Flag) string {
	name, _ := pflag.UnquoteUsage(f)
	if name == "" {
		name = "VALUE"
	}
	return strings.ToUpper(name)
}

// suggestFlag names the long flag closest to a misspelt one, or "".
func suggestFlag(ps *pflag.FlagSet, name string) string {
	type cand struct {
		name string
		d    int
	}
	var cs []cand
	ps.VisitAll(func(f *pflag.Flag) {
		d := editDistance(strings.ToLower(name), f.Name)
		if d <= 2 || (len(name) >= 3 && strings.HasPrefix(f.Name, name)) {
			cs = append(cs, cand{f.Name, d})
		}
	})
	if len(cs) == 0 {
		return ""
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].d < cs[j].d || cs[i].d == cs[j].d && cs[i].name < cs[j].name })
	return "--" + cs[0].name
}

// editDistance is the Levenshtein distance between two flag names.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// hoistGlobalFlags moves global flags written before the command name
// (`secretlint --format json scan .`, `secretlint -q git .`) to just after
// it, where the command's flag set reads them. It stops at the first
// argument that is not a global flag or its value: anything else before
// the command (an unknown flag, --help, --version) is left where it is,
// for the root command to answer.
func hoistGlobalFlags(args []string) []string {
	fs := flag.NewFlagSet("global", flag.ContinueOnError)
	addGlobalFlags(fs, &scanOptions{})
	short := map[string]string{}
	for _, g := range globalFlags {
		if g.shorthand != "" {
			short[g.shorthand] = g.name
		}
	}
	i := 0
	for i < len(args) {
		a := args[i]
		var name string
		switch {
		case strings.HasPrefix(a, "--") && len(a) > 2:
			name = strings.TrimPrefix(a, "--")
		case strings.HasPrefix(a, "-") && len(a) == 2:
			name = short[a[1:]]
		}
		name, _, hasValue := strings.Cut(name, "=")
		f := fs.Lookup(name)
		if f == nil {
			break
		}
		i++
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); (ok && b.IsBoolFlag()) || hasValue {
			continue
		}
		if i == len(args) {
			return args // the value is missing: the root command says so
		}
		i++
	}
	if i == 0 || i == len(args) || strings.HasPrefix(args[i], "-") {
		return args
	}
	if _, ok := commands[args[i]]; !ok {
		return args
	}
	out := make([]string, 0, len(args))
	out = append(out, args[i])
	out = append(out, args[:i]...)
	return append(out, args[i+1:]...)
}
