package optim

import (
	"fmt"

	"github.com/zofo/zofo/kernels/rng"
)

// TangentCost is what the tangents of one forward-gradient pass count in
// forward-pass equivalents, beside its forward pass: a layer's tangent
// multiplies the input's tangent by W and the input by W's direction, two
// products the size of its forward one (the first layer's input does not
// move, which is not discounted), as BackwardCost counts a backward pass.
const TangentCost = 2

// Sloper is a model that computes its training loss and the loss's
// derivative along a direction in one forward pass carrying tangents
// (forward mode: no backward pass). nn.Sequential does for an MLP, and
// reports false for other models.
type Sloper interface {
	Slope(x []float32, y []int32, rows int, d rng.Direction) (loss, slope float32, ok bool)
}

// FG is forward-gradient descent (Baydin et al., 2022): ĝ = (1/q)·Σ
// (∇L·z)·z over q directions, each directional derivative exact, from the
// forward pass; θ −= lr·ĝ. It separates "no backpropagation" from "no
// derivatives": the same directions as a ZO estimate (Est's Dist, Q,
// PerTensor and Seed; its ε and difference do not apply), the finite
// difference replaced by the true slope. Each direction is regenerated
// for the update, never stored.
type FG struct {
	Est     Estimator
	step    uint64
	scratch []float32
}

// Validate reports directions that cannot be drawn.
func (o *FG) Validate() error { return o.Est.validateDirections() }

// Step implements Optimizer; forwards counts the tangent passes.
func (o *FG) Step(m Model, b Batch, lr float32) (float32, int) {
	terms, loss := o.estimate(m, b)
	threads := Threads(m)
	for _, t := range terms {
		t.d.Perturb(threads, m.Params().Data, -lr*t.coef)
	}
	return loss, len(terms)
}

// Estimate implements Estimating.
func (o *FG) Estimate(m Model, b Batch, g []float32) int {
	terms, _ := o.estimate(m, b)
	o.step-- // the step the check looked at is still to come
	clear(g)
	for _, t := range terms {
		t.d.Perturb(Threads(m), g, t.coef)
	}
	return len(terms)
}

// estimate is the step's terms (∇L·z)/q along each direction, and the loss.
func (o *FG) estimate(m Model, b Batch) ([]term, float32) {
	sl, ok := m.(Sloper)
	if o.scratch == nil {
		o.scratch = make([]float32, 4096)
	}
	var terms []term
	var loss float32
	for q := range o.Est.Q {
		for _, d := range o.Est.directions(m, o.step, q, o.scratch) {
			l, slope, fine := float32(0), float32(0), false
			if ok {
				l, slope, fine = sl.Slope(b.X, b.Y, b.Rows, d)
			}
			if !fine {
				panic(fmt.Sprintf("optim: forward gradient on a model without forward-mode tangents for [%d, %d)", d.Lo, d.Hi))
			}
			loss = l
			terms = append(terms, term{d: d, coef: slope / float32(o.Est.Q)})
		}
	}
	o.step++
	return terms, loss
}
