package nn

import "fmt"

// A ZO step that perturbs one tensor at a time changes only the layers
// from that tensor's on, so the layers before it can keep their outputs
// of the last forward. Every layer is a deterministic function of its
// input, parameters and the step's noise key, so a loss computed from a
// kept output has the bits a full forward would give.

// lastForward is what LossFrom, LossAt, PairLosses and LossesAt need to
// know about the last forward or evaluation.
type lastForward struct {
	outs        [][]float32 // each layer's output
	kept        int         // leading layers computed at the parameters as they were (not a perturbed point)
	keptProduct bool        // the point moved only layer kept's bias: that layer ran at its weights
	x           *float32    // the input's first element
	rows        int
	train       bool
	noise       uint64
}

// Layers is the number of layers.
func (m *Sequential) Layers() int { return len(m.layers) }

// LayerOf is the first layer that reads a parameter in [lo, hi) of
// Params().Data, or Layers() if none does.
func (m *Sequential) LayerOf(lo, hi int) int {
	for i, l := range m.layers {
		owner, ok := l.(interface{ tensors() []int })
		if !ok {
			continue
		}
		for _, t := range owner.tensors() {
			if ts := m.params.Tensors[t]; ts.Off < hi && lo < ts.Off+ts.Len {
				return i
			}
		}
	}
	return len(m.layers)
}

// LossFrom is the training-mode loss on a batch, with the first
// keep.Layers layers reusing their outputs of the last forward (and the
// next one its product, as keep says). The caller guarantees that their
// parameters have not changed since; the batch, the row count and the
// noise key are checked.
func (m *Sequential) LossFrom(keep Keep, x []float32, y []int32, rows int) float32 {
	m.check(keep.Layers, x, rows)
	return Loss(m.forwardFrom(keep, x, rows, true), y, rows, m.Classes())
}

// check panics unless the first keep layers' last outputs are of a
// training pass over this batch at unperturbed parameters.
func (m *Sequential) check(keep int, x []float32, rows int) {
	last := &m.last
	if keep > 0 && (keep > last.kept || !last.train || last.rows != rows || last.x != head(x) || last.noise != m.noise) {
		panic(fmt.Sprintf("nn: keeping %d layers: the last pass did not compute them for this batch (%d kept)", keep, last.kept))
	}
}

// kept checks ev.keep and returns the input of the first layer to run.
func (m *Sequential) kept(ev eval, x []float32, rows int) []float32 {
	m.check(ev.keep.Layers, x, rows)
	if len(ev.a) > 0 && ev.keep.Layers > m.LayerOf(ev.d.Lo, ev.d.Hi) {
		panic(fmt.Sprintf("nn: keeping %d layers of a point that moves layer %d", ev.keep.Layers, m.LayerOf(ev.d.Lo, ev.d.Hi)))
	}
	if ev.keep.Layers == 0 {
		return x
	}
	return m.last.outs[ev.keep.Layers-1]
}

// remember records a pass over x whose first kept layers' outputs are
// at the parameters as they are.
func (m *Sequential) remember(x []float32, rows int, train bool, kept int) {
	last := &m.last
	if cap(last.outs) < len(m.layers) {
		last.outs = make([][]float32, len(m.layers))
	}
	last.outs = last.outs[:len(m.layers)]
	last.x, last.rows, last.train, last.noise, last.kept = head(x), rows, train, m.noise, kept
	last.keptProduct = false
}

// evaluated records a fused evaluation (ev on one side of a pair at most).
func (m *Sequential) evaluated(x []float32, rows int, ev eval) {
	kept := len(m.layers)
	if len(ev.a) > 0 {
		kept = m.LayerOf(ev.d.Lo, ev.d.Hi)
	}
	m.remember(x, rows, true, kept)
	m.last.keptProduct = len(ev.a) > 0 && m.BiasOnly(ev.d.Lo, ev.d.Hi)
	for i := ev.keep.Layers; i < len(m.layers); i++ {
		m.last.outs[i] = m.layers[i].(*Linear).y
	}
}

// forwardFrom runs the layers from keep.Layers, the ones before it kept.
func (m *Sequential) forwardFrom(keep Keep, x []float32, rows int, train bool) []float32 {
	if len(x) < rows*m.In {
		panic(fmt.Sprintf("nn: Forward: %d inputs for %d rows of %d", len(x), rows, m.In))
	}
	first, in := keep.Layers, x
	if first > 0 {
		in = m.last.outs[first-1]
	}
	m.remember(x, rows, train, len(m.layers))
	for i := first; i < len(m.layers); i++ {
		if i == first {
			in = m.forwardFirst(m.layers[i], in, rows, train, keep, m.batchOf(x, rows))
		} else {
			in = m.layers[i].forward(in, rows, train)
		}
		m.last.outs[i] = in
	}
	return in
}

func head(x []float32) *float32 {
	if len(x) == 0 {
		return nil
	}
	return &x[0]
}

func (f *Linear) tensors() []int { return []int{f.w, f.b} }

func (c *Conv2d) tensors() []int { return []int{c.w, c.b} }

// Kept is how many leading layers of the last pass ran at the parameters
// as they were then (all of them, unless the pass evaluated a moved
// point).
func (m *Sequential) Kept() int { return m.last.kept }
