// waflows push: validate a Flow JSON locally, then bring the account's flow of that name to it — create,
// upload, publish, or deploy a new version of a published flow — doing nothing when it already holds it.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/waflows/waflows/client"
	"github.com/waflows/waflows/flowjson"
)

const pushHelp = `
Without a flow named NAME, push creates it (--category is then required), uploads FILE and, with --publish,
publishes it. A draft named NAME gets FILE (and is published with --publish).
Pushing the bytes the flow already holds changes nothing and exits 0 ("up to date"), so a pipeline can push
on every run.

Published flows cannot change. With --new-version, a FILE that differs from a published (or deprecated)
flow's JSON is deployed the way Meta recommends: the flow is cloned into a new draft, FILE is uploaded to it,
the draft is published, and the old version deprecated. Versions are named NAME, "NAME (v2)", "NAME (v3)",
…; push always works on the newest, so --name stays the same for every deploy, and a deploy that stopped
half-way (say, deprecating failed) is finished by the next push with --new-version. Do not give other flows
such names by hand: push takes them for versions of NAME.`

// push implements `waflows push FILE --waba ID --name NAME [--category C…] [--publish] [--new-version]`.
func push(ctx context.Context, args []string, std stdio) error {
	var cf commonFlags
	fs := newFlagSet("push")
	cf.register(fs, true, `print what push did: {"id","name","up_to_date","created","uploaded","published","deprecated"}`, std)
	name := fs.String("name", "", "flow name: the newest version of the flow with this name is updated, or a new flow created")
	publish := fs.Bool("publish", false, "publish the flow after uploading")
	newVersion := fs.Bool("new-version", false, `when the flow is published and FILE differs, deploy FILE as the next version ("NAME (v2)", …): clone, upload, publish, deprecate the old`)
	endpoint := fs.String("endpoint-uri", "", "https endpoint for data exchange (set on the flow before publishing)")
	var cats listFlag
	fs.Var(&cats, "category", "categories of the flow (repeatable or comma-separated); required for a new flow; a new version keeps its predecessor's unless given")
	pos, err := fs.parseArgs(args, std)
	if err != nil {
		return err
	}
	if err := cf.needWABA(); err != nil {
		return err
	}
	if *name == "" {
		return fs.fail("push needs --name")
	}
	data, display, err := readInput(ctx, pos[0], std.in)
	if err != nil {
		return err
	}
	if err := checkSize(display, data); err != nil {
		return err
	}
	res, err := flowjson.AnalyzeContext(ctx, data)
	if err != nil {
		return err
	}
	printFindings(std.out, display, res)
	if len(res.Errors) > 0 {
		fmt.Fprintf(std.err, "push: %s has %d validation error(s); nothing was sent\n", display, len(res.Errors))
		return errInvalid
	}
	c, err := cf.client()
	if err != nil {
		return err
	}
	p := &pusher{report: pushReport{Deprecated: []string{}}, c: c, waba: cf.waba, name: *name, data: data, display: display, endpoint: *endpoint,
		categories: cats, publish: *publish, newVersion: *newVersion, std: std}
	if err := p.run(ctx); err != nil {
		if errors.Is(err, errInvalid) {
			return err
		}
		var ue usageError
		if errors.As(err, &ue) {
			return fs.fail("%v", ue.err)
		}
		return cf.explain(err)
	}
	if cf.json {
		return printJSON(std.out, p.report)
	}
	fmt.Fprintln(std.out, p.report.ID)
	return nil
}

// pushReport is what push did, printed with --json.
type pushReport struct {
	ID         string   `json:"id"`   // the flow that holds FILE now
	Name       string   `json:"name"` // its name: NAME, or "NAME vN" for a new version
	UpToDate   bool     `json:"up_to_date"`
	Created    bool     `json:"created"`
	Uploaded   bool     `json:"uploaded"`
	Published  bool     `json:"published"`
	Deprecated []string `json:"deprecated"` // the older versions this push deprecated
}

// pusher is one push.
type pusher struct {
	c                   *client.Client
	waba, name          string
	data                []byte
	display, endpoint   string
	categories          []string
	publish, newVersion bool
	std                 stdio
	report              pushReport
	versions            []flowVersion // the flow's versions, oldest first
	headJSON            []byte        // the newest version's Flow JSON (nil when it has none)
	headEndpoint        string
	headCategories      []client.Category
}

// flowVersion is one version of the pushed flow: NAME is 1, "NAME (v2)" is 2.
type flowVersion struct {
	n      int
	id     string
	name   string
	status client.FlowStatus
}

// versionName is the name of version n of name.
func versionName(name string, n int) string {
	if n == 1 {
		return name
	}
	return name + " (v" + strconv.Itoa(n) + ")"
}

// versionNumber is the version of name that candidate names, or 0 when it names none.
func versionNumber(name, candidate string) int {
	if candidate == name {
		return 1
	}
	rest, ok := strings.CutPrefix(candidate, name)
	if !ok {
		return 0
	}
	return versionSuffix(rest)
}

// versionSuffix is N for " (vN)" with N ≥ 2 written without leading zeros, else 0.
func versionSuffix(s string) int {
	digits, ok := strings.CutPrefix(s, " (v")
	if !ok {
		return 0
	}
	digits, ok = strings.CutSuffix(digits, ")")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(digits)
	if err != nil || n < 2 || strconv.Itoa(n) != digits {
		return 0
	}
	return n
}

// isVersionName reports whether name is itself "SOMETHING (vN)", the name of a version of another flow.
func isVersionName(name string) bool {
	i := strings.LastIndex(name, " (v")
	return i > 0 && versionSuffix(name[i:]) > 0
}

// live reports whether a flow in status s is published (throttled and blocked flows are published ones
// that Meta restricts).
func live(s client.FlowStatus) bool {
	return s == client.StatusPublished || s == client.StatusThrottled || s == client.StatusBlocked
}

// sameCategories reports whether a and b hold the same categories, in any order.
func sameCategories(a, b []client.Category) bool {
	if len(a) != len(b) {
		return false
	}
	for _, c := range a {
		if !slices.Contains(b, c) {
			return false
		}
	}
	for _, c := range b {
		if !slices.Contains(a, c) {
			return false
		}
	}
	return true
}

func (p *pusher) say(format string, a ...any) { fmt.Fprintf(p.std.err, format+"\n", a...) }

func (p *pusher) run(ctx context.Context) error {
	if isVersionName(p.name) {
		return usageError{fmt.Errorf("--name %q is the name of a version: give the flow's own name (push names its versions NAME (v2), NAME (v3), …)", p.name), ""}
	}
	if err := p.findVersions(ctx); err != nil {
		return err
	}
	if len(p.versions) == 0 {
		if len(p.categories) == 0 {
			return usageError{fmt.Errorf("there is no flow named %q yet: pass at least one --category to create it", p.name), ""}
		}
		return p.createAndDeploy(ctx, 1, "", categoryList(p.categories), p.publish)
	}
	head := p.versions[len(p.versions)-1]
	earlier := p.versions[:len(p.versions)-1]
	p.report.ID, p.report.Name = head.id, head.name
	if err := p.readHead(ctx, head); err != nil {
		return err
	}
	same := bytes.Equal(p.headJSON, p.data)
	endpointChanges := p.endpoint != "" && p.endpoint != p.headEndpoint
	categoriesChange := len(p.categories) > 0 && !sameCategories(categoryList(p.categories), p.headCategories)

	if head.status == client.StatusDraft {
		p.say("using draft %s (%s)", head.id, head.name)
		// A draft after earlier versions is a new version under way (a deploy that stopped half-way):
		// --new-version finishes it, with the endpoint of the version before when it has none yet (a
		// clone does not copy it).
		finishing := p.newVersion && len(earlier) > 0
		if finishing && p.endpoint == "" && p.headEndpoint == "" {
			endpoint, err := p.endpointOf(ctx, earlier[len(earlier)-1].id)
			if err != nil {
				return err
			}
			p.endpoint, endpointChanges = endpoint, endpoint != ""
		}
		if !same {
			if err := p.upload(ctx, head.id); err != nil {
				return err
			}
		}
		if endpointChanges {
			if err := p.setEndpoint(ctx, head.id, p.endpoint); err != nil {
				return err
			}
		}
		if categoriesChange {
			if err := p.setCategories(ctx, head.id); err != nil {
				return err
			}
		}
		if p.publish || finishing {
			if err := p.publishFlow(ctx, head.id); err != nil {
				return err
			}
		}
		if finishing {
			return p.deprecateOlder(ctx, head.n)
		}
		if p.publish {
			for _, v := range earlier {
				if live(v.status) {
					p.say("%s (%s) stays %s: --new-version deprecates the versions a new one replaces", v.id, v.name, v.status)
				}
			}
		}
		if same && !endpointChanges && !categoriesChange && !p.publish {
			p.upToDate()
		}
		return nil
	}

	if same && !endpointChanges && !categoriesChange && head.status != client.StatusDeprecated {
		p.upToDate()
		if p.newVersion {
			return p.deprecateOlder(ctx, head.n) // finishes a deploy that stopped before deprecating
		}
		return nil
	}
	next := versionName(p.name, head.n+1)
	if !p.newVersion {
		var why []string
		if head.status == client.StatusDeprecated {
			why = append(why, "can no longer be used")
		}
		if !same {
			why = append(why, p.display+" differs from its Flow JSON")
		}
		if endpointChanges {
			why = append(why, "--endpoint-uri differs from its endpoint")
		}
		if categoriesChange {
			why = append(why, "--category differs from its categories")
		}
		return fmt.Errorf("flow %q (%s) is %s, and %s; a published flow cannot change: pass --new-version to deploy %s as %q "+
			"(clone, upload, publish, deprecate the old version)", head.name, head.id, head.status, strings.Join(why, ", and "), p.display, next)
	}
	cats := p.headCategories
	if len(p.categories) > 0 {
		cats = categoryList(p.categories)
	}
	if p.endpoint == "" {
		p.endpoint = p.headEndpoint
	}
	if err := p.createAndDeploy(ctx, head.n+1, head.id, cats, true); err != nil {
		return err
	}
	return p.deprecateOlder(ctx, head.n+1)
}

// findVersions lists the account's flows and keeps the versions of the pushed one.
func (p *pusher) findVersions(ctx context.Context) error {
	for f, err := range p.c.Flows(ctx, p.waba, &client.ListOptions{Limit: 100, Fields: []string{"id", "name", "status"}}) {
		if err != nil {
			return err
		}
		if n := versionNumber(p.name, str(f.Name)); n > 0 {
			p.versions = append(p.versions, flowVersion{n: n, id: str(f.ID), name: str(f.Name), status: client.FlowStatus(str(f.Status))})
		}
	}
	slices.SortFunc(p.versions, func(a, b flowVersion) int { return a.n - b.n })
	return nil
}

// readHead reads the newest version's JSON, endpoint and categories.
func (p *pusher) readHead(ctx context.Context, head flowVersion) error {
	f, _, err := p.c.GetFlow(ctx, head.id, "id", "categories", "endpoint_uri")
	if err != nil {
		return err
	}
	p.headEndpoint = str(f.EndpointURI)
	if f.Categories != nil {
		p.headCategories = *f.Categories
	}
	data, _, err := p.c.DownloadFlowJSON(ctx, head.id)
	switch {
	case errors.Is(err, client.ErrNoFlowJSON):
	case err != nil:
		return err
	default:
		p.headJSON = data
	}
	return nil
}

// endpointOf reads a flow's endpoint_uri.
func (p *pusher) endpointOf(ctx context.Context, id string) (string, error) {
	f, _, err := p.c.GetFlow(ctx, id, "id", "endpoint_uri")
	if err != nil {
		return "", err
	}
	return str(f.EndpointURI), nil
}

// setCategories gives a draft the categories of --category.
func (p *pusher) setCategories(ctx context.Context, id string) error {
	cats := categoryList(p.categories)
	if _, err := p.c.UpdateFlow(ctx, id, client.UpdateFlowRequest{Categories: &cats}); err != nil {
		return err
	}
	p.say("categories set to %s", strings.Join(p.categories, ","))
	return nil
}

// createAndDeploy creates version n (cloned from cloneOf when set), uploads FILE, sets the endpoint, and
// publishes when asked.
func (p *pusher) createAndDeploy(ctx context.Context, n int, cloneOf string, cats []client.Category, publish bool) error {
	req := client.CreateFlowRequest{Name: versionName(p.name, n), Categories: cats}
	if cloneOf != "" {
		req.CloneFlowID = client.Ptr(cloneOf)
	}
	id, _, err := p.c.CreateFlow(ctx, p.waba, req)
	if err != nil {
		return err
	}
	p.report.ID, p.report.Name, p.report.Created = id, req.Name, true
	if cloneOf != "" {
		p.say("created flow %s (%s), a clone of %s", id, req.Name, cloneOf)
	} else {
		p.say("created flow %s (%s)", id, req.Name)
	}
	if err := p.upload(ctx, id); err != nil {
		return err
	}
	if p.endpoint != "" {
		if err := p.setEndpoint(ctx, id, p.endpoint); err != nil {
			return err
		}
	}
	if publish {
		return p.publishFlow(ctx, id)
	}
	return nil
}

func (p *pusher) upload(ctx context.Context, id string) error {
	verrs, _, err := p.c.UploadFlowJSON(ctx, id, p.data)
	if err != nil {
		return err
	}
	if len(verrs) > 0 {
		// Graph found what the local validator did not: show it and stop before publishing.
		printValidationErrors(p.std.out, p.display, verrs)
		p.say("push: Graph reported %d validation error(s) for %s", len(verrs), p.display)
		return errInvalid
	}
	p.report.Uploaded = true
	p.say("uploaded %s", p.display)
	return nil
}

// setEndpoint sets the endpoint after the upload, so Graph checks it against the new JSON's version.
func (p *pusher) setEndpoint(ctx context.Context, id, endpoint string) error {
	if _, err := p.c.UpdateFlow(ctx, id, client.UpdateFlowRequest{EndpointURI: client.Ptr(endpoint)}); err != nil {
		return err
	}
	p.say("endpoint_uri set to %s", endpoint)
	return nil
}

func (p *pusher) publishFlow(ctx context.Context, id string) error {
	if _, err := p.c.PublishFlow(ctx, id); err != nil {
		return err
	}
	p.report.Published = true
	p.say("published %s", id)
	return nil
}

// deprecateOlder deprecates every published version older than version n.
func (p *pusher) deprecateOlder(ctx context.Context, n int) error {
	for _, v := range p.versions {
		if v.n >= n || !live(v.status) {
			continue
		}
		if _, err := p.c.DeprecateFlow(ctx, v.id); err != nil {
			return fmt.Errorf("version %s (%s) is live, but deprecating %s (%s) failed (push again to retry): %w", p.report.ID, p.report.Name, v.id, v.name, err)
		}
		p.report.Deprecated = append(p.report.Deprecated, v.id)
		p.say("deprecated %s (%s)", v.id, v.name)
	}
	return nil
}

func (p *pusher) upToDate() {
	p.report.UpToDate = true
	p.say("up to date: flow %s (%s) already holds %s", p.report.ID, p.report.Name, p.display)
}
