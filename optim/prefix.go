package optim

import "github.com/zofo/zofo/nn"

// prefix lets a loss rerun only the layers from the first one whose
// parameters changed since the last pass over the batch (nn.LossFrom, and
// the keep argument of nn's LossAt, PairLosses and LossesAt): a per-tensor
// direction leaves the layers before its tensor's alone. A restore is a
// change too (it lands an ulp off θ), so the saving is the layers before
// the earlier of the tensor restored and the tensor moved.
type prefix struct {
	seq   *nn.Sequential // nil: every loss is a full forward
	valid int            // leading layers whose last outputs still hold
}

// touched records that θ along d is about to change.
func (p *prefix) touched(d dir) {
	if p.seq != nil {
		p.valid = min(p.valid, p.seq.LayerOf(d.lo, d.hi))
	}
}

// keep is how many layers an evaluation of a point along d can reuse.
func (p *prefix) keep(d dir) int { return min(p.valid, p.seq.LayerOf(d.lo, d.hi)) }

// ran records an evaluation on the model.
func (p *prefix) ran() { p.valid = p.seq.Kept() }

// loss is the training loss on b, from the first layer that changed.
func (p *prefix) loss(m Model, b Batch) float32 {
	if p.seq == nil {
		return loss(m, b)
	}
	l := p.seq.LossFrom(p.valid, b.X, b.Y, b.Rows)
	p.ran()
	return l
}
