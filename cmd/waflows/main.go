// Command waflows runs a local WhatsApp Flows API server that behaves like Meta's Graph API.
//
//	waflows serve [--addr 127.0.0.1:8080] [--db ./waflows-data/waflows.db] [--config access.yaml] [--public-url URL]
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// usageError marks a mistake in the command line (exit status 2).
type usageError struct{ error }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = usageError{fmt.Errorf("unknown command %q", args[0])}
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "waflows: %v\n\n%s", err, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "waflows: %v\n", err)
		return 1
	}
}

const usage = `Usage: waflows <command> [flags]

Commands:
  serve      run the WhatsApp Flows API server (see waflows serve -h)
  help       show this help
`
