// A program that imports only the client, as a user's would: archtest builds it to check what it links and
// how large it is.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/waflows/waflows/client"
)

func main() {
	c, err := client.New(client.WithToken(os.Getenv("WHATSAPP_TOKEN")), client.WithBaseURL(os.Getenv("WAFLOWS_BASE_URL")))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	page, _, err := c.ListFlows(context.Background(), os.Getenv("WABA_ID"), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, f := range page.Flows {
		fmt.Println(*f.ID, *f.Name, *f.Status)
	}
}
