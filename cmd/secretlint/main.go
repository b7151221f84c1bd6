// Command secretlint finds leaked credentials in files, archives, git
// history, container images and logs, and lints how secrets are delivered
// and inventoried.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	// SECRETLINT_CPUPROFILE=FILE writes a CPU profile, for performance work.
	if p := os.Getenv("SECRETLINT_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, newEnv(), os.Args[1:])
	stop()
	pprof.StopCPUProfile() // os.Exit runs no deferred calls
	os.Exit(code)
}
