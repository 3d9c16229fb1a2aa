package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/waflows/waflows/client"
)

const flowsUsage = `Usage: waflows flows <command> [flags] [arguments]

Commands:
  list                         list the account's flows (--waba; --limit, --after, --all, --fields)
  get FLOW_ID                  show a flow (--fields)
  create                       create a draft flow (--waba, --name, --category…; --endpoint-uri, --clone)
  update FLOW_ID               change a draft's metadata (--name, --category…, --endpoint-uri, --application-id)
  delete FLOW_ID               delete a draft
  upload FLOW_ID FILE          upload a Flow JSON; exit 1 when Graph reports validation errors
  assets FLOW_ID               list the flow's assets with their download URLs
  download FLOW_ID [-o FILE]   write the flow's JSON to FILE or standard output
  publish FLOW_ID              publish a draft
  deprecate FLOW_ID            deprecate a published flow

Every command takes --base-url (default $WAFLOWS_BASE_URL, else Meta's Graph API), --token (default
$WAFLOWS_TOKEN) and --json (machine-readable output). Graph errors are printed as one line with their code
and fbtrace_id, and the exit status is 1.
`

// commonFlags are the flags every flows command takes.
type commonFlags struct {
	baseURL, token, waba string
	json                 bool
}

func (c *commonFlags) register(fs *flag.FlagSet, withWABA bool) {
	// Defaults from the environment are applied after parsing, not given to the flag package, so that a
	// usage message never prints the token.
	fs.StringVar(&c.baseURL, "base-url", "", "API base URL, e.g. http://127.0.0.1:8080/v21.0 for waflows serve (default $WAFLOWS_BASE_URL, else "+client.DefaultBaseURL+")")
	fs.StringVar(&c.token, "token", "", "access token (default $WAFLOWS_TOKEN)")
	fs.BoolVar(&c.json, "json", false, "print JSON instead of a table")
	if withWABA {
		fs.StringVar(&c.waba, "waba", "", "WhatsApp Business Account id (default $WAFLOWS_WABA)")
	}
}

// fromEnv fills in what the command line left out from the environment.
func (c *commonFlags) fromEnv() {
	c.baseURL = first(c.baseURL, os.Getenv("WAFLOWS_BASE_URL"), client.DefaultBaseURL)
	c.token = first(c.token, os.Getenv("WAFLOWS_TOKEN"))
	c.waba = first(c.waba, os.Getenv("WAFLOWS_WABA"))
}

// first returns the first non-empty value.
func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func (c *commonFlags) client() (*client.Client, error) {
	c.fromEnv()
	if c.token == "" {
		return nil, usageError{errors.New("no access token: pass --token or set WAFLOWS_TOKEN")}
	}
	cl, err := client.New(client.WithBaseURL(c.baseURL), client.WithToken(c.token), client.WithUserAgent("waflows-cli"))
	if err != nil {
		return nil, usageError{err}
	}
	return cl, nil
}

func (c *commonFlags) needWABA() error {
	c.fromEnv()
	if c.waba == "" {
		return usageError{errors.New("no business account: pass --waba or set WAFLOWS_WABA")}
	}
	return nil
}

// listFlag collects a repeatable flag; each value may also hold a comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// parseArgs parses flags that may come before, between or after the positional arguments, and checks
// the number of positional arguments.
func parseArgs(fs *flag.FlagSet, args []string, names ...string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != len(names) {
		want := "no arguments"
		if len(names) > 0 {
			want = strings.Join(names, " ")
		}
		return nil, usageError{fmt.Errorf("%s takes %s, got %q", fs.Name(), want, pos)}
	}
	return pos, nil
}

// prepare parses a command's flags and positional arguments (named by names) and returns a client.
func prepare(fs *flag.FlagSet, cf *commonFlags, args []string, names ...string) (*client.Client, []string, error) {
	pos, err := parseArgs(fs, args, names...)
	if err != nil {
		return nil, nil, err
	}
	c, err := cf.client()
	return c, pos, err
}

// flowsCommand implements `waflows flows …`.
func flowsCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, flowsUsage)
		if len(args) == 0 {
			return usageError{errors.New("flows needs a command")}
		}
		return nil
	}
	cmds := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"list": flowsList, "get": flowsGet, "create": flowsCreate, "update": flowsUpdate, "delete": flowsDelete,
		"upload": flowsUpload, "assets": flowsAssets, "download": flowsDownload, "publish": flowsPublish, "deprecate": flowsDeprecate,
	}
	run, ok := cmds[args[0]]
	if !ok {
		return usageError{fmt.Errorf("unknown flows command %q", args[0])}
	}
	return run(ctx, args[1:], stdout, stderr)
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func str[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

func categoriesOf(f client.Flow) string {
	if f.Categories == nil {
		return ""
	}
	names := make([]string, len(*f.Categories))
	for i, c := range *f.Categories {
		names[i] = string(c)
	}
	return strings.Join(names, ",")
}

func errorCount(f client.Flow) string {
	if f.ValidationErrors == nil {
		return ""
	}
	return fmt.Sprint(len(*f.ValidationErrors))
}

func flowsList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf commonFlags
	fs := newFlagSet("list", stderr)
	cf.register(fs, true)
	limit := fs.Int("limit", 0, "page size (Graph's default is 25, at most 100)")
	after := fs.String("after", "", "cursor of the page to start after")
	all := fs.Bool("all", false, "walk every page")
	var fields listFlag
	fs.Var(&fields, "fields", "fields to return (repeatable or comma-separated)")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := cf.needWABA(); err != nil {
		return err
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	opts := &client.ListOptions{Limit: *limit, After: *after, Fields: fields}
	var flows []client.Flow
	next := ""
	if *all {
		for f, err := range c.Flows(ctx, cf.waba, opts) {
			if err != nil {
				return err
			}
			flows = append(flows, f)
		}
	} else {
		page, _, err := c.ListFlows(ctx, cf.waba, opts)
		if err != nil {
			return err
		}
		flows = page.Flows
		if page.HasNext {
			next = page.After
		}
	}
	if flows == nil {
		flows = []client.Flow{}
	}
	if cf.json {
		return printJSON(stdout, flows)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tCATEGORIES\tERRORS")
	for _, f := range flows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", str(f.ID), str(f.Name), str(f.Status), categoriesOf(f), errorCount(f))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if next != "" {
		fmt.Fprintf(stderr, "more flows: --after %s (or --all)\n", next)
	}
	return nil
}

func flowsGet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf commonFlags
	fs := newFlagSet("get", stderr)
	cf.register(fs, false)
	var fields listFlag
	fs.Var(&fields, "fields", "fields to return (repeatable or comma-separated)")
	c, pos, err := prepare(fs, &cf, args, "FLOW_ID")
	if err != nil {
		return err
	}
	f, _, err := c.GetFlow(ctx, pos[0], fields...)
	if err != nil {
		return err
	}
	if cf.json {
		return printJSON(stdout, f)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", k, v)
		}
	}
	row("id", str(f.ID))
	row("name", str(f.Name))
	row("status", str(f.Status))
	row("categories", categoriesOf(*f))
	row("json_version", str(f.JSONVersion))
	row("data_api_version", str(f.DataAPIVersion))
	row("endpoint_uri", str(f.EndpointURI))
	if w := f.WhatsappBusinessAccount; w != nil {
		row("whatsapp_business_account", strings.TrimSpace(str(w.ID)+" "+str(w.Name)))
	}
	row("validation_errors", errorCount(*f))
	if err := tw.Flush(); err != nil {
		return err
	}
	if f.ValidationErrors != nil {
		printValidationErrors(stdout, "flow.json", *f.ValidationErrors)
	}
	return nil
}

// printValidationErrors prints Graph's validation errors like `waflows validate` does.
func printValidationErrors(w io.Writer, file string, errs []client.ValidationError) {
	for _, e := range errs {
		fmt.Fprintf(w, "%s:%d:%d: %s: %s", file, deref(e.LineStart), deref(e.ColumnStart), str(e.Error), str(e.Message))
		if e.Pointers != nil && len(*e.Pointers) > 0 {
			fmt.Fprintf(w, " (%s)", (*e.Pointers)[0])
		}
		fmt.Fprintln(w)
	}
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

func flowsCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf commonFlags
	fs := newFlagSet("create", stderr)
	cf.register(fs, true)
	name := fs.String("name", "", "flow name (unique in the account)")
	endpoint := fs.String("endpoint-uri", "", "https endpoint for data exchange")
	clone := fs.String("clone", "", "id of a flow whose JSON to copy")
	var cats listFlag
	fs.Var(&cats, "category", "category (repeatable or comma-separated): SIGN_UP, SIGN_IN, APPOINTMENT_BOOKING, LEAD_GENERATION, CONTACT_US, CUSTOMER_SUPPORT, SURVEY, OTHER")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if err := cf.needWABA(); err != nil {
		return err
	}
	if *name == "" || len(cats) == 0 {
		return usageError{errors.New("create needs --name and at least one --category")}
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	req := client.CreateFlowRequest{Name: *name}
	for _, cat := range cats {
		req.Categories = append(req.Categories, client.Category(cat))
	}
	if *endpoint != "" {
		req.EndpointURI = endpoint
	}
	if *clone != "" {
		req.CloneFlowID = clone
	}
	id, _, err := c.CreateFlow(ctx, cf.waba, req)
	if err != nil {
		return err
	}
	if cf.json {
		return printJSON(stdout, map[string]string{"id": id})
	}
	fmt.Fprintln(stdout, id)
	return nil
}

func flowsUpdate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf commonFlags
	fs := newFlagSet("update", stderr)
	cf.register(fs, false)
	var req client.UpdateFlowRequest
	var cats listFlag
	fs.Func("name", "new name", func(v string) error { req.Name = &v; return nil })
	fs.Func("endpoint-uri", "https endpoint for data exchange", func(v string) error { req.EndpointURI = &v; return nil })
	fs.Func("application-id", "id of the Meta app linked to the flow", func(v string) error { req.ApplicationID = &v; return nil })
	fs.Var(&cats, "category", "categories replacing the current ones (repeatable or comma-separated)")
	pos, err := parseArgs(fs, args, "FLOW_ID")
	if err != nil {
		return err
	}
	if len(cats) > 0 {
		c := make([]client.Category, len(cats))
		for i, cat := range cats {
			c[i] = client.Category(cat)
		}
		req.Categories = &c
	}
	if req.Name == nil && req.EndpointURI == nil && req.ApplicationID == nil && req.Categories == nil {
		return usageError{errors.New("update needs at least one of --name, --category, --endpoint-uri, --application-id")}
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	if _, err := c.UpdateFlow(ctx, pos[0], req); err != nil {
		return err
	}
	return done(stdout, cf.json, "updated "+pos[0])
}

// done reports a successful call: Graph's {"success":true} for --json, a line for people.
func done(w io.Writer, asJSON bool, line string) error {
	if asJSON {
		return printJSON(w, map[string]bool{"success": true})
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

func flowsDelete(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return simpleCall(ctx, "delete", args, stdout, stderr, func(c *client.Client, id string) error {
		_, err := c.DeleteFlow(ctx, id)
		return err
	})
}

func flowsPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return simpleCall(ctx, "publish", args, stdout, stderr, func(c *client.Client, id string) error {
		_, err := c.PublishFlow(ctx, id)
		return err
	})
}

func flowsDeprecate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return simpleCall(ctx, "deprecate", args, stdout, stderr, func(c *client.Client, id string) error {
		_, err := c.DeprecateFlow(ctx, id)
		return err
	})
}

func simpleCall(ctx context.Context, name string, args []string, stdout, stderr io.Writer, call func(*client.Client, string) error) error {
	var cf commonFlags
	fs := newFlagSet(name, stderr)
	cf.register(fs, false)
	c, pos, err := prepare(fs, &cf, args, "FLOW_ID")
	if err != nil {
		return err
	}
	if err := call(c, pos[0]); err != nil {
		return err
	}
	past := map[string]string{"delete": "deleted", "publish": "published", "deprecate": "deprecated"}[name]
	return done(stdout, cf.json, past+" "+pos[0])
}

func flowsUpload(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf commonFlags
	fs := newFlagSet("upload", stderr)
	cf.register(fs, false)
	pos, err := parseArgs(fs, args, "FLOW_ID", "FILE")
	if err != nil {
		return err
	}
	data, display, err := readInput(ctx, pos[1], os.Stdin)
	if err != nil {
		return err
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	verrs, _, err := c.UploadFlowJSON(ctx, pos[0], data)
	if err != nil {
		return err
	}
	if cf.json {
		if err := printJSON(stdout, map[string]any{"success": true, "validation_errors": verrs}); err != nil {
			return err
		}
	} else {
		printValidationErrors(stdout, display, verrs)
		fmt.Fprintf(stderr, "uploaded %s to flow %s: %d validation error(s)\n", display, pos[0], len(verrs))
	}
	if len(verrs) > 0 {
		return errInvalid
	}
	return nil
}

func flowsAssets(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf commonFlags
	fs := newFlagSet("assets", stderr)
	cf.register(fs, false)
	c, pos, err := prepare(fs, &cf, args, "FLOW_ID")
	if err != nil {
		return err
	}
	assets, _, err := c.ListAssets(ctx, pos[0])
	if err != nil {
		return err
	}
	if cf.json {
		return printJSON(stdout, assets)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTYPE\tDOWNLOAD_URL")
	for _, a := range assets {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", str(a.Name), str(a.AssetType), str(a.DownloadURL))
	}
	return tw.Flush()
}

func flowsDownload(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf commonFlags
	fs := newFlagSet("download", stderr)
	cf.register(fs, false)
	out := fs.String("o", "", "write to this file instead of standard output")
	c, pos, err := prepare(fs, &cf, args, "FLOW_ID")
	if err != nil {
		return err
	}
	data, _, err := c.DownloadFlowJSON(ctx, pos[0])
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = stdout.Write(data)
		return err
	}
	return os.WriteFile(*out, data, 0o644)
}
