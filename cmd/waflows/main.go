// Command waflows runs a local WhatsApp Flows API server that behaves like Meta's Graph API, and validates
// Flow JSON files the way Meta does.
//
//	waflows serve [--addr 127.0.0.1:8080] [--db ./waflows-data/waflows.db] [--config access.yaml] [--public-url URL]
//	waflows validate [--json] FILE...
//	waflows flows list|get|create|update|delete|upload|assets|download|publish|deprecate …
//	waflows push FILE --waba ID --name NAME [--category C…] [--publish] [--new-version]
//	waflows version
//	waflows help [COMMAND]
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
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

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	std := stdio{in: stdin, out: stdout, err: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, usage())
		return exitOK
	case "--version", "-version", "-v":
		fmt.Fprintln(stdout, versionString())
		return exitOK
	case "flows":
		return runFlows(ctx, args[1:], std)
	case "keys", "endpoint":
		if len(args) > 1 && !strings.HasPrefix(args[1], "-") {
			if c := lookup(args[0] + " " + args[1]); c != nil {
				return exitStatus(ctx, c.name, c.run(ctx, args[2:], std), stderr)
			}
		}
		fmt.Fprintf(stderr, "waflows %s: which command?\n\n%s", args[0], usage())
		return exitUsage
	}
	c := lookup(args[0])
	if c == nil || strings.Contains(args[0], " ") {
		fmt.Fprintf(stderr, "waflows: unknown command %q\n\n%s", args[0], usage())
		return exitUsage
	}
	return exitStatus(ctx, c.name, c.run(ctx, args[1:], std), stderr)
}

// runFlows runs `waflows flows COMMAND …`.
func runFlows(ctx context.Context, args []string, std stdio) int {
	if len(args) == 0 {
		fmt.Fprintf(std.err, "waflows flows: which command?\n\n%s", flowsUsage())
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return exitStatus(ctx, "help", help(ctx, append([]string{"flows"}, args[1:]...), std), std.err)
		}
		fmt.Fprint(std.out, flowsUsage())
		return exitOK
	}
	c := lookup("flows " + args[0])
	if c == nil {
		fmt.Fprintf(std.err, "waflows flows: unknown command %q\n\n%s", args[0], flowsUsage())
		return exitUsage
	}
	return exitStatus(ctx, c.name, c.run(ctx, args[1:], std), std.err)
}
