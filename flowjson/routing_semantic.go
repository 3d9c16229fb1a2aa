package flowjson

// This file holds the routing rules: the routing model given with data_api_version, or the one derived
// from navigate actions (section B.4).

import (
	"fmt"
	"slices"
	"strings"
)

// maxBranches is Meta's limit on the routes leaving a screen.
const maxBranches = 10

// graph is a routing model over screen indexes.
type graph struct {
	out [][]int // forward edges
	in  []int   // inbound edge counts
}

func newGraph(n int) graph { return graph{out: make([][]int, n), in: make([]int, n)} }

func (g *graph) add(u, v int) bool {
	if slices.Contains(g.out[u], v) {
		return false
	}
	g.out[u] = append(g.out[u], v)
	g.in[v]++
	return true
}

func (g *graph) has(u, v int) bool { return slices.Contains(g.out[u], v) }

// reachable returns the screens connected to screen 0, edges taken both ways.
func (g *graph) reachable() []bool {
	n := len(g.out)
	back := make([][]int, n)
	for u, vs := range g.out {
		for _, v := range vs {
			back[v] = append(back[v], u)
		}
	}
	seen := make([]bool, n)
	if n == 0 {
		return seen
	}
	queue := []int{0}
	seen[0] = true
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, list := range [2][]int{g.out[u], back[u]} {
			for _, v := range list {
				if !seen[v] {
					seen[v] = true
					queue = append(queue, v)
				}
			}
		}
	}
	return seen
}

// cycles returns the strongly connected components of g with at least min
// screens (Tarjan's algorithm), each sorted by screen index.
func (g *graph) cycles(min int) [][]int {
	n := len(g.out)
	index, low := make([]int, n), make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var out [][]int
	next := 0
	var visit func(u int)
	visit = func(u int) {
		index[u], low[u] = next, next
		next++
		stack = append(stack, u)
		onStack[u] = true
		for _, v := range g.out[u] {
			if index[v] < 0 {
				visit(v)
				low[u] = min2(low[u], low[v])
			} else if onStack[v] {
				low[u] = min2(low[u], index[v])
			}
		}
		if low[u] != index[u] {
			return
		}
		var comp []int
		for {
			w := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[w] = false
			comp = append(comp, w)
			if w == u {
				break
			}
		}
		if len(comp) >= min {
			slices.Sort(comp)
			out = append(out, comp)
		}
	}
	for u := 0; u < n; u++ {
		if index[u] < 0 {
			visit(u)
		}
	}
	return out
}

func min2(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// navigateEdges returns the navigate actions to other, existing screens:
// what Meta derives a routing model from when a flow has none.
func (a *analyzer) navigateEdges(yield func(act *actionInfo, from, to int)) {
	for i := range a.actions {
		act := &a.actions[i]
		if act.name != "navigate" || act.next < 0 || !act.nextScr {
			continue
		}
		from := a.comps[act.comp].screen
		to := a.screenIndex(a.t.view(act.next))
		if to >= 0 && to != from {
			yield(act, from, to)
		}
	}
}

// hasNavigationList reports whether screen si holds a NavigationList.
func (a *analyzer) hasNavigationList(si int) bool {
	s := &a.screens[si]
	for j := s.comps0; j < s.comps1; j++ {
		if a.comps[j].typ == cNavigationList {
			return true
		}
	}
	return false
}

// badNavigate reports whether a navigate action names an unknown screen or
// its own screen: those faults are reported once, and the routing rules
// they would upset are skipped.
func (a *analyzer) badNavigate() bool {
	for i := range a.actions {
		act := &a.actions[i]
		if act.name != "navigate" || act.next < 0 || !act.nextScr {
			continue
		}
		target := a.t.view(act.next)
		if strings.HasPrefix(target, "${") {
			continue
		}
		if to := a.screenIndex(target); to < 0 || to == a.comps[act.comp].screen {
			return true
		}
	}
	return false
}

func (a *analyzer) checkRouting() {
	if len(a.screens) > maxScreens {
		return // MAX_SCREENS_NUMBER is the fault; routing more would cost the square
	}
	switch {
	case a.routing >= 0:
		a.checkGivenRouting()
	case a.dataAPI < 0:
		a.checkDerivedRouting()
	}
}

// checkGivenRouting applies the rules of an explicit routing_model (B.4).
func (a *analyzer) checkGivenRouting() {
	n := len(a.screens)
	g := newGraph(n)
	present := make([]bool, n)
	keyNode := make([]int, n)
	invalid, looped := false, false
	for k, dests := range a.t.members(a.routing) {
		src := a.screenIndex(a.t.view(k))
		if src < 0 {
			a.report(k, CodeInvalidRoutingModel, fmt.Sprintf("Invalid screens found in the routing model: [%s].", a.t.view(k)))
			invalid = true
			continue
		}
		present[src], keyNode[src] = true, k
		if a.t.count(dests) > maxBranches {
			a.report(k, CodeInvalidRoutingModel, fmt.Sprintf("Number of branches exceeds the max limit of %d for screen: %s.", maxBranches, a.t.view(k)))
		}
		for _, d := range a.t.elements(dests) {
			dst := a.screenIndex(a.t.view(d))
			switch {
			case dst < 0:
				a.report(d, CodeInvalidRoutingModel, fmt.Sprintf("Invalid screens found in the routing model: [%s].", a.t.view(d)))
				invalid = true
			case dst == src:
				a.report(d, CodeInvalidRoutingModel, fmt.Sprintf("Loop detected in the routing model for screens: [%s].", a.t.view(d)))
				looped = true
			default:
				present[dst] = true
				if g.has(dst, src) {
					a.report(d, CodeInvalidRoutingModel,
						fmt.Sprintf("Backward route [%s->%s] corresponding to forward route [%s->%s] is not allowed in the routing model. Only forward routes can be specified.",
							a.screens[src].id, a.screens[dst].id, a.screens[dst].id, a.screens[src].id))
					looped = true
					continue
				}
				g.add(src, dst)
			}
		}
	}
	for _, cycle := range g.cycles(3) {
		ids := make([]string, len(cycle))
		at := keyNode[cycle[0]]
		for i, s := range cycle {
			ids[i] = a.screens[s].id
			if keyNode[s] < at {
				at = keyNode[s]
			}
		}
		a.report(at, CodeInvalidRoutingModel, fmt.Sprintf("Loop detected in the routing model for screens: %s.", listOf(ids...)))
		looped = true
	}
	if invalid {
		return
	}
	missing := make([]bool, n)
	for i := range a.screens {
		if a.duplicateScreen(i) {
			missing[i] = true // reported as a duplicate id already
			continue
		}
		if !present[i] && !a.screens[i].terminal {
			missing[i] = true
			a.report(a.screens[i].idNode, CodeInvalidRoutingModel,
				fmt.Sprintf("Following screens are missing in the routing model: [%s].", a.screens[i].id))
		}
	}
	if !looped {
		inbound := slices.Clone(g.in)
		if a.ver >= v73 {
			a.navigateEdges(func(_ *actionInfo, _, to int) { inbound[to]++ })
		}
		if !slices.Contains(inbound, 0) {
			a.report(a.routing, CodeInvalidRoutingModel,
				"No entry screen found in the routing model. Expected a screen with no inbound edges as the entry screen.")
		}
	}
	seen := g.reachable()
	for i := range a.screens {
		if !seen[i] && !missing[i] {
			a.report(a.screens[i].idNode, CodeInvalidRoutingModel,
				fmt.Sprintf("Following screens are not connected with the rest of the screens: [%s]. All screens should be connected.", a.screens[i].id))
		}
	}
	a.navigateEdges(func(act *actionInfo, from, to int) {
		if a.ver >= v62 && a.hasNavigationList(from) {
			return
		}
		if !g.has(from, to) && !g.has(to, from) {
			a.report(act.next, CodeInvalidRoutingModel,
				fmt.Sprintf("Missing direct route from screen '%s' to screen '%s' in the routing model, while it exists in the navigate screen action of screen '%s'.",
					a.screens[from].id, a.screens[to].id, a.screens[from].id))
		}
	})
}

// checkDerivedRouting applies the routing rules to the model Meta derives
// from navigate actions when a flow has no endpoint and no routing_model.
func (a *analyzer) checkDerivedRouting() {
	if a.badNavigate() {
		return
	}
	n := len(a.screens)
	g := newGraph(n)
	inModel := make([]bool, n)
	lists := false
	a.navigateEdges(func(_ *actionInfo, from, to int) {
		g.add(from, to)
		inModel[from], inModel[to] = true, true
	})
	for i := range a.actions {
		if a.actions[i].name == "complete" {
			inModel[a.comps[a.actions[i].comp].screen] = true
		}
	}
	if a.ver >= v62 {
		for i := range a.screens {
			if !a.hasNavigationList(i) {
				continue
			}
			lists = true
			inModel[i] = true
			for j := range a.screens {
				if j != i {
					g.add(i, j)
					inModel[j] = true
				}
			}
		}
	}
	for i := range a.screens {
		if len(g.out[i]) > maxBranches {
			a.report(a.screens[i].idNode, CodeInvalidRoutingModel,
				fmt.Sprintf("Number of branches exceeds the max limit of %d for screen: %s. Reduce navigate actions for the screen.", maxBranches, a.screens[i].id))
		}
	}
	if !lists && !slices.Contains(g.in, 0) {
		_, screens, _ := a.lookup(root, "screens")
		a.report(screens, CodeInvalidRoutingModel,
			"No entry screen found in the routing model. Add a screen that is not used as the next screen in any of the navigate actions.")
		return
	}
	if n < 2 {
		return
	}
	seen := g.reachable()
	for i := range a.screens {
		if a.duplicateScreen(i) {
			continue // reported as a duplicate id already
		}
		if !seen[i] || !inModel[i] {
			a.report(a.screens[i].idNode, CodeInvalidRoutingModel,
				fmt.Sprintf("Following screens are not connected with the rest of the screens via navigate screen action: [%s]. All screens should be connected.", a.screens[i].id))
		}
	}
}
