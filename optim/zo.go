package optim

import (
	"fmt"

	"github.com/zofo/zofo/kernels"
)

// Rule is a zeroth-order update rule, applied to the estimate ĝ.
type Rule uint8

// The rules of the study and of ZO-Bench.
const (
	ZOSGD     Rule = iota // θ −= lr·ĝ
	ZOSignSGD             // θ −= lr·sign(ĝ), elementwise
	ZOSGDSign             // θ −= lr·Σ_q sign(g_q)·z_q / q: the sign of each scalar projection
	ZOSGDMMT              // v = μ·v + ĝ; θ −= lr·v
	ZOAdam                // Adam on ĝ
	ZOSGDCons             // the best of θ, θ − lr·ĝ, θ + lr·ĝ on the batch
)

var ruleNames = [...]string{"zo-sgd", "zo-signsgd", "zo-sgd-sign", "zo-sgd-mmt", "zo-adam", "zo-sgd-cons"}

func (r Rule) String() string {
	if int(r) < len(ruleNames) {
		return ruleNames[r]
	}
	return fmt.Sprintf("Rule(%d)", r)
}

// ZO is a zeroth-order optimizer: an estimator and an update rule. ZO-SGD
// and ZO-SGD-Sign never materialize ĝ: each direction is regenerated for
// its update, the last fused with the estimator's pending restore, so a
// central-difference step with q = 1 makes three passes over θ in all.
type ZO struct {
	Est      Estimator
	Rule     Rule
	Momentum float32 // ZO-SGD-MMT
	step     uint64
	scratch  []float32
	g, v, s  []float32
	saved    []float32 // θ during an Estimate
	adam     *Adam
}

// Step implements Optimizer.
func (o *ZO) Step(m Model, b Batch, lr float32) (float32, int) {
	if o.scratch == nil {
		o.scratch = make([]float32, 4096)
	}
	est := o.Est.estimate(m, b, o.step, o.scratch)
	o.step++
	theta := m.Params().Data
	switch o.Rule {
	case ZOSGD:
		rankUpdate(theta, &est, func(c float32) float32 { return -lr * c })
	case ZOSGDSign:
		q := float32(o.Est.Q)
		rankUpdate(theta, &est, func(c float32) float32 { return -lr * sign(c) / q })
	case ZOSGDCons:
		est.forwards += o.conservative(m, b, &est, lr)
	default:
		o.dense(theta, &est, lr)
	}
	return est.loss, est.forwards
}

// rankUpdate adds coef(t)·z(t) for every term, the last in the same pass
// as the pending restore. The in-place path had θ off by the last
// direction's evaluation steps while it added the other terms, so a fused
// pending chain's leading steps go first, for the same bits.
func rankUpdate(theta []float32, est *estimate, coef func(float32) float32) {
	last := len(est.terms) - 1
	if last > 0 {
		est.settleLeading(theta)
	}
	for _, t := range est.terms[:last] {
		est.perturb(theta, t.d, coef(t.coef))
	}
	est.applyPending(theta, coef(est.terms[last].coef))
}

// dense applies the rules that need ĝ as a vector.
func (o *ZO) dense(theta []float32, est *estimate, lr float32) {
	est.restore(theta)
	if len(o.g) != len(theta) {
		o.g = make([]float32, len(theta))
	}
	est.dense(o.g)
	switch o.Rule {
	case ZOSignSGD:
		o.s = signs(o.s, o.g, o.Est.Seed^0x5a5a, o.step)
		kernels.Axpy(-lr, o.s, theta)
	case ZOSGDMMT:
		if o.v == nil {
			o.v = make([]float32, len(theta))
		}
		kernels.Scale(o.Momentum, o.v)
		kernels.Axpy(1, o.g, o.v)
		kernels.Axpy(-lr, o.v, theta)
	case ZOAdam:
		if o.adam == nil {
			o.adam = NewAdam()
		}
		o.adam.apply(theta, o.g, lr)
	}
}

// conservative keeps the best of θ, θ − lr·ĝ and θ + lr·ĝ on the batch
// (ZO-Bench's ZO-SGD-Cons) and returns the forward passes it added.
func (o *ZO) conservative(m Model, b Batch, est *estimate, lr float32) int {
	theta := m.Params().Data
	est.restore(theta)
	forwards := 2
	l0 := est.loss
	if o.Est.Central { // the estimate did not evaluate θ itself
		l0 = loss(m, b)
		forwards++
	}
	move := func(a float32) {
		for _, t := range est.terms {
			est.perturb(theta, t.d, a*t.coef)
		}
	}
	move(-lr)
	lMinus := loss(m, b)
	move(2 * lr)
	lPlus := loss(m, b)
	switch {
	case lPlus <= lMinus && lPlus <= l0:
	case lMinus <= l0:
		move(-2 * lr)
	default:
		move(-lr)
	}
	return forwards
}

func sign(x float32) float32 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
