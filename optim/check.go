package optim

// BackwardCost is what one backward pass counts in forward-pass
// equivalents: it multiplies a layer's output gradient by its weights and
// by its input, two products the size of its forward one (the first
// layer's input gradient, which is skipped, is not discounted).
const BackwardCost = 2

// ForwardEquivalents is what one step of o that ran forwards forward passes
// cost in forward-pass equivalents: a first-order step adds its backward,
// a forward-gradient step its tangents.
func ForwardEquivalents(o Optimizer, forwards int) int {
	switch o.(type) {
	case *SGD, *SignSGD, *Adam:
		return forwards + BackwardCost
	case *FG:
		return forwards * (1 + TangentCost)
	}
	return forwards
}

// Estimating is an optimizer whose step follows a gradient estimate it can
// also compute on the side: the estimate quality check.
type Estimating interface {
	// Estimate writes into g the estimate ĝ that the next Step on b will
	// compute, before its rule is applied, and returns the forward passes
	// it ran. θ keeps its bits and the step count stays, so the steps that
	// follow are those of a run without the check.
	Estimate(m Model, b Batch, g []float32) int
}

// Estimate implements Estimating.
func (o *ZO) Estimate(m Model, b Batch, g []float32) int {
	if o.scratch == nil {
		o.scratch = make([]float32, 4096)
	}
	theta := m.Params().Data
	o.saved = append(o.saved[:0], theta...) // a restore lands an ulp off θ
	est := o.Est.estimate(m, b, o.step, o.scratch)
	est.restore(theta)
	est.dense(g)
	copy(theta, o.saved)
	return est.forwards
}
