package main

import (
	"context"
	"flag"

	"github.com/secretlint/secretlint/scan"
	"github.com/secretlint/secretlint/scan/files"
)

func init() {
	register(&command{name: "scan", summary: "scan files, directories, archives and stdin (-) for secrets", run: runScan})
}

// fileFlags are the flags of commands that read files and directories.
type fileFlags struct {
	gitignore     bool
	binary        bool
	archiveDepth  int
	archiveBudget byteSize
}

func addFileFlags(fs *flag.FlagSet) *fileFlags {
	f := &fileFlags{archiveDepth: 4, archiveBudget: 1 << 30}
	fs.BoolVar(&f.gitignore, "gitignore", false, "skip files that .gitignore excludes")
	fs.BoolVar(&f.binary, "binary", false, "scan binary files too")
	fs.IntVar(&f.archiveDepth, "archive-depth", f.archiveDepth, "how deep nested archives are opened")
	fs.Var(&f.archiveBudget, "archive-max-size", "cap on decompressed bytes per top-level archive")
	return f
}

func (f *fileFlags) source(e *env, o *scanOptions, paths []string) *files.Source {
	return files.New(paths,
		files.WithJobs(o.jobs),
		files.WithMaxFileSize(int64(o.maxFileSize)),
		files.WithGitignore(f.gitignore),
		files.WithBinary(f.binary),
		files.WithArchiveLimits(f.archiveDepth, int64(f.archiveBudget)),
		files.WithStdin(e.stdin),
	)
}

func runScan(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	o := addScanFlags(fs)
	ff := addFileFlags(fs)
	addVerifyFlags(fs, o)
	fs.Usage = func() {
		e.errorf("usage: secretlint scan [flags] [PATH ...]   (PATH '-' reads stdin; default .)")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(e, fs, args); !ok {
		return code
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	return e.execute(ctx, o, job{
		roots:        paths,
		sources:      []scan.Source{ff.source(e, o, paths)},
		policy:       true,
		requireInput: true,
		full:         true,
	})
}
