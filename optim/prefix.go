package optim

import "github.com/zofo/zofo/nn"

// prefix lets a loss rerun only the layers from the first one whose
// parameters changed since the last pass over the batch (nn.LossFrom, and
// the keep argument of nn's LossAt, PairLosses and LossesAt): a per-tensor
// direction leaves the layers before its tensor's alone. A restore is a
// change too (it lands an ulp off θ), so the saving is the layers before
// the earlier of the tensor restored and the tensor moved. When only that
// layer's bias changed, its product x·W still holds (nn.Keep).
type prefix struct {
	seq     *nn.Sequential // nil: every loss is a full forward
	valid   int            // leading layers whose last outputs still hold
	product bool           // layer valid's weights and input are as when it last ran
	moved   dir            // the direction last touched
}

// touched records that θ along d is about to change.
func (p *prefix) touched(d dir) {
	if p.seq == nil {
		return
	}
	p.moved = d
	switch j := p.seq.LayerOf(d.lo, d.hi); {
	case j < p.valid:
		p.valid, p.product = j, p.seq.BiasOnly(d.lo, d.hi)
	case j == p.valid:
		p.product = p.product && p.seq.BiasOnly(d.lo, d.hi)
	}
}

// keep is what an evaluation of a point along d (which is not written to
// θ) can reuse: the layers before its own and the last valid one, and
// that layer's product unless d moves its weights. A point that moves
// only the first layer it runs's bias keeps that layer's product for the
// next pass.
func (p *prefix) keep(d dir) nn.Keep {
	j, bias := p.seq.LayerOf(d.lo, d.hi), p.seq.BiasOnly(d.lo, d.hi)
	k := nn.Keep{Layers: min(p.valid, j)}
	k.Product = k.Layers == p.valid && p.product && (j > k.Layers || bias)
	k.Save = p.movesOnlyBiasOf(d, k.Layers)
	return k
}

// movesOnlyBiasOf reports whether d moves nothing but layer's bias: the
// pass that evaluates it should keep that layer's product.
func (p *prefix) movesOnlyBiasOf(d dir, layer int) bool {
	return d.hi > d.lo && p.seq.LayerOf(d.lo, d.hi) == layer && p.seq.BiasOnly(d.lo, d.hi)
}

// ran records an evaluation on the model.
func (p *prefix) ran() { p.valid, p.product = p.seq.Kept(), p.seq.KeptProduct() }

// loss is the training loss on b at θ as it is, from the first layer that
// changed; the direction last written into θ decides whether that layer
// keeps its product.
func (p *prefix) loss(m Model, b Batch) float32 {
	if p.seq == nil {
		return loss(m, b)
	}
	keep := nn.Keep{Layers: p.valid, Product: p.product, Save: p.movesOnlyBiasOf(p.moved, p.valid)}
	l := p.seq.LossFrom(keep, b.X, b.Y, b.Rows)
	p.ran()
	return l
}
