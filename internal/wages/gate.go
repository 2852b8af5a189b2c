package wages

import (
	"context"
	"sync"
)

// writeGate counts the runs of this process writing figures, so that a reader of several scopes
// (internal/pagerows) can tell whether its reads may mix two computations: a run writes a
// requester's groups, its requester row and its weeks one after another. Runs never wait for it.
type writeGate struct {
	mu      sync.Mutex
	active  int
	started uint64
	idle    chan struct{} // closed while no run writes
}

func newWriteGate() *writeGate {
	idle := make(chan struct{})
	close(idle)
	return &writeGate{idle: idle}
}

func (g *writeGate) enter() {
	g.mu.Lock()
	if g.active == 0 {
		g.idle = make(chan struct{})
	}
	g.active++
	g.started++
	g.mu.Unlock()
}

func (g *writeGate) leave() {
	g.mu.Lock()
	if g.active--; g.active == 0 {
		close(g.idle)
	}
	g.mu.Unlock()
}

// WritesQuiet waits until no run of this process writes figures and returns a mark for
// WroteSince; the wait ends with ctx.
func (w *Wages) WritesQuiet(ctx context.Context) (uint64, error) {
	for {
		w.gate.mu.Lock()
		if w.gate.active == 0 {
			mark := w.gate.started
			w.gate.mu.Unlock()
			return mark, nil
		}
		idle := w.gate.idle
		w.gate.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// WroteSince says whether a run of this process wrote figures since WritesQuiet returned mark
// (or writes now): what was read in between may then mix two computations of a requester.
func (w *Wages) WroteSince(mark uint64) bool {
	w.gate.mu.Lock()
	defer w.gate.mu.Unlock()
	return w.gate.active > 0 || w.gate.started != mark
}
