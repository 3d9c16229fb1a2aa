package client

import (
	"context"
	"iter"
)

// Flows walks every page of an account's flows, newest first, yielding each flow. It stops at the first
// error (yielded with a zero Flow) or when the caller breaks out of the loop. opts sets the page size and
// fields; its cursors are ignored.
//
//	for f, err := range c.Flows(ctx, wabaID, nil) {
//		if err != nil { return err }
//		fmt.Println(*f.Name)
//	}
func (c *Client) Flows(ctx context.Context, wabaID string, opts *ListOptions) iter.Seq2[Flow, error] {
	return func(yield func(Flow, error) bool) {
		var o ListOptions
		if opts != nil {
			o = *opts
		}
		o.After, o.Before = "", ""
		for {
			page, _, err := c.ListFlows(ctx, wabaID, &o)
			if err != nil {
				yield(Flow{}, err)
				return
			}
			for _, f := range page.Flows {
				if !yield(f, nil) {
					return
				}
			}
			if !page.HasNext || page.After == "" {
				return
			}
			o.After = page.After
		}
	}
}
