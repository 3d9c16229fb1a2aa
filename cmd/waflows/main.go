// Command waflows runs a local WhatsApp Flows API server that behaves like Meta's Graph API, and validates
// Flow JSON files the way Meta does.
//
//	waflows serve [--addr 127.0.0.1:8080] [--db ./waflows-data/waflows.db] [--config access.yaml] [--public-url URL]
//	waflows validate [--json] FILE...
//	waflows flows list|get|create|update|delete|upload|assets|download|publish|deprecate …
//	waflows push FILE --waba ID --name NAME [--category C…] [--publish]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-signals
		cancel()
		// Every command stops within stopGrace of the first signal: the context ends its work, and
		// whatever a context cannot interrupt (a read from a terminal) ends here, as does a second signal.
		select {
		case <-signals:
		case <-time.After(stopGrace):
		}
		fmt.Fprintln(os.Stderr, "waflows: interrupted")
		os.Exit(exitInterrupted)
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// stopGrace is how long a command may take to stop after SIGINT or SIGTERM; serve drains requests for
// less than this (shutdownGrace).
const stopGrace = time.Second

// exitInterrupted is the exit status of a command stopped by a signal (128 + SIGINT, as shells report it).
const exitInterrupted = 130

// usageError marks a mistake in the command line (exit status 2).
type usageError struct{ error }

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], stdout, stderr)
	case "validate":
		err = validate(ctx, args[1:], stdin, stdout, stderr)
	case "flows":
		err = flowsCommand(ctx, args[1:], stdout, stderr)
	case "push":
		err = push(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = usageError{fmt.Errorf("unknown command %q", args[0])}
	}
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		fmt.Fprintln(stderr, "waflows: interrupted")
		return exitInterrupted
	case errors.Is(err, errInvalid):
		return 1
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "waflows: %v\n\n%s", err, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "waflows: %v\n", err)
		if args[0] == "validate" {
			return 2 // I/O errors; 1 means validation errors
		}
		return 1
	}
}

const usage = `Usage: waflows <command> [flags]

Commands:
  serve      run the WhatsApp Flows API server (see waflows serve -h)
  validate   check Flow JSON files as Meta does (see waflows validate -h)
  flows      manage flows through the API: list, get, create, update, delete, upload, assets,
             download, publish, deprecate (see waflows flows help)
  push       validate a Flow JSON, then create or update its draft, upload it and optionally publish
             (see waflows push -h)
  help       show this help
`
