package waflowstest_test

import (
	"context"
	"testing"

	"github.com/waflows/waflows/client"
	"github.com/waflows/waflows/waflowstest"
)

// This test is written the way a user of waflows would write one for their own flow code.

const surveyJSON = `{
  "version": "7.3",
  "screens": [{
    "id": "SURVEY",
    "title": "Quick survey",
    "terminal": true,
    "layout": {"type": "SingleColumnLayout", "children": [
      {"type": "TextBody", "text": "Thanks for your visit!"},
      {"type": "Footer", "label": "Done", "on-click-action": {"name": "complete", "payload": {}}}
    ]}
  }]
}`

// deploySurvey is the kind of code a user tests: create, upload, publish.
func deploySurvey(ctx context.Context, c *client.Client, waba string) (string, error) {
	id, _, err := c.CreateFlow(ctx, waba, client.CreateFlowRequest{Name: "Survey", Categories: []client.Category{"SURVEY"}})
	if err != nil {
		return "", err
	}
	if _, _, err := c.UploadFlowJSON(ctx, id, []byte(surveyJSON)); err != nil {
		return "", err
	}
	_, err = c.PublishFlow(ctx, id)
	return id, err
}

func TestDeploySurvey(t *testing.T) {
	srv := waflowstest.Start(t)
	c := srv.Client(t)
	ctx := context.Background()

	id, err := deploySurvey(ctx, c, srv.BusinessAccountID)
	if err != nil {
		t.Fatal(err)
	}
	f, _, err := c.GetFlow(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if *f.Status != "PUBLISHED" {
		t.Fatalf("status = %s", *f.Status)
	}
	// Deploying again hits Graph's unique-name rule.
	if _, err := deploySurvey(ctx, c, srv.BusinessAccountID); !client.IsInvalidParameter(err) {
		t.Fatalf("second deploy: %v", err)
	}
}

func TestAccountsAreIsolated(t *testing.T) {
	srv := waflowstest.Start(t, waflowstest.WithBusinessAccount("109876543210987", "Other shop"))
	ctx := context.Background()
	mine := srv.Client(t)
	other, err := client.New(client.WithBaseURL(srv.URL), client.WithToken(srv.TokenFor("109876543210987")))
	if err != nil {
		t.Fatal(err)
	}
	id, err := deploySurvey(ctx, mine, srv.BusinessAccountID)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := other.GetFlow(ctx, id); !client.IsNotFound(err) {
		t.Fatalf("other account sees my flow: %v", err)
	}
	if _, err := deploySurvey(ctx, other, "109876543210987"); err != nil {
		t.Fatalf("the other account deploys its own: %v", err)
	}
}

func TestEachServerIsFresh(t *testing.T) {
	ctx := context.Background()
	for range 2 {
		srv := waflowstest.Start(t)
		page, _, err := srv.Client(t).ListFlows(ctx, srv.BusinessAccountID, nil)
		if err != nil || len(page.Flows) != 0 {
			t.Fatalf("new server lists %v, %v", page, err)
		}
		if _, err := deploySurvey(ctx, srv.Client(t), srv.BusinessAccountID); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := waflowstest.New(waflowstest.WithBusinessAccount("abc", "x")); err == nil {
		t.Fatal("non-numeric account id accepted")
	}
	if _, err := waflowstest.New(waflowstest.WithBusinessAccount(waflowstest.DefaultBusinessAccountID, "x")); err == nil {
		t.Fatal("duplicate account accepted")
	}
}
