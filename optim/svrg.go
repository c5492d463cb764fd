package optim

import (
	"fmt"
)

// Sampling is an optimizer that draws batches of its own beside the
// step's: the training loop hands it a source of them, batch k of which
// depends only on the run's seed and k.
type Sampling interface {
	SetSource(func(k uint64) Batch)
}

// SVRG is zeroth-order SVRG (ZO-SVRG, Liu et al. 2018; MeZO-SVRG, Gautam
// et al. 2024). Every Period steps it takes a snapshot θ̃ of θ and a ZO
// estimate ĝ_B(θ̃) on a large batch from its source; each step then moves
// along the control-variate estimate
//
//	v = ĝ_b(θ) − ĝ_b(θ̃) + ĝ_B(θ̃),   θ −= lr·v,
//
// the two mini-batch estimates along the same q directions (central
// differences over the whole model, Est's Dist, Q, Eps and Seed). Points
// are written into θ; θ̃, ĝ_B, v, a direction and a copy of θ are its O(d)
// memory.
type SVRG struct {
	Est    Estimator
	Period int
	source func(k uint64) Batch
	step   uint64
	snap   []float32 // θ̃
	big    []float32 // ĝ_B(θ̃)
	v, z   []float32
	at     []float32
}

// SetSource implements Sampling.
func (o *SVRG) SetSource(f func(k uint64) Batch) { o.source = f }

// Validate reports a setting that cannot work.
func (o *SVRG) Validate() error {
	switch {
	case o.Period < 1:
		return fmt.Errorf("optim: SVRG snapshot every %d steps, want ≥ 1", o.Period)
	case !o.Est.Central || o.Est.PerTensor:
		return fmt.Errorf("optim: SVRG takes central differences over the whole model")
	}
	return o.Est.Validate()
}

// svrgBigTag keeps the large batch's directions apart from the steps'.
const svrgBigTag = 0x53565247

// Step implements Optimizer; forwards counts passes over batches of the
// step's size (a large batch of B rows counts B/rows a pass).
func (o *SVRG) Step(m Model, b Batch, lr float32) (float32, int) {
	if o.source == nil {
		panic("optim: SVRG stepped without a source of large batches (train.Run sets it)")
	}
	theta := m.Params().Data
	forwards := 0
	if o.step%uint64(o.Period) == 0 {
		forwards += o.snapshot(m, b.Rows)
	}
	o.v = append(o.v[:0], o.big...)
	var sumL float64
	for q := range o.Est.Q {
		lp, lm := o.pair(m, b, q, nil)
		sp, sm := o.pair(m, b, q, o.snap)
		sumL += float64(lp+lm) / 2
		c := ((lp-lm)/(2*o.Est.Eps) - (sp-sm)/(2*o.Est.Eps)) / float32(o.Est.Q)
		for i, z := range o.z {
			o.v[i] += c * z
		}
	}
	for i, v := range o.v {
		theta[i] -= lr * v
	}
	o.step++
	return float32(sumL / float64(o.Est.Q)), forwards + 4*o.Est.Q
}

// snapshot sets θ̃ = θ and ĝ_B(θ̃) from the next large batch, and returns
// its forward passes in batches of rows.
func (o *SVRG) snapshot(m Model, rows int) int {
	theta := m.Params().Data
	k := o.step / uint64(o.Period)
	big := o.source(k)
	o.snap = append(o.snap[:0], theta...)
	o.big = growFloats(o.big, len(theta))
	clear(o.big)
	seed := o.Est.Seed
	o.Est.Seed ^= svrgBigTag // the large batch's own directions
	defer func() { o.Est.Seed = seed }()
	for q := range o.Est.Q {
		lp, lm := o.pairAt(m, big, k, q, nil)
		c := (lp - lm) / (2 * o.Est.Eps) / float32(o.Est.Q)
		for i, z := range o.z {
			o.big[i] += c * z
		}
	}
	return 2 * o.Est.Q * ((big.Rows + rows - 1) / rows)
}

// pair draws query q of this step into o.z and returns the losses on b at
// base ± ε·z (base θ̃, or θ itself when nil), θ left with its bits.
func (o *SVRG) pair(m Model, b Batch, q int, base []float32) (lp, lm float32) {
	return o.pairAt(m, b, o.step, q, base)
}

func (o *SVRG) pairAt(m Model, b Batch, step uint64, q int, base []float32) (lp, lm float32) {
	o.z = growFloats(o.z, len(m.Params().Data))
	fillDirection(o.z, o.Est.directions(m, step, q, o.z)[0])
	return centralPair(m, b, base, o.z, o.Est.Eps, &o.at)
}
