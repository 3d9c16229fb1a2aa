package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/waflows/waflows/client"
)

// commonFlags are the flags every command that calls the API takes.
type commonFlags struct {
	baseURL, token, waba string
	baseSource           string // where baseURL came from: --base-url or WAFLOWS_BASE_URL
	json                 bool
	fs                   *flagSet
	stderr               io.Writer
}

// register adds the flags; jsonUsage says what --json prints, and an empty one leaves --json out.
func (c *commonFlags) register(fs *flagSet, withWABA bool, jsonUsage string, std stdio) {
	c.fs, c.stderr = fs, std.err
	// Defaults from the environment are applied after parsing, not given to the flag package, so that a
	// usage message never prints the token.
	fs.StringVar(&c.baseURL, "base-url", "", "API base URL, e.g. http://127.0.0.1:8080/v21.0 for waflows serve (default $WAFLOWS_BASE_URL, else "+client.DefaultBaseURL+")")
	fs.StringVar(&c.token, "token", "", "access token (default $WAFLOWS_TOKEN)")
	if jsonUsage != "" {
		fs.BoolVar(&c.json, "json", false, jsonUsage)
	}
	if withWABA {
		fs.StringVar(&c.waba, "waba", "", "WhatsApp Business Account id (default $WAFLOWS_WABA)")
	}
}

// fromEnv fills in what the command line left out from the environment.
func (c *commonFlags) fromEnv() {
	if c.baseSource == "" {
		c.baseSource = "--base-url"
		if c.baseURL == "" {
			c.baseSource = "WAFLOWS_BASE_URL"
		}
	}
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

// client returns the API client the flags select. When that is Meta's production Graph API, it says so on
// standard error: a forgotten --base-url should not go unnoticed.
func (c *commonFlags) client() (*client.Client, error) {
	c.fromEnv()
	if c.token == "" {
		return nil, c.fs.fail("no access token: pass --token or set WAFLOWS_TOKEN")
	}
	if u, err := url.Parse(c.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, c.fs.fail("the base URL %q (from %s) is not an absolute http(s) URL, such as http://127.0.0.1:8080/v21.0", c.baseURL, c.baseSource)
	}
	cl, err := client.New(client.WithBaseURL(c.baseURL), client.WithToken(c.token), client.WithUserAgent("waflows-cli"))
	if err != nil {
		return nil, c.fs.fail("%v", err)
	}
	if isMeta(cl.BaseURL()) {
		fmt.Fprintf(c.stderr, "waflows: calling Meta's Graph API at %s (--base-url or WAFLOWS_BASE_URL selects waflows serve)\n", cl.BaseURL())
	}
	return cl, nil
}

// explain adds the likely cause to an error from the API.
func (c *commonFlags) explain(err error) error { return explain(err, c.baseURL) }

func (c *commonFlags) needWABA() error {
	c.fromEnv()
	if c.waba == "" {
		return c.fs.fail("no business account: pass --waba or set WAFLOWS_WABA")
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

// prepare parses a command's flags and positional arguments and returns a client.
func prepare(fs *flagSet, cf *commonFlags, args []string, std stdio) (*client.Client, []string, error) {
	pos, err := fs.parseArgs(args, std)
	if err != nil {
		return nil, nil, err
	}
	c, err := cf.client()
	return c, pos, err
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

// categoryList turns --category values into categories.
func categoryList(values []string) []client.Category {
	cats := make([]client.Category, len(values))
	for i, v := range values {
		cats[i] = client.Category(v)
	}
	return cats
}

// listPage is `flows list --json`: Graph's own shape, so the cursors and links survive.
type listPage struct {
	Data   []client.Flow `json:"data"`
	Paging *listPaging   `json:"paging,omitempty"`
}

type listPaging struct {
	Cursors  listCursors `json:"cursors"`
	Next     string      `json:"next,omitempty"`
	Previous string      `json:"previous,omitempty"`
}

type listCursors struct {
	Before string `json:"before"`
	After  string `json:"after"`
}

func flowsList(ctx context.Context, args []string, std stdio) error {
	var cf commonFlags
	fs := newFlagSet("flows list")
	cf.register(fs, true, `print {"data":[…],"paging":{…}} as Graph does`, std)
	limit := fs.Int("limit", 0, "page size (Graph's default is 25, at most 100)")
	after := fs.String("after", "", "cursor of the page to start after")
	before := fs.String("before", "", "cursor of the page to end before")
	all := fs.Bool("all", false, "walk every page (--json then prints every flow and no paging)")
	var fields listFlag
	fs.Var(&fields, "fields", "fields to return (repeatable or comma-separated)")
	if _, err := fs.parseArgs(args, std); err != nil {
		return err
	}
	if *after != "" && *before != "" {
		return fs.fail("give --after or --before, not both")
	}
	if err := cf.needWABA(); err != nil {
		return err
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	opts := &client.ListOptions{Limit: *limit, After: *after, Before: *before, Fields: fields}
	out := listPage{Data: []client.Flow{}}
	if *all {
		for f, err := range c.Flows(ctx, cf.waba, opts) {
			if err != nil {
				return cf.explain(err)
			}
			out.Data = append(out.Data, f)
		}
	} else {
		page, _, err := c.ListFlows(ctx, cf.waba, opts)
		if err != nil {
			return cf.explain(err)
		}
		out.Data = append(out.Data, page.Flows...)
		if page.Before != "" || page.After != "" {
			out.Paging = &listPaging{Cursors: listCursors{page.Before, page.After}, Next: page.Next, Previous: page.Previous}
		}
	}
	if cf.json {
		return printJSON(std.out, out)
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tCATEGORIES\tERRORS")
	for _, f := range out.Data {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", str(f.ID), str(f.Name), str(f.Status), categoriesOf(f), errorCount(f))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if p := out.Paging; p != nil && p.Next != "" {
		fmt.Fprintf(std.err, "more flows: --after %s (or --all)\n", p.Cursors.After)
	}
	return nil
}

func flowsGet(ctx context.Context, args []string, std stdio) error {
	var cf commonFlags
	fs := newFlagSet("flows get")
	cf.register(fs, false, "print the flow as Graph does", std)
	var fields listFlag
	fs.Var(&fields, "fields", "fields to return (repeatable or comma-separated)")
	c, pos, err := prepare(fs, &cf, args, std)
	if err != nil {
		return err
	}
	f, _, err := c.GetFlow(ctx, pos[0], fields...)
	if err != nil {
		return cf.explain(err)
	}
	if cf.json {
		return printJSON(std.out, f)
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
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
		printValidationErrors(std.out, "flow.json", *f.ValidationErrors)
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

func flowsCreate(ctx context.Context, args []string, std stdio) error {
	var cf commonFlags
	fs := newFlagSet("flows create")
	cf.register(fs, true, `print {"id":…}`, std)
	name := fs.String("name", "", "flow name (unique in the account)")
	endpoint := fs.String("endpoint-uri", "", "https endpoint for data exchange")
	clone := fs.String("clone", "", "id of a flow whose JSON to copy")
	var cats listFlag
	fs.Var(&cats, "category", "category (repeatable or comma-separated): SIGN_UP, SIGN_IN, APPOINTMENT_BOOKING, LEAD_GENERATION, CONTACT_US, CUSTOMER_SUPPORT, SURVEY, OTHER")
	if _, err := fs.parseArgs(args, std); err != nil {
		return err
	}
	if err := cf.needWABA(); err != nil {
		return err
	}
	if *name == "" || len(cats) == 0 {
		return fs.fail("create needs --name and at least one --category")
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	req := client.CreateFlowRequest{Name: *name, Categories: categoryList(cats)}
	if *endpoint != "" {
		req.EndpointURI = endpoint
	}
	if *clone != "" {
		req.CloneFlowID = clone
	}
	id, _, err := c.CreateFlow(ctx, cf.waba, req)
	if err != nil {
		return cf.explain(err)
	}
	if cf.json {
		return printJSON(std.out, map[string]string{"id": id})
	}
	fmt.Fprintln(std.out, id)
	return nil
}

func flowsUpdate(ctx context.Context, args []string, std stdio) error {
	var cf commonFlags
	fs := newFlagSet("flows update")
	cf.register(fs, false, `print {"success":true}`, std)
	var req client.UpdateFlowRequest
	var cats listFlag
	fs.Func("name", "new name", func(v string) error { req.Name = &v; return nil })
	fs.Func("endpoint-uri", "https endpoint for data exchange", func(v string) error { req.EndpointURI = &v; return nil })
	fs.Func("application-id", "id of the Meta app linked to the flow", func(v string) error { req.ApplicationID = &v; return nil })
	fs.Var(&cats, "category", "categories replacing the current ones (repeatable or comma-separated)")
	pos, err := fs.parseArgs(args, std)
	if err != nil {
		return err
	}
	if len(cats) > 0 {
		c := categoryList(cats)
		req.Categories = &c
	}
	if req.Name == nil && req.EndpointURI == nil && req.ApplicationID == nil && req.Categories == nil {
		return fs.fail("update needs at least one of --name, --category, --endpoint-uri, --application-id")
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	if _, err := c.UpdateFlow(ctx, pos[0], req); err != nil {
		return cf.explain(err)
	}
	return done(std.out, cf.json, "updated "+pos[0])
}

// done reports a successful call: Graph's {"success":true} for --json, a line for people.
func done(w io.Writer, asJSON bool, line string) error {
	if asJSON {
		return printJSON(w, map[string]bool{"success": true})
	}
	_, err := fmt.Fprintln(w, line)
	return err
}

func flowsDelete(ctx context.Context, args []string, std stdio) error {
	return simpleCall(ctx, "delete", args, std, func(c *client.Client, id string) error {
		_, err := c.DeleteFlow(ctx, id)
		return err
	})
}

func flowsPublish(ctx context.Context, args []string, std stdio) error {
	return simpleCall(ctx, "publish", args, std, func(c *client.Client, id string) error {
		_, err := c.PublishFlow(ctx, id)
		return err
	})
}

func flowsDeprecate(ctx context.Context, args []string, std stdio) error {
	return simpleCall(ctx, "deprecate", args, std, func(c *client.Client, id string) error {
		_, err := c.DeprecateFlow(ctx, id)
		return err
	})
}

func simpleCall(ctx context.Context, name string, args []string, std stdio, call func(*client.Client, string) error) error {
	var cf commonFlags
	fs := newFlagSet("flows " + name)
	cf.register(fs, false, `print {"success":true}`, std)
	c, pos, err := prepare(fs, &cf, args, std)
	if err != nil {
		return err
	}
	if err := call(c, pos[0]); err != nil {
		return cf.explain(err)
	}
	past := map[string]string{"delete": "deleted", "publish": "published", "deprecate": "deprecated"}[name]
	return done(std.out, cf.json, past+" "+pos[0])
}

func flowsUpload(ctx context.Context, args []string, std stdio) error {
	var cf commonFlags
	fs := newFlagSet("flows upload")
	cf.register(fs, false, `print {"success":true,"validation_errors":[…]} as Graph does`, std)
	pos, err := fs.parseArgs(args, std)
	if err != nil {
		return err
	}
	data, display, err := readInput(ctx, pos[1], std.in)
	if err != nil {
		return err
	}
	if err := checkSize(display, data); err != nil {
		return err
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	verrs, _, err := c.UploadFlowJSON(ctx, pos[0], data)
	if err != nil {
		return cf.explain(err)
	}
	if cf.json {
		if err := printJSON(std.out, map[string]any{"success": true, "validation_errors": verrs}); err != nil {
			return err
		}
	} else {
		printValidationErrors(std.out, display, verrs)
		fmt.Fprintf(std.err, "uploaded %s to flow %s: %d validation error(s)\n", display, pos[0], len(verrs))
	}
	if len(verrs) > 0 {
		return errInvalid
	}
	return nil
}

func flowsAssets(ctx context.Context, args []string, std stdio) error {
	var cf commonFlags
	fs := newFlagSet("flows assets")
	cf.register(fs, false, `print {"data":[…]} as Graph does`, std)
	c, pos, err := prepare(fs, &cf, args, std)
	if err != nil {
		return err
	}
	assets, _, err := c.ListAssets(ctx, pos[0])
	if err != nil {
		return cf.explain(err)
	}
	if cf.json {
		return printJSON(std.out, map[string]any{"data": assets})
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTYPE\tDOWNLOAD_URL")
	for _, a := range assets {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", str(a.Name), str(a.AssetType), str(a.DownloadURL))
	}
	return tw.Flush()
}

func flowsDownload(ctx context.Context, args []string, std stdio) error {
	var cf commonFlags
	fs := newFlagSet("flows download")
	cf.register(fs, false, "", std)
	out := fs.String("o", "", "write to this file instead of standard output")
	c, pos, err := prepare(fs, &cf, args, std)
	if err != nil {
		return err
	}
	data, _, err := c.DownloadFlowJSON(ctx, pos[0])
	if err != nil {
		return cf.explain(err)
	}
	if *out == "" {
		_, err = std.out.Write(data)
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return ioError{err}
	}
	return nil
}
