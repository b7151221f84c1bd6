package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/secretlint/secretlint/report"
	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/logs"
)

func init() {
	register(&command{name: "redact", summary: "copy a log with every secret replaced by [REDACTED:<rule-id>]; exit 1 if anything was redacted", run: runRedact})
}

func runRedact(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("redact", flag.ContinueOnError)
	o := &scanOptions{}
	addGlobalFlags(fs, o, "output", "config", "quiet")
	fs.BoolVar(&o.noDecode, "no-decode", false, "do not look inside base64, hex and percent-encoded text")
	lf := addLogFlags(fs)
	fs.Usage = func() {
		e.errorf("usage: secretlint redact [flags] [FILE|-]   (default -: stdin)")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	in := logs.Stdin
	switch fs.NArg() {
	case 0:
	case 1:
		in = fs.Arg(0)
	default:
		e.errorf("redact takes one input; run it once per file")
		return exitUsage
	}
	if o.output != "" {
		// Opening the output truncates it: were it the input, the copy
		// would read an empty file and the original would be gone.
		if sameFile(e.stdin, in, o.output) {
			e.errorf("--output %s is the input; write the copy elsewhere", o.output)
			return exitUsage
		}
		if err := checkOutput(o.output, o.force); err != nil {
			e.errorf("--output: %v", err)
			return exitUsage
		}
	}
	cfg, err := loadConfig(o, []string{in})
	if err != nil {
		e.errorf("%v", err)
		return exitUsage
	}
	eng := engineFor(o, cfg)

	// Standard input may be an idle pipe or a terminal: reading it must
	// not outlast an interrupt.
	var r io.Reader = scan.CancelReader(ctx, e.stdin)
	if in != logs.Stdin {
		f, err := os.Open(in)
		if err != nil {
			e.errorf("%v", err)
			return exitInput
		}
		defer f.Close()
		r = f
	}
	var w io.Writer = e.stdout
	var out *os.File
	if o.output != "" {
		if out, err = createOutput(o.output, o.force, e.errorf); err != nil {
			e.errorf("redact: %v", err)
			return exitUsage
		}
		w = out
	}
	found, err := logs.Redact(ctx, eng, filepath.ToSlash(in), r, w, logs.WithWindow(int(lf.window)))
	if out != nil {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write %s: %w", o.output, cerr)
		}
	}
	if !o.quiet {
		fmt.Fprintf(e.stderr, "redacted %d secret(s) in %s\n", len(found), report.Printable(in))
	}
	if err != nil {
		e.errorf("%v", err)
		if errors.Is(err, context.Canceled) {
			return exitInput
		}
		return exitInput
	}
	if len(found) > 0 {
		return exitFindings
	}
	return exitClean
}

// sameFile reports whether the output path names the input: the same
// path, or the same file by device and inode (a hard link, a symlink, or
// standard input redirected from it).
func sameFile(stdin io.Reader, in, output string) bool {
	if in == logs.Stdin {
		f, ok := stdin.(*os.File)
		if !ok {
			return false
		}
		fa, err1 := f.Stat()
		fb, err2 := os.Stat(output)
		return err1 == nil && err2 == nil && fa.Mode().IsRegular() && os.SameFile(fa, fb)
	}
	fa, err1 := os.Stat(in)
	fb, err2 := os.Stat(output)
	if err1 == nil && err2 == nil {
		return os.SameFile(fa, fb)
	}
	aa, _ := filepath.Abs(in)
	bb, _ := filepath.Abs(output)
	return aa == bb
}
