package optim

import (
	"fmt"
	"math"
	"slices"

	"github.com/zofo/zofo/internal/splitmix"
	"github.com/zofo/zofo/nn"
)

// MaskRule picks the coordinates a sparse estimator perturbs.
type MaskRule uint8

// The rules: Sparse MeZO's (Liu et al., 2024) perturbs the parameters of
// smallest magnitude, a random mask any coordinate alike.
const (
	MaskMagnitude MaskRule = iota
	MaskRandom
)

// SparseZO is ZO-SGD on a fraction 1 − Sparsity of the parameters: each
// direction is zero off a mask, so only the masked coordinates are
// perturbed and updated, the rest left as they are. The mask is drawn at
// the first step and again every Refresh steps (0: never again). Central
// differences, q directions over the whole model (Est's Dist, Q, Eps and
// Seed), each point written into θ and θ restored from a copy; memory
// O(d): the mask, a direction and the copy.
type SparseZO struct {
	Est      Estimator
	Sparsity float64 // the fraction of parameters left alone, in [0, 1)
	Rule     MaskRule
	Refresh  int
	step     uint64
	mask     []bool
	z, at    []float32
}

// Validate reports a setting that cannot work.
func (o *SparseZO) Validate() error {
	switch {
	case !(o.Sparsity >= 0 && o.Sparsity < 1):
		return fmt.Errorf("optim: sparsity %v, want a fraction in [0, 1)", o.Sparsity)
	case o.Refresh < 0 || o.Rule > MaskRandom:
		return fmt.Errorf("optim: mask rule %d refreshed every %d steps", o.Rule, o.Refresh)
	case o.Est.PerTensor:
		return fmt.Errorf("optim: a sparse estimator draws directions over the whole model")
	}
	return o.Est.Validate()
}

// Step implements Optimizer.
func (o *SparseZO) Step(m Model, b Batch, lr float32) (float32, int) {
	theta := m.Params().Data
	o.ensureMask(m)
	var sumL float64
	coefs := make([]float32, o.Est.Q)
	for q := range coefs { // every query at the same θ
		lp, lm := o.pair(m, b, q)
		sumL += float64(lp+lm) / 2
		coefs[q] = lr * ((lp - lm) / (2 * o.Est.Eps)) / float32(o.Est.Q)
	}
	for q, coef := range coefs { // each direction drawn again for its update
		o.draw(m, q)
		for i, z := range o.z {
			theta[i] -= coef * z
		}
	}
	o.step++
	return float32(sumL / float64(o.Est.Q)), 2 * o.Est.Q
}

// Estimate implements Estimating.
func (o *SparseZO) Estimate(m Model, b Batch, g []float32) int {
	o.ensureMask(m)
	clear(g)
	for q := range o.Est.Q {
		lp, lm := o.pair(m, b, q)
		coef := ((lp - lm) / (2 * o.Est.Eps)) / float32(o.Est.Q)
		for i, z := range o.z {
			g[i] += coef * z
		}
	}
	return 2 * o.Est.Q
}

// draw sets o.z to query q's direction, zero off the mask.
func (o *SparseZO) draw(m Model, q int) {
	fillDirection(o.z, o.Est.directions(m, o.step, q, o.z)[0])
	for i, keep := range o.mask {
		if !keep {
			o.z[i] = 0
		}
	}
}

// pair draws query q's direction into o.z and returns the losses at
// θ ± ε·z, θ left with its bits.
func (o *SparseZO) pair(m Model, b Batch, q int) (lp, lm float32) {
	o.draw(m, q)
	return centralPair(m, b, nil, o.z, o.Est.Eps, &o.at)
}

// ensureMask draws the mask at the first step and every Refresh steps.
func (o *SparseZO) ensureMask(m Model) {
	theta := m.Params().Data
	if len(o.z) != len(theta) {
		o.z = make([]float32, len(theta))
	}
	if o.mask != nil && (o.Refresh == 0 || o.step%uint64(o.Refresh) != 0) {
		return
	}
	o.mask = o.drawMask(m.Params(), o.step)
}

// drawMask keeps round((1 − Sparsity)·n) of the model's n parameters (the
// padding between tensors never): those of smallest |θ| (ties by index),
// or a seeded random choice of that many.
func (o *SparseZO) drawMask(p *nn.Params, step uint64) []bool {
	theta := p.Data
	var idx []int
	for _, t := range p.Tensors {
		for i := t.Off; i < t.Off+t.Len; i++ {
			idx = append(idx, i)
		}
	}
	if o.Rule == MaskMagnitude {
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmpFloat(math.Abs(float64(theta[a])), math.Abs(float64(theta[b])))
		})
	} else {
		s := o.Est.Seed ^ 0x6d61736b ^ step*0x9e3779b97f4a7c15
		for i := len(idx) - 1; i > 0; i-- { // Fisher–Yates
			j := int(splitmix.Next(&s) % uint64(i+1))
			idx[i], idx[j] = idx[j], idx[i]
		}
	}
	mask := make([]bool, len(theta))
	for _, i := range idx[:int(math.Round((1-o.Sparsity)*float64(len(idx))))] {
		mask[i] = true
	}
	return mask
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
