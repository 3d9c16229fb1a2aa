// The command table, each command's flags and usage, the error kinds and the exit statuses they give, and
// the likely causes added to errors from the API.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/waflows/waflows/client"
)

// Exit statuses, the same for every command.
const (
	exitOK          = 0
	exitFailed      = 1   // validation errors, API errors, a server that stopped with an error
	exitUsage       = 2   // mistakes on the command line and local I/O errors (files that cannot be read or written)
	exitInterrupted = 130 // stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it)
)

const exitStatuses = `Exit status: 0 success; 1 validation or API errors; 2 usage mistakes and local I/O errors
(a file that cannot be read or written); 130 interrupted.
`

// command is one command of the line: how it is typed, what it takes, what it does.
type command struct {
	name    string // as typed after waflows: "serve", "flows get"
	args    string // the positional arguments as the usage shows them: "FLOW_ID FILE", "FILE...", "[COMMAND]"
	summary string // one line for the command lists
	help    string // more, for the command's own usage (may be empty)
	run     func(ctx context.Context, args []string, std stdio) error
}

// stdio is what a command reads and writes.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// commands lists every command in the order the help shows them. It is filled in init, because the
// commands themselves look it up.
var commands []*command

func init() {
	commands = []*command{
		{name: "serve", summary: "run the WhatsApp Flows API server (SQLite in ./waflows-data by default)", run: serve,
			help: "Without --config, a development business account and token are created and printed.\n" +
				"GET /healthz answers {\"status\":\"ok\"} once the server is ready (503 when its database is unavailable)."},
		{name: "validate", args: "FILE...", summary: "check Flow JSON files as Meta does (- reads standard input)", run: validate,
			help: "Errors are what Meta's validator rejects; warnings what it accepts but truncates or renders otherwise.\n" +
				"Exit status 1 means errors (with --strict, warnings too)."},
		{name: "preview", args: "FILE", summary: "play a Flow JSON file in the browser, reloading when it changes", run: preview, help: previewHelp},
		{name: "push", args: "FILE", summary: "validate a Flow JSON and deploy it: create or update the flow, upload, publish", run: push, help: pushHelp},
		{name: "flows list", summary: "list the account's flows", run: flowsList},
		{name: "flows get", args: "FLOW_ID", summary: "show a flow", run: flowsGet},
		{name: "flows create", summary: "create a draft flow", run: flowsCreate},
		{name: "flows update", args: "FLOW_ID", summary: "change a draft's metadata", run: flowsUpdate},
		{name: "flows delete", args: "FLOW_ID", summary: "delete a draft", run: flowsDelete},
		{name: "flows upload", args: "FLOW_ID FILE", summary: "upload a Flow JSON (exit 1 when Graph reports validation errors)", run: flowsUpload},
		{name: "flows assets", args: "FLOW_ID", summary: "list the flow's assets with their download URLs", run: flowsAssets},
		{name: "flows download", args: "FLOW_ID", summary: "write the flow's JSON to standard output or -o FILE", run: flowsDownload},
		{name: "flows publish", args: "FLOW_ID", summary: "publish a draft", run: flowsPublish},
		{name: "flows deprecate", args: "FLOW_ID", summary: "deprecate a published flow", run: flowsDeprecate},
		{name: "endpoint check", args: "URL", summary: "check a data endpoint as Meta does: health check, probes, a walk of --flow, latency", run: endpointCheck, help: endpointCheckHelp},
		{name: "keys generate", summary: "write an RSA-2048 key pair for a flow's data endpoint (private.pem 0600, public.pem)", run: keysGenerate, help: keysHelp},
		{name: "version", summary: "print the module version and VCS revision", run: version},
		{name: "help", args: "[COMMAND...]", summary: "show a command's usage (waflows help flows get)", run: help},
	}
}

// lookup returns the command typed as name ("flows get"), or nil.
func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// synopsis is how a command is typed: "waflows flows upload FLOW_ID FILE [flags]".
func (c *command) synopsis() string {
	s := "waflows " + c.name
	if c.args != "" {
		s += " " + c.args
	}
	return s + " [flags]"
}

// row is one line of a command list.
type row struct{ left, summary string }

// table formats rows in two aligned columns.
func table(rows []row) string {
	width := 0
	for _, r := range rows {
		width = max(width, len(r.left))
	}
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, r.left, r.summary)
	}
	return b.String()
}

// usage is the top-level help.
func usage() string {
	var rows []row
	for _, c := range commands {
		if strings.HasPrefix(c.name, "flows ") {
			if c.name == "flows list" {
				rows = append(rows, row{"flows COMMAND", "manage flows through the API: list, get, create, upload, publish… (waflows help flows)"})
			}
			continue
		}
		rows = append(rows, row{strings.TrimSpace(c.name + " " + c.args), c.summary})
	}
	return "waflows runs a local WhatsApp Flows API server that behaves like Meta's Graph API, validates Flow JSON\n" +
		"as Meta does, and deploys flows to either.\n\n" +
		"Usage: waflows COMMAND [flags] [arguments]\n\nCommands:\n" + table(rows) +
		"\nRun \"waflows help COMMAND\" (or \"waflows COMMAND -h\") for a command's flags and arguments.\n" + exitStatuses
}

// flowsUsage is the help of the flows group.
func flowsUsage() string {
	var rows []row
	for _, c := range commands {
		if name, ok := strings.CutPrefix(c.name, "flows "); ok {
			rows = append(rows, row{strings.TrimSpace(name + " " + c.args), c.summary})
		}
	}
	return "Usage: waflows flows COMMAND [flags] [arguments]\n\nCommands:\n" + table(rows) + `
Every command takes --base-url (default $WAFLOWS_BASE_URL, else Meta's Graph API), --token (default
$WAFLOWS_TOKEN) and --json (machine-readable output); the account commands take --waba (default
$WAFLOWS_WABA). Graph errors are printed as one line with their code and fbtrace_id.
Run "waflows help flows COMMAND" for a command's flags.
` + exitStatuses
}

// flagSet is a command's flags; it knows its command, for the usage.
type flagSet struct {
	*flag.FlagSet
	cmd *command
}

// newFlagSet starts the flags of the command typed as name. Parse errors and -h are handled by parseArgs,
// so the flag package itself prints nothing.
func newFlagSet(name string) *flagSet {
	cmd := lookup(name)
	if cmd == nil {
		panic("waflows: no command " + name)
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{fs, cmd}
}

// usage is the command's own help: synopsis, summary, details, flags.
func (fs *flagSet) usage() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Usage: %s\n\n%s.\n", fs.cmd.synopsis(), upperFirst(fs.cmd.summary))
	if fs.cmd.help != "" {
		fmt.Fprintf(&b, "%s\n", fs.cmd.help)
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		b.WriteString("\nFlags:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// fail is a usage mistake in this command: the message, then the command's usage, and exit status 2.
func (fs *flagSet) fail(format string, a ...any) error {
	return usageError{fmt.Errorf(format, a...), fs.usage()}
}

// parseArgs parses flags that may come before, between or after the positional arguments, and checks the
// positional arguments against the command's args ("A B" exactly two, "FILE..." at least one, "[X]" at most
// one, "[X...]" any number). -h prints the usage to std.err and returns flag.ErrHelp (exit status 0).
func (fs *flagSet) parseArgs(args []string, std stdio) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(std.err, fs.usage())
				return nil, err
			}
			return nil, fs.fail("%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		// After "--" every argument is positional, even one that starts with "-".
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	names := strings.Fields(fs.cmd.args)
	lo, hi := len(names), len(names)
	for _, n := range names {
		if strings.HasPrefix(n, "[") {
			lo--
		}
		if strings.HasSuffix(strings.TrimSuffix(n, "]"), "...") {
			hi = -1
		}
	}
	if len(pos) < lo || hi >= 0 && len(pos) > hi {
		want, got := "no arguments", "none"
		if len(names) > 0 {
			want = fs.cmd.args
		}
		if len(pos) > 0 {
			got = fmt.Sprintf("%d: %s", len(pos), strings.Join(pos, " "))
		}
		return nil, fs.fail("arguments: want %s, got %s", want, got)
	}
	return pos, nil
}

// usageError is a mistake on the command line (exit status 2); usage is the help of the command it was made
// in, printed after the message.
type usageError struct {
	err   error
	usage string
}

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// ioError is a local I/O error: a file that cannot be read or written (exit status 2).
type ioError struct{ error }

func (e ioError) Unwrap() error { return e.error }

// errInvalid marks a run in which something had validation errors, already printed (exit status 1).
var errInvalid = errors.New("validation errors")

// exitStatus prints err as the command named name reports it and returns the exit status.
func exitStatus(ctx context.Context, name string, err error, stderr io.Writer) int {
	var ue usageError
	var ie ioError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
		fmt.Fprintln(stderr, "waflows: interrupted")
		return exitInterrupted
	case errors.Is(err, errInvalid):
		return exitFailed
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "waflows %s: %v\n\n%s", name, ue.err, ue.usage)
		return exitUsage
	case errors.As(err, &ie):
		fmt.Fprintf(stderr, "waflows %s: %v\n", name, err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "waflows %s: %v\n", name, err)
		return exitFailed
	}
}

// help implements `waflows help [COMMAND]`: a command's usage on standard output.
func help(ctx context.Context, args []string, std stdio) error {
	fs := newFlagSet("help")
	pos, err := fs.parseArgs(args, std)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fmt.Fprint(std.out, usage())
		return nil
	}
	name := strings.Join(pos, " ")
	if name == "flows" {
		fmt.Fprint(std.out, flowsUsage())
		return nil
	}
	c := lookup(name)
	if c == nil {
		return usageError{fmt.Errorf("no command %q", name), usage()}
	}
	// A command prints its usage for -h before doing anything else.
	return c.run(ctx, []string{"-h"}, stdio{in: std.in, out: std.out, err: std.out})
}

// version implements `waflows version` (also --version): the module version and the VCS revision the
// binary was built from, as the Go toolchain recorded them.
func version(_ context.Context, args []string, std stdio) error {
	fs := newFlagSet("version")
	if _, err := fs.parseArgs(args, std); err != nil {
		return err
	}
	_, err := fmt.Fprintln(std.out, versionString())
	return err
}

// versionString is "waflows VERSION (revision REV[, modified], TIME) GOVERSION OS/ARCH". go install …@v1.2.3
// records the version; a build in a checkout records the revision (and a pseudo-version).
func versionString() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "waflows (no build information)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when, modified, goos, goarch string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		case "GOOS":
			goos = s.Value
		case "GOARCH":
			goarch = s.Value
		}
	}
	out := "waflows " + v
	if rev != "" {
		out += " (revision " + rev + modified
		if when != "" {
			out += ", " + when
		}
		out += ")"
	}
	out += " " + bi.GoVersion
	if goos != "" {
		out += " " + goos + "/" + goarch
	}
	return out
}

// isMeta reports whether base is Meta's production Graph API.
func isMeta(base string) bool {
	u, err := url.Parse(base)
	return err == nil && strings.EqualFold(u.Hostname(), "graph.facebook.com")
}

// versionSegment matches a Graph API version in a path: /v21.0.
var versionSegment = regexp.MustCompile(`/v\d+\.\d+(/|$)`)

// explain adds the likely cause to an error from the API at base: nobody listening (is waflows serve
// running?), a base URL without its /v21.0, a token the server does not know.
func explain(err error, base string) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	u, perr := url.Parse(base)
	if perr != nil {
		return err
	}
	var apiErr *client.Error
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		if isMeta(base) {
			return fmt.Errorf("cannot connect to Meta's Graph API at %s (connection refused): %w", base, err)
		}
		return fmt.Errorf("cannot connect to %s: connection refused; is `waflows serve` running at %s? "+
			"(start it, or point --base-url or WAFLOWS_BASE_URL at the server)", base, u.Host)
	case errors.As(err, &dnsErr):
		return fmt.Errorf("cannot resolve the host of the base URL %s: %s", base, dnsErr.Err)
	case errors.As(err, &apiErr):
		unknownPath := apiErr.Code == 2500 || apiErr.HTTPStatus == 404
		switch v := versionSegment.FindString(u.Path); {
		case isMeta(base) || !unknownPath:
		case v == "":
			return fmt.Errorf("%w\n  the base URL %s names no API version; waflows serve answers under /v21.0 (try --base-url %s://%s/v21.0)",
				err, base, u.Scheme, u.Host)
		case strings.Trim(v, "/") != "v21.0":
			return fmt.Errorf("%w\n  the base URL %s names API version %s; waflows serve answers under /v21.0 only", err, base, strings.Trim(v, "/"))
		}
		if apiErr.Code == 190 && !isMeta(base) {
			return fmt.Errorf("%w\n  waflows serve prints its development token when it starts; with --config, the tokens are those of the access file", err)
		}
		if apiErr.Code == 190 {
			return fmt.Errorf("%w\n  this token was sent to Meta's Graph API; to use waflows serve, set --base-url or WAFLOWS_BASE_URL", err)
		}
	}
	return err
}
