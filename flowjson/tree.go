package flowjson

// This file holds the parsed document: nodes in one slice, member and element iteration, duplicate keys,
// decoded strings, and paths.

import (
	"encoding/json"
	"iter"
	"math"
	"strconv"
	"strings"
	"unsafe"
)

// kind is the JSON type of a node; kindKey marks an object member's name.
type kind uint8

const (
	kindNull kind = iota
	kindFalse
	kindTrue
	kindNumber
	kindString
	kindKey
	kindArray
	kindObject
)

// typeName is the JSON Schema name of k, as used in messages.
func (k kind) typeName() string {
	switch k {
	case kindNull:
		return "null"
	case kindFalse, kindTrue:
		return "boolean"
	case kindNumber:
		return "number"
	case kindString, kindKey:
		return "string"
	case kindArray:
		return "array"
	}
	return "object"
}

// node is one JSON value or object key. Nodes sit in one slice in document
// order (pre-order), so a container's descendants directly follow it and
// next skips the whole subtree. An object's children alternate key, value.
// Strings stay offsets into the source and are decoded only on demand.
type node struct {
	start, end int32 // byte offsets of the token; end is exclusive; containers span their brackets
	next       int32 // index of the first node after this one's subtree
	kind       kind
	escaped    bool // a string or key that contains backslash escapes
	shadowed   bool // a key that a later key of its object repeats (set by markDuplicates or markSmall)
	marked     bool // an object whose keys' shadowed flags are all set
}

// tree is a parsed document; node 0 is the top-level value.
type tree struct {
	src   []byte
	nodes []node
	dups  map[int]*dupIndex // for objects of more than smallObject members (see laterDuplicate)
	stop  stopper
}

// dupIndex answers laterDuplicate for one large object: the last key node of
// each name asked about, until so many names are asked that marking every
// key's shadowed flag at once is cheaper.
type dupIndex struct {
	last map[string]int
}

const root = 0

func (t *tree) kind(i int) kind { return t.nodes[i].kind }

// members yields the key and value node of every member of object obj, in
// document order, duplicates included.
func (t *tree) members(obj int) iter.Seq2[int, int] {
	return func(yield func(key, val int) bool) {
		end := int(t.nodes[obj].next)
		for k := obj + 1; k < end; k = int(t.nodes[k+1].next) {
			t.stop.step()
			if !yield(k, k+1) {
				return
			}
		}
	}
}

// elements yields the index and node of every element of array arr.
func (t *tree) elements(arr int) iter.Seq2[int, int] {
	return func(yield func(idx, val int) bool) {
		end := int(t.nodes[arr].next)
		for i, v := 0, arr+1; v < end; i, v = i+1, int(t.nodes[v].next) {
			t.stop.step()
			if !yield(i, v) {
				return
			}
		}
	}
}

// isEmpty reports whether container i has no members or elements.
func (t *tree) isEmpty(i int) bool { return int(t.nodes[i].next) == i+1 }

// member finds the member named name in object obj. When the name occurs
// more than once the last occurrence wins, as in most JSON decoders.
func (t *tree) member(obj int, name string) (key, val int, ok bool) {
	for k, v := range t.members(obj) {
		if t.textEquals(k, name) {
			key, val, ok = k, v, true
		}
	}
	return key, val, ok
}

// text decodes string or key node i.
func (t *tree) text(i int) string {
	n := t.nodes[i]
	if !n.escaped {
		return string(t.src[n.start+1 : n.end-1])
	}
	// Rare: let encoding/json apply the escapes (surrogate pairs included);
	// the parser has already proven the token well formed.
	var s string
	if err := json.Unmarshal(t.src[n.start:n.end], &s); err != nil {
		return string(t.src[n.start+1 : n.end-1])
	}
	return s
}

// view returns string or key node i like text, but without copying when the
// token has no escapes: the result then shares memory with the input, so it
// must not outlive Analyze (results and messages copy what they keep).
func (t *tree) view(i int) string {
	n := t.nodes[i]
	if n.escaped {
		return t.text(i)
	}
	if n.end-n.start <= 2 {
		return ""
	}
	return unsafe.String(&t.src[n.start+1], int(n.end-n.start-2))
}

// raw returns the source bytes of node i as a string sharing the input.
func (t *tree) raw(i int) string {
	n := t.nodes[i]
	if n.end <= n.start {
		return ""
	}
	return unsafe.String(&t.src[n.start], int(n.end-n.start))
}

// number returns the value of number node i.
func (t *tree) number(i int) float64 {
	f, err := strconv.ParseFloat(t.raw(i), 64)
	if err != nil {
		// Out of range: the parser has proven the token well formed.
		if strings.HasPrefix(t.raw(i), "-") {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	return f
}

// isInteger reports whether number node i has an integral value.
func (t *tree) isInteger(i int) bool {
	f := t.number(i)
	return !math.IsInf(f, 0) && f == math.Trunc(f)
}

// count returns the number of elements or members of container i.
func (t *tree) count(i int) int {
	n := 0
	end := int(t.nodes[i].next)
	step := 1
	if t.nodes[i].kind == kindObject {
		step = 2
	}
	for c := i + 1; c < end; {
		n++
		for s := 0; s < step; s++ {
			c = int(t.nodes[c].next)
		}
	}
	return n
}

// smallObject is the member count up to which laterDuplicate marks an
// object's duplicates at once, comparing names pairwise; askedNames is how many
// names of a larger object it looks up with one scan each before it indexes
// them all.
const (
	smallObject = 8
	askedNames  = 16
)

// laterDuplicate reports whether object obj has another member named like key
// k after it: the earlier occurrence is then shadowed (the last one wins).
// Asked about every key of an object, it costs time linear in the object's
// size: small objects are scanned, large ones indexed.
func (t *tree) laterDuplicate(obj, k int) bool {
	if t.nodes[obj].marked {
		return t.nodes[k].shadowed
	}
	idx := t.dups[obj]
	if idx == nil {
		end := int(t.nodes[obj].next)
		var keys [smallObject]int32
		n := 0
		for j := obj + 1; j < end; j = int(t.nodes[j+1].next) {
			if n == smallObject {
				n = -1
				break
			}
			keys[n] = int32(j)
			n++
		}
		if n >= 0 {
			// A small object: its duplicates are marked once, comparing its names pairwise.
			for i := range n {
				for j := i + 1; j < n; j++ {
					if t.view(int(keys[i])) == t.view(int(keys[j])) {
						t.nodes[keys[i]].shadowed = true
						break
					}
				}
			}
			t.nodes[obj].marked = true
			return t.nodes[k].shadowed
		}
		if t.dups == nil {
			t.dups = map[int]*dupIndex{}
		}
		idx = &dupIndex{last: map[string]int{}}
		t.dups[obj] = idx
	}
	name := t.view(k)
	if last, ok := idx.last[name]; ok {
		return last > k
	}
	if len(idx.last) >= askedNames {
		t.markDuplicates(obj)
		t.nodes[obj].marked = true
		return t.nodes[k].shadowed
	}
	end := int(t.nodes[obj].next)
	last := k
	for j := obj + 1; j < end; j = int(t.nodes[j+1].next) {
		if t.view(j) == name {
			last = j
		}
	}
	idx.last[name] = last
	return last > k
}

// markDuplicates sets the shadowed flag of every key of object obj that a
// later key repeats.
func (t *tree) markDuplicates(obj int) {
	var keys []int
	for k := range t.members(obj) {
		keys = append(keys, k)
	}
	seen := make(map[string]struct{}, len(keys))
	for i := len(keys) - 1; i >= 0; i-- {
		name := t.view(keys[i])
		if _, dup := seen[name]; dup {
			t.nodes[keys[i]].shadowed = true
			continue
		}
		seen[name] = struct{}{}
	}
}

// textEquals reports whether string or key node i decodes to s, without
// allocating when the token has no escapes.
func (t *tree) textEquals(i int, s string) bool {
	n := t.nodes[i]
	if !n.escaped {
		return string(t.src[n.start+1:n.end-1]) == s
	}
	return t.text(i) == s
}

// paths answers "what is the dotted path of node i" in O(depth). It is
// built only when a document has errors.
type paths struct {
	t       *tree
	parent  []int32 // container holding each node; the root has none
	ordinal []int32 // index among the parent's children (in objects keys and values both count)
}

func newPaths(t *tree) *paths {
	p := &paths{t: t, parent: make([]int32, len(t.nodes)), ordinal: make([]int32, len(t.nodes))}
	for i, n := range t.nodes {
		if n.kind != kindArray && n.kind != kindObject {
			continue
		}
		for c, ord := i+1, int32(0); c < int(n.next); c, ord = int(t.nodes[c].next), ord+1 {
			p.parent[c], p.ordinal[c] = int32(i), ord
		}
	}
	return p
}

// keyInPath is how many characters of a key a path repeats.
const keyInPath = 60

// of returns the dotted path of node i, e.g. "screens[0].layout.children[2]";
// a key has the path of its value, and the root the empty path.
func (p *paths) of(i int) string {
	var chain []int // nodes from i up to, not including, the root
	for n := i; n != root; n = int(p.parent[n]) {
		chain = append(chain, n)
	}
	var b strings.Builder
	for j := len(chain) - 1; j >= 0; j-- {
		n := chain[j]
		if p.t.kind(int(p.parent[n])) == kindArray {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(int(p.ordinal[n])))
			b.WriteByte(']')
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if p.t.kind(n) != kindKey {
			n-- // a member's value directly follows its key
		}
		b.WriteString(clipTo(p.t.text(n), keyInPath))
	}
	return b.String()
}

// hasDataExchangeAction reports whether any object held by a key ending in
// "-action" (on-click-action, on-select-action, on-unselect-action, …) has
// "name":"data_exchange". A flat scan over the nodes finds them at any depth.
func (t *tree) hasDataExchangeAction() bool {
	for i := range t.nodes {
		if t.nodes[i].kind != kindKey || t.nodes[i+1].kind != kindObject || !t.isActionKey(i) {
			continue
		}
		if _, name, ok := t.member(i+1, "name"); ok && t.kind(name) == kindString && t.textEquals(name, "data_exchange") {
			return true
		}
	}
	return false
}

func (t *tree) isActionKey(key int) bool {
	const suffix = "-action"
	n := t.nodes[key]
	if n.escaped {
		return strings.HasSuffix(t.text(key), suffix)
	}
	raw := t.src[n.start+1 : n.end-1]
	return len(raw) >= len(suffix) && string(raw[len(raw)-len(suffix):]) == suffix
}
