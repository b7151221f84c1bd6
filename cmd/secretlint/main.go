// Command secretlint finds leaked credentials in files, archives, git
// history, container images and logs, and lints how secrets are delivered
// and inventoried.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, newEnv(), os.Args[1:])
	stop()
	os.Exit(code)
}
