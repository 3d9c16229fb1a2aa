package flowjson

// This file holds the semantic rules of screens: unique and reserved ids, per-screen component caps and
// placement, component names, and the rules over all screens (section B.3).

import (
	"fmt"
	"strings"
)

// typeCounts counts components per type on a screen or in a branch.
type typeCounts [numCompTypes]int

func (c *typeCounts) add(o typeCounts) {
	for i := range c {
		c[i] += o[i]
	}
}

func (c *typeCounts) maxWith(o typeCounts) {
	for i := range c {
		c[i] = max(c[i], o[i])
	}
}

// perScreenCaps are the limits of components per screen (section B.8).
var perScreenCaps = [...]struct {
	typ  compType
	cap  int
	code string
}{
	{cFooter, 1, CodeMaxFooterPerScreen},
	{cEmbeddedLink, 2, CodeMaxEmbeddedLinkPerScreen},
	{cImage, 3, CodeMaxImagePerScreen},
	{cOptIn, 5, CodeMaxOptInPerScreen},
	{cNavigationList, 2, CodeComponentTypeMaxNumberPerScreen},
	{cImageCarousel, 2, CodeComponentTypeMaxNumberPerScreen},
	{cForm, 1, CodeComponentTypeMaxNumberPerScreen},
}

// maxComponentsPerScreen is Meta's documented limit of components per screen.
const maxComponentsPerScreen = 50

// screenIndex returns the index of the screen with id id, or -1.
func (a *analyzer) screenIndex(id string) int {
	if i, ok := a.ids[id]; ok {
		return i
	}
	return -1
}

// duplicateScreen reports whether screen i repeats the id of an earlier
// screen: rules between screens then leave it out.
func (a *analyzer) duplicateScreen(i int) bool {
	return a.screens[i].id != "" && a.screenIndex(a.screens[i].id) != i
}

func (a *analyzer) checkScreenIDs() {
	_, screensNode, _ := a.lookup(root, "screens")
	if len(a.screens) > maxScreens {
		extra := a.screens[maxScreens].node
		a.report(extra, CodeMaxScreensNumber,
			fmt.Sprintf("Maximum number of screens allowed per Flow is %d but found %d.", maxScreens, len(a.screens)))
	}
	a.ids = make(map[string]int, len(a.screens))
	terminal := false
	for i := range a.screens {
		s := &a.screens[i]
		terminal = terminal || s.terminal
		if strings.EqualFold(s.id, "success") {
			a.report(s.idNode, CodeScreenIDIsReservedKeyword,
				fmt.Sprintf("Screen id cannot be %s since it is a reserved keyword.", quoteValue(s.id)))
		}
		if _, dup := a.ids[s.id]; dup {
			a.report(s.idNode, CodeDuplicateScreenIDs, fmt.Sprintf("Duplicate screen id found: %s.", quoteValue(s.id)))
			continue
		}
		a.ids[s.id] = i
	}
	if !terminal {
		a.report(screensNode, CodeMissingTerminalScreen, "Terminal screen is required but not provided.")
	}
}

// tally counts the components of comps[lo:hi] that are direct children of
// one array, with what they hold (see countOf).
func (a *analyzer) tally(lo, hi int) typeCounts {
	var out typeCounts
	for j := lo; j < hi; j = a.ends[j] {
		out.add(a.countOf(j))
	}
	return out
}

// countOf counts component comps[j] with what it holds, as Meta counts
// them: an If as the larger of its branches, a Switch as its largest case,
// a Form as the sum of its children.
func (a *analyzer) countOf(j int) typeCounts {
	var out typeCounts
	switch a.comps[j].typ {
	case cIf, cSwitch:
		a.branches(j, func(_ int, c typeCounts) { out.maxWith(c) })
	case cForm:
		out = a.tally(j+1, a.ends[j])
	}
	out[a.comps[j].typ]++
	return out
}

// branches calls fn with the array node and the counts of each non-empty
// branch of If or Switch comps[j] (then, else, or a case), in document
// order. One pass over the children: a Switch of many cases costs no more
// than its size.
func (a *analyzer) branches(j int, fn func(arr int, c typeCounts)) {
	var cur typeCounts
	arr := -1
	for k := j + 1; k < a.ends[j]; k = a.ends[k] {
		if b := a.comps[k].branch; b != arr {
			if arr >= 0 {
				fn(arr, cur)
			}
			arr, cur = b, typeCounts{}
		}
		cur.add(a.countOf(k))
	}
	if arr >= 0 {
		fn(arr, cur)
	}
}

// nth returns the index in comps of the n-th (0-based) component of type typ
// on screen si in document order, or the last one when there are fewer.
func (a *analyzer) nth(si int, typ compType, n int) int {
	s := &a.screens[si]
	last := -1
	for j := s.comps0; j < s.comps1; j++ {
		if a.comps[j].typ == typ {
			if n == 0 {
				return j
			}
			n--
			last = j
		}
	}
	return last
}

// typeNode returns the node of the "type" value of comps[ci].
func (a *analyzer) typeNode(ci int) int {
	return a.member(a.comps[ci].node, "type")
}

func (a *analyzer) checkScreenComponents(si int) {
	s := &a.screens[si]
	counts := a.tally(s.comps0, s.comps1)
	var flat typeCounts
	conditional := false
	for j := s.comps0; j < s.comps1; j++ {
		flat[a.comps[j].typ]++
		conditional = conditional || a.comps[j].typ == cIf || a.comps[j].typ == cSwitch
	}
	a.checkCounts(si, counts, flat, conditional)
	a.checkPlacement(si, flat)
	switch {
	case s.terminal && flat[cNavigationList] > 0:
		a.report(s.terminalKey, CodeInvalidPropertyKey,
			fmt.Sprintf("Property 'terminal' cannot be specified at screen %s: a screen with a NavigationList cannot be terminal.", quoteValue(s.id)))
	case s.terminal && flat[cFooter] == 0:
		a.report(s.terminalKey, CodeMissingFooterOnTerminalScreen,
			fmt.Sprintf("Footer component is missing on terminal screen %s.", quoteValue(s.id)))
	}
	a.checkNames(si, flat[cForm] > 0)
	for j := s.comps0; j < s.comps1; j++ {
		if a.past(a.comps[j].node) {
			return
		}
		a.checkComponentRules(si, j)
	}
	if s.sensitive >= 0 {
		for _, e := range a.t.elements(s.sensitive) {
			if _, ok := s.names[a.t.view(e)]; !ok {
				a.report(e, CodeInvalidSensitiveField,
					fmt.Sprintf("No component corresponding to the sensitive field %s can be found in screen %s.", quoteValue(a.t.view(e)), quoteValue(s.id)))
			}
		}
	}
}

// checkCounts applies the per-screen limits of component types and of
// components in all.
func (a *analyzer) checkCounts(si int, counts, flat typeCounts, conditional bool) {
	s := &a.screens[si]
	at := func(typ compType, cap int) int {
		if conditional {
			return a.typeNode(a.nth(si, typ, flat[typ]-1))
		}
		return a.typeNode(a.nth(si, typ, cap))
	}
	for _, c := range perScreenCaps {
		if counts[c.typ] <= c.cap || (c.typ == cForm && a.ver < v70) {
			continue
		}
		code := c.code
		msg := fmt.Sprintf("Maximum number of %s allowed per screen is %d but found %d.", c.typ, c.cap, counts[c.typ])
		if c.typ == cFooter && conditional && a.footerInBranch(si) {
			code, msg = CodeMoreThanOneFooter, "Maximum number of Footer component allowed per screen is 1."
		}
		a.report(at(c.typ, c.cap), code, msg)
	}
	if counts[cPhotoPicker]+counts[cDocumentPicker] > 1 {
		typ := cPhotoPicker
		if flat[cPhotoPicker] == 0 || (flat[cDocumentPicker] > 0 && a.nth(si, cDocumentPicker, 0) > a.nth(si, cPhotoPicker, 0)) {
			typ = cDocumentPicker
		}
		msg := "You can only have a maximum of 1 component of type PhotoPicker or DocumentPicker per screen."
		switch {
		case counts[cDocumentPicker] == 0:
			msg = "You can only have a maximum of 1 component of type PhotoPicker per screen."
		case counts[cPhotoPicker] == 0:
			msg = "You can only have a maximum of 1 component of type DocumentPicker per screen."
		}
		a.report(a.typeNode(a.nth(si, typ, flat[typ]-1)), CodeComponentTypeMaxNumberPerScreen, msg)
	}
	if total := s.comps1 - s.comps0 - flat[cForm]; total > maxComponentsPerScreen {
		n := 0
		for j := s.comps0; j < s.comps1; j++ {
			if a.comps[j].typ == cForm {
				continue
			}
			if n == maxComponentsPerScreen {
				a.report(a.typeNode(j), CodeMaxAllowedComponentsPerScreen,
					fmt.Sprintf("Maximum number of components allowed per screen is %d but found %d.", maxComponentsPerScreen, total))
				break
			}
			n++
		}
	}
}

// footerInBranch reports whether a Footer of screen si sits in an If or Switch.
func (a *analyzer) footerInBranch(si int) bool {
	s := &a.screens[si]
	for j := s.comps0; j < s.comps1; j++ {
		if a.comps[j].typ != cFooter {
			continue
		}
		for p := a.comps[j].parent; p >= 0; p = a.comps[p].parent {
			if t := a.comps[p].typ; t == cIf || t == cSwitch {
				return true
			}
		}
	}
	return false
}

// checkPlacement applies the rules of components that want a screen of
// their own: RichText (alone up to 6.2, with a Footer from 6.3) and
// NavigationList (only NavigationLists, inside a Form or not).
func (a *analyzer) checkPlacement(si int, flat typeCounts) {
	s := &a.screens[si]
	all := s.comps1 - s.comps0
	if t := flat[cRichText]; t > 0 {
		others := all
		msg, code := "", CodeInvalidComponentPlacement
		switch {
		case a.ver < v60:
			code = CodeInvalidRichTextPlacement
			msg = "RichText cannot be used with other components on the same screen. Please either remove RichText or ensure that it is the only component on the screen."
		case a.ver < v63:
			msg = "Only one RichText component can be used per screen. Please remove other components."
		default:
			others -= flat[cFooter]
			msg = "RichText can either be the only component on the screen or it can be paired exclusively with the Footer component. Please remove all components other than Footer from the same screen to use RichText."
		}
		if t > 1 || others > t {
			a.report(a.typeNode(a.nth(si, cRichText, 0)), code, msg)
		}
	}
	if t := flat[cNavigationList]; t > 0 && t <= 2 {
		if others := all - flat[cForm]; others > t {
			a.report(a.typeNode(a.nth(si, cNavigationList, 0)), CodeInvalidComponentPlacement,
				"Only up to 2 NavigationList components can be used per screen. Please remove other components.")
		}
	}
}

// checkNames builds the screen's map of component names, reports duplicate
// names and, when a Form is present (4.0+), inputs outside it.
func (a *analyzer) checkNames(si int, hasForm bool) {
	s := &a.screens[si]
	s.names = make(map[string]int, s.comps1-s.comps0)
	for j := s.comps0; j < s.comps1; j++ {
		c := &a.comps[j]
		if hasForm && a.ver >= v40 && c.typ.isInput() && !c.inForm {
			a.report(a.typeNode(j), CodeComponentsOutsideForm,
				fmt.Sprintf("Component '%s' is not allowed outside Form when Form component is present.", c.typ))
		}
		if c.nameNode < 0 {
			continue
		}
		if first, dup := s.names[c.name]; dup {
			if c.typ != cForm && a.comps[first].typ != cForm {
				a.report(c.nameNode, CodeDuplicateFormComponentNames, fmt.Sprintf("Duplicate name found for Form components: %s.", quoteValue(c.name)))
			}
			continue
		}
		s.names[c.name] = j
	}
}

// checkFlowRules applies the rules between top-level properties and screens.
func (a *analyzer) checkFlowRules() {
	if a.dataAPI >= 0 && a.routing < 0 {
		a.report(a.keyOf(root, "data_api_version"), CodeMissingRequiredProperty,
			"The property 'routing_model' is required for property 'data_api_version'.")
		a.flowLevel()
	}
	firstTerminal, success := -1, false
	for i := range a.screens {
		s := &a.screens[i]
		if s.refresh >= 0 && a.t.kind(s.refresh) == kindTrue && a.dataAPI < 0 {
			a.report(s.refresh, CodeInvalidPropertyValue, "Property 'refresh_on_back' can be true only when property 'data_api_version' is set.")
		}
		if !s.terminal {
			continue
		}
		if firstTerminal < 0 {
			firstTerminal = i
		}
		success = success || s.success < 0 || a.t.kind(s.success) == kindTrue
	}
	if firstTerminal >= 0 && !success {
		a.report(a.screens[firstTerminal].success, CodeInvalidPropertyValue,
			"At least one terminal screen must have property 'success' set as true.")
	}
	if a.carousel > 3 {
		n := 0
		for j := range a.comps {
			if a.comps[j].typ != cImageCarousel {
				continue
			}
			if n++; n == 4 {
				a.report(a.typeNode(j), CodeInvalidPropertyValue,
					fmt.Sprintf("Maximum number of ImageCarousel allowed per Flow is 3 but found %d.", a.carousel))
			}
		}
	}
}

// checkSoundParts runs, on a document with schema errors, the cross-screen rules whose inputs are all
// sound, so that one round of fixes is enough; each rule runs only where no schema error touches what it
// reads, so that one fault still gives one error:
//
//   - the screen id rules (MISSING_TERMINAL_SCREEN, duplicate and reserved ids, the screen count), when
//     every screen is an object with a well-formed id and terminal;
//   - then the names of navigate targets, and the rules of a given routing_model that has no error in it;
//   - then the routing rules derived from navigate actions, when no screen's layout has an error (a
//     component left unread could hold the action that connects a screen).
func (a *analyzer) checkSoundParts() {
	_, screens, ok := a.lookup(root, "screens")
	if !ok || a.t.kind(screens) != kindArray || len(a.screens) == 0 || a.t.count(screens) != len(a.screens) {
		return
	}
	layoutsSound := true
	for i := range a.screens {
		s := &a.screens[i]
		if s.id == "" || a.faultIn(s.idNode) || (s.terminalKey >= 0 && a.faultIn(s.terminalKey+1)) {
			return
		}
		layoutsSound = layoutsSound && s.layout >= 0 && !a.faultIn(s.layout)
	}
	a.checkScreenIDs()
	if !a.checkNavigateTargets() || len(a.screens) > maxScreens {
		return
	}
	switch {
	case a.routing >= 0:
		if !a.faultIn(a.routing) {
			a.checkGivenRouting()
		}
	case a.dataAPI < 0 && layoutsSound:
		a.checkDerivedRouting()
	}
}

// faultIn reports whether a schema error lies inside node i (a value or a container).
func (a *analyzer) faultIn(i int) bool {
	if i < 0 {
		return false
	}
	start, end := int(a.t.nodes[i].start), int(a.t.nodes[i].end)
	for _, f := range a.errs.list {
		if f.start >= start && f.start < end {
			return true
		}
	}
	return false
}

// checkNavigateTargets reports navigate actions to unknown screens or to their own screen, and whether
// all of them were sound.
func (a *analyzer) checkNavigateTargets() bool {
	sound := true
	for i := range a.actions {
		act := &a.actions[i]
		if act.name != "navigate" || a.faultIn(act.node) {
			continue
		}
		if _, ok := a.navigateTarget(act); !ok {
			sound = false
		}
	}
	return sound
}

// navigateTarget returns the screen a navigate action goes to (-1 when it is dynamic or absent), or
// reports a target that is unknown or the action's own screen.
func (a *analyzer) navigateTarget(act *actionInfo) (int, bool) {
	if act.next < 0 || !act.nextScr {
		return -1, true
	}
	target := a.t.view(act.next)
	if strings.HasPrefix(target, "${") {
		return -1, true
	}
	switch ti := a.screenIndex(target); ti {
	case -1:
		a.report(act.next, CodeInvalidNavigateActionNextScreenName, fmt.Sprintf("Unknown screen ids found: [%s].", target))
		return -1, false
	case a.comps[act.comp].screen:
		a.report(act.next, CodeInvalidNavigateActionNextScreenName, fmt.Sprintf("Same screen navigation is not allowed. Loop detected at [%s].", target))
		return -1, false
	default:
		return ti, true
	}
}
