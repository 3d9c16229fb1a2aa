package sqlite

import (
	"context"
	"sort"
	"sync"

	"github.com/waflows/waflows/api"
)

// flowIndex keeps every flow's metadata in memory, in step with the database, so reads (a flow by id, a
// page of an account's flows) cost no SQL. It is exact because one process owns the database file (see
// lockFile) and every write goes through Store, which updates the index after its commit while holding
// Store.writeMu. Flow JSON bytes are not kept here; they are read from the database on demand.
type flowIndex struct {
	mu     sync.RWMutex
	byID   map[string]*api.Flow
	byWABA map[string][]*api.Flow // ascending Seq
}

func newFlowIndex() *flowIndex {
	return &flowIndex{byID: map[string]*api.Flow{}, byWABA: map[string][]*api.Flow{}}
}

// load fills the index from the database.
func (x *flowIndex) load(ctx context.Context, s *Store) error {
	rows, err := s.writer.QueryContext(ctx, `SELECT `+flowColumns+` FROM flows ORDER BY seq`)
	if err != nil {
		return wrap(err)
	}
	defer rows.Close()
	x.mu.Lock()
	defer x.mu.Unlock()
	for rows.Next() {
		f, err := scanFlow(rows)
		if err != nil {
			return wrap(err)
		}
		p := &f
		x.byID[f.ID] = p
		x.byWABA[f.WABAID] = append(x.byWABA[f.WABAID], p)
	}
	return wrap(rows.Err())
}

// get returns a copy of the flow. Its slices are shared with the index and must not be modified.
func (x *flowIndex) get(id string) (api.Flow, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	f, ok := x.byID[id]
	if !ok {
		return api.Flow{}, false
	}
	return *f, true
}

// put inserts or replaces a flow that the database now holds.
func (x *flowIndex) put(f api.Flow) {
	p := &f
	x.mu.Lock()
	defer x.mu.Unlock()
	list := x.byWABA[f.WABAID]
	i := sort.Search(len(list), func(i int) bool { return list[i].Seq >= f.Seq })
	switch {
	case i < len(list) && list[i].Seq == f.Seq:
		list[i] = p
	case i == len(list):
		x.byWABA[f.WABAID] = append(list, p)
	default:
		list = append(list, nil)
		copy(list[i+1:], list[i:])
		list[i] = p
		x.byWABA[f.WABAID] = list
	}
	x.byID[f.ID] = p
}

// remove drops a flow the database no longer holds.
func (x *flowIndex) remove(f api.Flow) {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.byID, f.ID)
	list := x.byWABA[f.WABAID]
	i := sort.Search(len(list), func(i int) bool { return list[i].Seq >= f.Seq })
	if i < len(list) && list[i].Seq == f.Seq {
		x.byWABA[f.WABAID] = append(list[:i], list[i+1:]...)
	}
}

// page returns one page of an account's flows, newest first, by keyset on Seq.
func (x *flowIndex) page(wabaID string, p api.Page) api.FlowPage {
	limit := p.Limit
	if limit <= 0 {
		limit = 25
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	list := x.byWABA[wabaID] // ascending Seq
	// [lo, hi) is the window of list the page is cut from; the page runs from hi-1 downwards.
	var lo, hi int
	var res api.FlowPage
	switch {
	case p.Before > 0:
		// The flows just newer than the cursor: the first `limit` with Seq > Before, in ascending order.
		lo = sort.Search(len(list), func(i int) bool { return list[i].Seq > p.Before })
		hi = min(lo+limit, len(list))
		res.HasPrevious = hi < len(list)
		res.HasNext = lo > 0
	case p.After > 0:
		hi = sort.Search(len(list), func(i int) bool { return list[i].Seq >= p.After })
		lo = max(hi-limit, 0)
		res.HasNext = lo > 0
		res.HasPrevious = hi < len(list)
	default:
		hi = len(list)
		lo = max(hi-limit, 0)
		res.HasNext = lo > 0
	}
	if lo >= hi {
		return api.FlowPage{}
	}
	res.Flows = make([]api.Flow, 0, hi-lo)
	for i := hi - 1; i >= lo; i-- {
		res.Flows = append(res.Flows, *list[i])
	}
	return res
}
