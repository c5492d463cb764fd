package optim

import (
	"math"

	"github.com/zofo/zofo/internal/team"
	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/kernels/rng"
)

// SGD is first-order SGD with the study's momentum rule:
// v = μ·v + (1 − dampening)·g; θ −= lr·v.
type SGD struct {
	Momentum, Dampening float32
	v                   []float32
}

// Step implements Optimizer.
func (o *SGD) Step(m Model, b Batch, lr float32) (float32, int) {
	l := gradient(m, b)
	p := m.Params()
	if o.Momentum == 0 {
		kernels.Axpy(-lr, p.Grad, p.Data)
		return l, 1
	}
	if o.v == nil {
		o.v = make([]float32, len(p.Data))
	}
	// Contiguous parts on as many goroutines as the model's passes use:
	// each core updates the rows of the weight gradients it computed. The
	// cuts fall on multiples of 64, so every element is computed by the same
	// code (assembly, or the generic tail) as in one whole pass: the same bits.
	parts := max(min(Threads(m), len(p.Data)/(1<<14)), 1)
	cut := func(i int) int {
		if i == parts {
			return len(p.Data)
		}
		return i * len(p.Data) / parts &^ 63
	}
	team.Parallel(parts, func(i int) {
		lo, hi := cut(i), cut(i+1)
		v, g, w := o.v[lo:hi], p.Grad[lo:hi], p.Data[lo:hi]
		kernels.Scale(o.Momentum, v)
		kernels.Axpy(1-o.Dampening, g, v)
		kernels.Axpy(-lr, v, w)
	})
	return l, 1
}

// SignSGD is θ −= lr·sign(g), a zero sign replaced by a random ±1 (as the
// study did), drawn from a seeded direction so runs repeat.
type SignSGD struct {
	Seed uint64
	step uint64
	s    []float32
}

// Step implements Optimizer.
func (o *SignSGD) Step(m Model, b Batch, lr float32) (float32, int) {
	l := gradient(m, b)
	p := m.Params()
	o.s = signs(o.s, p.Grad, o.Seed, o.step)
	o.step++
	kernels.Axpy(-lr, o.s, p.Data)
	return l, 1
}

// signs writes sign(g) to dst, replacing zeros by a Rademacher draw. A
// unit the ReLU holds at 0 on the whole batch zeroes all its weights'
// gradients, so zeros come by the thousand: each chunk that has one (as
// kernels.Sign reports) gets its draws from one vector fill (rng.Fill;
// the same values as At).
func signs(dst, g []float32, seed, step uint64) []float32 {
	if len(dst) != len(g) {
		dst = make([]float32, len(g))
	}
	key := rng.NewKey(seed, step)
	var draws [signChunk]float32
	for lo := 0; lo < len(dst); lo += signChunk {
		chunk := dst[lo:min(lo+signChunk, len(dst))]
		if !kernels.Sign(chunk, g[lo:lo+len(chunk)]) {
			continue
		}
		z := draws[:len(chunk)]
		rng.Fill(rng.Rademacher, z, key, uint64(lo))
		for i, v := range chunk {
			if v == 0 {
				chunk[i] = z[i]
			}
		}
	}
	return dst
}

// signChunk is the span of one fill of draws (a multiple of every path's
// block).
const signChunk = 1024

// Adam is Kingma and Ba's optimizer with bias correction.
type Adam struct {
	Beta1, Beta2, Eps float32
	m, v              []float32
	t                 int
}

// NewAdam returns Adam with the usual β1 = 0.9, β2 = 0.999, ε = 1e-8.
func NewAdam() *Adam { return &Adam{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8} }

// Step implements Optimizer.
func (o *Adam) Step(m Model, b Batch, lr float32) (float32, int) {
	l := gradient(m, b)
	o.apply(m.Params().Data, m.Params().Grad, lr)
	return l, 1
}

// apply is one Adam update of theta from gradient g (shared with ZO-Adam).
func (o *Adam) apply(theta, g []float32, lr float32) {
	if o.m == nil {
		o.m, o.v = make([]float32, len(g)), make([]float32, len(g))
	}
	o.t++
	c1 := 1 - math.Pow(float64(o.Beta1), float64(o.t))
	c2 := 1 - math.Pow(float64(o.Beta2), float64(o.t))
	step := float32(float64(lr) / c1)
	for i, gi := range g {
		o.m[i] = o.Beta1*o.m[i] + (1-o.Beta1)*gi
		o.v[i] = o.Beta2*o.v[i] + (1-o.Beta2)*gi*gi
		vhat := float32(math.Sqrt(float64(o.v[i]) / c2))
		theta[i] -= step * o.m[i] / (vhat + o.Eps)
	}
}
