package optim

import (
	"fmt"
	"math"
)

// HiZOO is the Hessian-informed ZO optimizer of Zhao et al. (ICLR 2025),
// as its reference code steps. It keeps a diagonal h (ones at first) and
// perturbs along √h ⊙ z: with L0 at θ and L± at θ ± ε·√h⊙z,
//
//	h ← (1−α)·h + α·|L+ + L− − 2·L0|·z² / (2ε²·h)
//	θ ← θ − lr·(L+ − L−)/(2ε) · √h ⊙ z   (h the updated one)
//
// Three forward passes a step, one direction (Est's Dist, Eps and Seed;
// q = 1, whole model), memory O(d): h, z and a copy of θ, which makes the
// restore exact. Its points are written into θ, as no model evaluates a
// point scaled per coordinate without writing it.
type HiZOO struct {
	Est    Estimator
	Smooth float32 // α, the weight of each step's curvature in h
	step   uint64
	h      []float32
	z, at  []float32 // the step's direction, and θ as it came
}

// Validate reports a setting that cannot work.
func (o *HiZOO) Validate() error {
	switch {
	case o.Est.Q != 1 || o.Est.PerTensor:
		return fmt.Errorf("optim: HiZOO takes one direction over the whole model (q %d, per tensor %v)", o.Est.Q, o.Est.PerTensor)
	case !(o.Smooth >= 0 && o.Smooth <= 1):
		return fmt.Errorf("optim: HiZOO smoothing %v, want a number in [0, 1]", o.Smooth)
	}
	return o.Est.Validate()
}

// Step implements Optimizer.
func (o *HiZOO) Step(m Model, b Batch, lr float32) (float32, int) {
	l0, curvature, slope := o.differences(m, b)
	theta := m.Params().Data
	for i, z := range o.z {
		o.h[i] = o.nextH(i, curvature)
		theta[i] -= lr * (slope * z * sqrtf(o.h[i]))
	}
	o.step++
	return l0, 3
}

// Estimate implements Estimating: the step's ĝ with h updated as the step
// will, h itself left as it is.
func (o *HiZOO) Estimate(m Model, b Batch, g []float32) int {
	_, curvature, slope := o.differences(m, b)
	for i, z := range o.z {
		g[i] = slope * z * sqrtf(o.nextH(i, curvature))
	}
	return 3
}

// differences evaluates the step's points and returns the loss at θ, the
// curvature |L+ + L− − 2L0|/(2ε²) and the slope (L+ − L−)/(2ε).
func (o *HiZOO) differences(m Model, b Batch) (l0, curvature, slope float32) {
	l0, lp, lm := o.losses(m, b)
	eps := o.Est.Eps
	curvature = float32(math.Abs(float64(lp+lm-2*l0)) / (2 * float64(eps) * float64(eps)))
	return l0, curvature, (lp - lm) / (2 * eps)
}

// nextH is h[i] after the step: (1−α)·h + α·curvature·z²/h.
func (o *HiZOO) nextH(i int, curvature float32) float32 {
	z := o.z[i]
	return (1-o.Smooth)*o.h[i] + o.Smooth*(curvature*z*z/o.h[i])
}

// losses draws the step's direction and evaluates L0, L+ and L−, leaving
// θ with its bits.
func (o *HiZOO) losses(m Model, b Batch) (l0, lp, lm float32) {
	theta := m.Params().Data
	if len(o.h) != len(theta) {
		o.h, o.z = make([]float32, len(theta)), make([]float32, len(theta))
		for i := range o.h {
			o.h[i] = 1
		}
	}
	fillDirection(o.z, o.Est.directions(m, o.step, 0, o.z)[0])
	o.at = append(o.at[:0], theta...)
	l0 = loss(m, b)
	lp = o.lossAt(m, b, o.Est.Eps)
	lm = o.lossAt(m, b, -o.Est.Eps)
	copy(theta, o.at)
	return l0, lp, lm
}

// lossAt is the loss at θ + a·√h⊙z, θ as the step found it.
func (o *HiZOO) lossAt(m Model, b Batch, a float32) float32 {
	theta := m.Params().Data
	for i, z := range o.z {
		theta[i] = o.at[i] + a*sqrtf(o.h[i])*z
	}
	return loss(m, b)
}

func sqrtf(x float32) float32 { return float32(math.Sqrt(float64(x))) }
