package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/waflows/waflows/client"
	"github.com/waflows/waflows/flowjson"
)

// push implements `waflows push FILE --waba ID --name NAME [--category C…] [--publish]`: validate the file
// locally, then create the flow (or reuse the draft of that name), upload it, and publish if asked.
func push(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cf commonFlags
	fs := newFlagSet("push", stderr)
	cf.register(fs, true)
	name := fs.String("name", "", "flow name: the draft with this name is updated, or a new flow created")
	publish := fs.Bool("publish", false, "publish the flow after uploading")
	endpoint := fs.String("endpoint-uri", "", "https endpoint for data exchange (set on the flow before publishing)")
	var cats listFlag
	fs.Var(&cats, "category", "category of a new flow (repeatable or comma-separated)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: waflows push FILE --waba ID --name NAME [--category C…] [--publish]\n\n")
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args, "FILE")
	if err != nil {
		return err
	}
	if err := cf.needWABA(); err != nil {
		return err
	}
	if *name == "" {
		return usageError{errors.New("push needs --name")}
	}
	data, display, err := readInput(ctx, pos[0], os.Stdin)
	if err != nil {
		return err
	}
	if len(data) > flowjson.MaxSize {
		return fmt.Errorf("%s: %d bytes; Meta accepts at most %d bytes (10 MB)", display, len(data), flowjson.MaxSize)
	}
	res, err := flowjson.AnalyzeContext(ctx, data)
	if err != nil {
		return err
	}
	printFindings(stdout, display, res)
	if len(res.Errors) > 0 {
		fmt.Fprintf(stderr, "push: %s has %d validation error(s); nothing was sent\n", display, len(res.Errors))
		return errInvalid
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	id, created, err := findOrCreateDraft(ctx, c, cf.waba, *name, cats)
	if err != nil {
		return err
	}
	verb := "using draft"
	if created {
		verb = "created flow"
	}
	fmt.Fprintf(stderr, "%s %s (%s)\n", verb, id, *name)
	verrs, _, err := c.UploadFlowJSON(ctx, id, data)
	if err != nil {
		return err
	}
	if len(verrs) > 0 {
		// Graph found what the local validator did not: show it and stop before publishing.
		printValidationErrors(stdout, display, verrs)
		fmt.Fprintf(stderr, "push: Graph reported %d validation error(s) for %s\n", len(verrs), display)
		return errInvalid
	}
	fmt.Fprintf(stderr, "uploaded %s\n", display)
	// The endpoint is set after the upload, so Graph checks it against the new JSON's version.
	if *endpoint != "" {
		if _, err := c.UpdateFlow(ctx, id, client.UpdateFlowRequest{EndpointURI: endpoint}); err != nil {
			return err
		}
	}
	if *publish {
		if _, err := c.PublishFlow(ctx, id); err != nil {
			return err
		}
		fmt.Fprintln(stderr, "published")
	}
	if cf.json {
		return printJSON(stdout, map[string]any{"id": id, "created": created, "published": *publish})
	}
	fmt.Fprintln(stdout, id)
	return nil
}

// findOrCreateDraft returns the draft flow named name, creating it when the account has no flow of that
// name. A flow of that name that is no longer a draft is an error: published flows are immutable.
func findOrCreateDraft(ctx context.Context, c *client.Client, waba, name string, cats []string) (string, bool, error) {
	for f, err := range c.Flows(ctx, waba, &client.ListOptions{Limit: 100, Fields: []string{"id", "name", "status"}}) {
		if err != nil {
			return "", false, err
		}
		if str(f.Name) != name {
			continue
		}
		if status := str(f.Status); status != "DRAFT" {
			return "", false, fmt.Errorf("flow %q (%s) is %s and can no longer be changed; push under a new name, or clone it", name, str(f.ID), status)
		}
		return str(f.ID), false, nil
	}
	if len(cats) == 0 {
		return "", false, usageError{fmt.Errorf("there is no flow named %q yet: pass at least one --category to create it", name)}
	}
	req := client.CreateFlowRequest{Name: name}
	for _, cat := range cats {
		req.Categories = append(req.Categories, client.Category(cat))
	}
	id, _, err := c.CreateFlow(ctx, waba, req)
	return id, err == nil, err
}
