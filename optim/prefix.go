package optim

import "github.com/zofo/zofo/nn"

// prefix lets the in-place path rerun only the layers from the first one
// whose parameters changed since the last forward on the batch
// (nn.LossFrom): a per-tensor direction leaves the layers before its
// tensor's alone. A restore is a change too (it lands an ulp off θ), so
// the saving is the layers before the earlier of the tensor restored and
// the tensor perturbed.
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

// forget records that the layers' outputs no longer hold (a fused
// evaluation reused their buffers).
func (p *prefix) forget() { p.valid = 0 }

// loss is the training loss on b, from the first layer that changed.
func (p *prefix) loss(m Model, b Batch) float32 {
	if p.seq == nil {
		return loss(m, b)
	}
	l := p.seq.LossFrom(p.valid, b.X, b.Y, b.Rows)
	p.valid = p.seq.Layers()
	return l
}
