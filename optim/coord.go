package optim

import (
	"fmt"
	"slices"

	"github.com/zofo/zofo/internal/splitmix"
	"github.com/zofo/zofo/nn"
)

// Coord is the coordinate-wise ("elementwise") estimator: a central
// difference (L(θ+εeᵢ) − L(θ−εeᵢ))/2ε for every coordinate, or for K random
// ones per step (sparse), followed by an SGD or sign-SGD update of those
// coordinates. On an MLP it reuses features: see reuse.go.
type Coord struct {
	Eps   float32
	K     int  // coordinates per step; 0 means all of them
	Sign  bool // θᵢ −= lr·sign(gᵢ) instead of lr·gᵢ
	Naive bool // two full forwards per coordinate (the baseline)
	Seed  uint64
	step  uint64
	idx   []int
	g     []float32
}

// Step implements Optimizer.
func (o *Coord) Step(m Model, b Batch, lr float32) (float32, int) {
	p := m.Params()
	o.idx = o.coordinates(p, o.idx[:0])
	o.step++
	o.g = o.g[:0]
	loss, forwards := o.differences(m, b)
	for j, i := range o.idx {
		if o.Sign {
			p.Data[i] -= lr * sign(o.g[j])
		} else {
			p.Data[i] -= lr * o.g[j]
		}
	}
	return loss, forwards
}

// coordinates lists the parameter indices of this step: every tensor
// element, or K distinct ones drawn from (Seed, step).
func (o *Coord) coordinates(p *nn.Params, out []int) []int {
	n := p.Count()
	if o.K <= 0 || o.K >= n {
		for _, t := range p.Tensors {
			for j := t.Off; j < t.Off+t.Len; j++ {
				out = append(out, j)
			}
		}
		return out
	}
	s := o.Seed ^ o.step*0x9e3779b97f4a7c15
	seen := make(map[int]bool, o.K)
	for len(out) < o.K { // rejection: K ≪ n in practice
		k := int(splitmix.Next(&s) % uint64(n))
		if !seen[k] {
			seen[k] = true
			out = append(out, elementIndex(p, k))
		}
	}
	slices.Sort(out)
	return out
}

// elementIndex maps the k-th parameter (padding skipped) to its index in
// Params.Data.
func elementIndex(p *nn.Params, k int) int {
	for _, t := range p.Tensors {
		if k < t.Len {
			return t.Off + k
		}
		k -= t.Len
	}
	panic(fmt.Sprintf("optim: parameter %d out of range", k))
}

// differences sets o.g to the central differences of o.idx: from the
// model when it computes them itself (CoordinateDifferencer), else naive.
func (o *Coord) differences(m Model, b Batch) (float32, int) {
	if cd, ok := m.(CoordinateDifferencer); ok && !o.Naive {
		o.g = slices.Grow(o.g[:0], len(o.idx))[:len(o.idx)]
		if loss, ok := cd.CoordinateDifferences(b.X, b.Y, b.Rows, o.idx, o.Eps, o.g); ok {
			return loss, 1
		}
		o.g = o.g[:0]
	}
	return o.naive(m, b)
}

// naive evaluates two full forwards per coordinate.
func (o *Coord) naive(m Model, b Batch) (float32, int) {
	theta := m.Params().Data
	for _, i := range o.idx {
		orig := theta[i]
		theta[i] = orig + o.Eps
		lp := loss(m, b)
		theta[i] = orig - o.Eps
		lm := loss(m, b)
		theta[i] = orig
		o.g = append(o.g, (lp-lm)/(2*o.Eps))
	}
	return loss(m, b), 2*len(o.idx) + 1
}
