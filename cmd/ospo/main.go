// Command ospo is the Open Source Program Office's catalogue: it scans an
// organisation's repositories and answers questions about them.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/ospo-project/ospo/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
