package nn

import (
	"fmt"

	"github.com/zofo/zofo/kernels/rng"
)

// A ZO step that perturbs one tensor at a time changes only the layers
// from that tensor's on, so the layers before it can keep their outputs
// of the last forward. Every layer is a deterministic function of its
// input, parameters and the step's noise key, so a loss computed from a
// kept output has the bits a full forward would give.

// lastForward is what lossFrom, lossAt, pairLosses and lossesAt need to
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

// layerOf is the first layer that reads a parameter in [lo, hi) of
// Params().Data, or the number of layers if none does.
func (m *Sequential) layerOf(lo, hi int) int {
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

// lossFrom is the training-mode loss on a batch, with the first
// keep.Layers layers reusing their outputs of the last forward (and the
// next one its product, as keep says). The caller guarantees that their
// parameters have not changed since; the batch, the row count and the
// noise key are checked.
func (m *Sequential) lossFrom(keep carry, x []float32, y []int32, rows int) float32 {
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
	if len(ev.a) > 0 && ev.keep.Layers > m.layerOf(ev.d.Lo, ev.d.Hi) {
		panic(fmt.Sprintf("nn: keeping %d layers of a point that moves layer %d", ev.keep.Layers, m.layerOf(ev.d.Lo, ev.d.Hi)))
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

// evaluated records a fused evaluation in workspace 0 (ev on one side of
// a pair at most).
func (m *Sequential) evaluated(x []float32, rows int, ev eval) {
	kept := len(m.layers)
	if len(ev.a) > 0 {
		kept = m.layerOf(ev.d.Lo, ev.d.Hi)
	}
	m.remember(x, rows, true, kept)
	m.last.keptProduct = len(ev.a) > 0 && m.biasOnly(ev.d.Lo, ev.d.Hi)
	ws := m.space(0)
	for i := ev.keep.Layers; i < len(m.layers); i++ {
		m.last.outs[i] = ws.out[i]
	}
}

// forwardFrom runs the layers from keep.Layers, the ones before it kept.
func (m *Sequential) forwardFrom(keep carry, x []float32, rows int, train bool) []float32 {
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

// prefix tracks, through one probe, which leading layers still hold
// outputs at θ as it is, so that a loss reruns only the layers from the
// first one whose parameters changed since the last pass over the batch: a
// per-tensor direction leaves the layers before its tensor's alone. A
// restore is a change too (it lands an ulp off θ), so the saving is the
// layers before the earlier of the tensor restored and the tensor moved.
// When only that layer's bias changed, its product x·W still holds (carry).
type prefix struct {
	m       *Sequential
	valid   int           // leading layers whose last outputs still hold
	product bool          // layer valid's weights and input are as when it last ran
	moved   rng.Direction // the direction last written into θ
}

// touched records that θ along d is about to change.
func (p *prefix) touched(d rng.Direction) {
	p.moved = d
	switch j := p.m.layerOf(d.Lo, d.Hi); {
	case j < p.valid:
		p.valid, p.product = j, p.m.biasOnly(d.Lo, d.Hi)
	case j == p.valid:
		p.product = p.product && p.m.biasOnly(d.Lo, d.Hi)
	}
}

// keep is what an evaluation of a point along d (which is not written to
// θ) can reuse: the layers before its own and the last valid one, and
// that layer's product unless d moves its weights. A point that moves
// only the first layer it runs's bias keeps that layer's product for the
// next pass.
func (p *prefix) keep(d rng.Direction) carry {
	j, bias := p.m.layerOf(d.Lo, d.Hi), p.m.biasOnly(d.Lo, d.Hi)
	k := carry{Layers: min(p.valid, j)}
	k.Product = k.Layers == p.valid && p.product && (j > k.Layers || bias)
	k.Save = p.movesOnlyBiasOf(d, k.Layers)
	return k
}

// movesOnlyBiasOf reports whether d moves nothing but layer's bias: the
// pass that evaluates it should keep that layer's product.
func (p *prefix) movesOnlyBiasOf(d rng.Direction, layer int) bool {
	return d.Hi > d.Lo && p.m.layerOf(d.Lo, d.Hi) == layer && p.m.biasOnly(d.Lo, d.Hi)
}

// ran records an evaluation on the model.
func (p *prefix) ran() { p.valid, p.product = p.m.last.kept, p.m.last.keptProduct }

// loss is the training loss on the batch at θ as it is, from the first
// layer that changed; the direction last written into θ decides whether
// that layer keeps its product.
func (p *prefix) loss(x []float32, y []int32, rows int) float32 {
	keep := carry{Layers: p.valid, Product: p.product, Save: p.movesOnlyBiasOf(p.moved, p.valid)}
	l := p.m.lossFrom(keep, x, y, rows)
	p.ran()
	return l
}
