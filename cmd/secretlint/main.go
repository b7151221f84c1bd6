// Command secretlint finds leaked credentials in files, archives, git
// history, container images and logs, and lints how secrets are delivered
// and inventoried.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"
)

// stopGrace is how long a command has, after SIGINT or SIGTERM, to write
// its partial report before the process exits without one.
const stopGrace = time.Second

func main() {
	// SECRETLINT_CPUPROFILE=FILE writes a CPU profile, for performance work.
	if p := os.Getenv("SECRETLINT_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
		}
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := (<-sigs).(syscall.Signal)
		cancel(&interrupted{sig})
		// The command stops at its next read and reports what it saw; one
		// stuck in a call that cannot be interrupted, or a second signal,
		// ends the process.
		select {
		case <-sigs:
		case <-time.After(stopGrace):
			fmt.Fprintf(os.Stderr, "secretlint: %v: did not stop in time; no report\n", sig)
		}
		pprof.StopCPUProfile()
		os.Exit(signalExit(sig))
	}()
	code := run(ctx, newEnv(), os.Args[1:])
	signal.Stop(sigs)
	if err, ok := context.Cause(ctx).(*interrupted); ok {
		code = signalExit(err.sig)
	}
	pprof.StopCPUProfile() // os.Exit runs no deferred calls
	os.Exit(code)
}
