package optim

import (
	"fmt"

	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/kernels/rng"
)

// LowRankZO is ZO-SGD along low-rank directions (LOZO, Chen et al. 2024):
// each weight matrix W moves along U·Vᵀ, U (W's outputs × Rank) drawn
// afresh every step and V (W's inputs × Rank) every Interval steps, both
// Gaussian and unscaled as in LOZO's reference code; vectors (biases)
// along a plain Gaussian. A convolution's weight counts as the matrix of
// its K·K·cin inputs by its outputs. Central differences (Est's Eps and
// Seed, q = 1); the points are written into θ and θ restored from a copy.
// U and V are regenerated from their keys, never stored; the step's
// direction over θ is materialized (O(d), as the copy).
type LowRankZO struct {
	Est      Estimator
	Rank     int
	Interval int
	step     uint64
	z, at    []float32
	u, v     []float32
}

// Validate reports a setting that cannot work.
func (o *LowRankZO) Validate() error {
	switch {
	case o.Rank < 1 || o.Interval < 1:
		return fmt.Errorf("optim: low-rank directions of rank %d, V drawn every %d steps: want both ≥ 1", o.Rank, o.Interval)
	case o.Est.Q != 1 || o.Est.PerTensor:
		return fmt.Errorf("optim: low-rank directions take q = 1 over the whole model (q %d, per tensor %v)", o.Est.Q, o.Est.PerTensor)
	}
	return o.Est.Validate()
}

// Step implements Optimizer.
func (o *LowRankZO) Step(m Model, b Batch, lr float32) (float32, int) {
	g, lp, lm := o.estimate(m, b)
	theta := m.Params().Data
	for i, z := range o.z {
		theta[i] -= lr * (g * z)
	}
	o.step++
	return (lp + lm) / 2, 2
}

// Estimate implements Estimating.
func (o *LowRankZO) Estimate(m Model, b Batch, out []float32) int {
	g, _, _ := o.estimate(m, b)
	for i, z := range o.z {
		out[i] = g * z
	}
	return 2
}

// estimate draws the step's direction into o.z and returns the central
// difference along it and the two losses, θ left with its bits.
func (o *LowRankZO) estimate(m Model, b Batch) (g, lp, lm float32) {
	o.direction(m)
	lp, lm = centralPair(m, b, nil, o.z, o.Est.Eps, &o.at)
	return (lp - lm) / (2 * o.Est.Eps), lp, lm
}

// direction sets o.z to the step's direction: U·Vᵀ on each matrix, a
// Gaussian on each vector, zero on the padding between tensors.
func (o *LowRankZO) direction(m Model) {
	p := m.Params()
	o.z = growFloats(o.z, len(p.Data))
	clear(o.z)
	tensors := uint64(len(p.Tensors))
	refresh := o.step / uint64(o.Interval) // V's draw
	for t, ts := range p.Tensors {
		z := o.z[ts.Off : ts.Off+ts.Len]
		stream := o.step*tensors + uint64(t)
		if len(ts.Shape) < 2 {
			rng.Fill(rng.Gaussian, z, rng.NewKey(o.Est.Seed, stream), 0)
			continue
		}
		outs := ts.Shape[0] // stored [inputs, outputs]: outputs vary fastest
		ins := ts.Len / outs
		o.u, o.v = growFloats(o.u, outs*o.Rank), growFloats(o.v, ins*o.Rank)
		rng.Fill(rng.Gaussian, o.u, rng.NewKey(o.Est.Seed, stream), 0)
		rng.Fill(rng.Gaussian, o.v, rng.NewKey(o.Est.Seed^lowRankVTag, refresh*tensors+uint64(t)), 0)
		kernels.Gemm(false, true, ins, outs, o.Rank, 1, o.v, o.Rank, o.u, o.Rank, 0, z, outs) // Z = V·Uᵀ
	}
}

// lowRankVTag keeps V's keys apart from U's.
const lowRankVTag = 0x4c4f5a4f

func growFloats(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
