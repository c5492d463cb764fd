package optim

import (
	"fmt"
	"math"

	"github.com/zofo/zofo/kernels"
)

// Dist is the distribution of random directions.
type Dist uint8

// Directions: Rademacher and Gaussian come straight from the kernels;
// Sphere is a Gaussian rescaled to norm √d (uniform on the sphere with
// E[zzᵀ] = I, like the others).
const (
	Rademacher Dist = iota
	Gaussian
	Sphere
)

// Estimator is the random-direction ("vectorwise") gradient estimator.
type Estimator struct {
	Dist      Dist
	Central   bool    // central difference (L+ − L−)/2ε; else forward (L+ − L0)/ε
	Q         int     // directions averaged per step
	PerTensor bool    // one direction per parameter tensor (the study's way)
	Eps       float32 // perturbation size
	Seed      uint64
}

// Validate reports a setting that cannot work.
func (e *Estimator) Validate() error {
	switch {
	case e.Q < 1:
		return fmt.Errorf("optim: q = %d, want ≥ 1", e.Q)
	case !(e.Eps > 0) || math.IsInf(float64(e.Eps), 0):
		return fmt.Errorf("optim: ε = %v, want > 0", e.Eps)
	case e.Dist > Sphere:
		return fmt.Errorf("optim: unknown direction distribution %d", e.Dist)
	}
	return nil
}

// dir is one regenerable direction on Params.Data[lo:hi]; scale turns the
// kernel's unit-variance values into the estimator's distribution.
type dir struct {
	key     kernels.Key
	lo, hi  int
	dist    kernels.Dist
	scale   float32
	threads int // goroutines for passes over the direction (the bits do not depend on it)
}

// term is coef·z(dir); an estimate ĝ is a sum of terms.
type term struct {
	d    dir
	coef float32
}

// estimate is the result of one estimation on a batch. The parameters are
// left off by −pending: adding pending.coef·z(pending.d) restores them, so
// an optimizer can fold the restore into its own pass.
type estimate struct {
	terms    []term
	pending  term
	loss     float32
	forwards int
}

// perturb adds alpha·z(d) to theta in one fused pass.
func perturb(theta []float32, d dir, alpha float32) {
	kernels.PerturbParallel(d.threads, d.dist, theta[d.lo:d.hi], alpha*d.scale, d.key, 0)
}

// applyPending adds the pending restore, plus extra·z, to theta in one pass.
func (est *estimate) applyPending(theta []float32, extra float32) {
	perturb(theta, est.pending.d, est.pending.coef+extra)
	est.pending.coef = 0
}

// directions lists the directions of query q at step: the whole model, or
// one per tensor.
func (e *Estimator) directions(m Model, step uint64, q int, buf []float32) []dir {
	p := m.Params()
	ranges := [][2]int{{0, len(p.Data)}}
	if e.PerTensor {
		ranges = ranges[:0]
		for _, t := range p.Tensors {
			ranges = append(ranges, [2]int{t.Off, t.Off + t.Len})
		}
	}
	out := make([]dir, len(ranges))
	for i, r := range ranges {
		stream := (step*uint64(e.Q)+uint64(q))*uint64(len(ranges)) + uint64(i)
		out[i] = dir{key: kernels.NewKey(e.Seed, stream), lo: r[0], hi: r[1], dist: kernels.Rademacher, scale: 1,
			threads: threadsOf(m)}
		if e.Dist != Rademacher {
			out[i].dist = kernels.Gaussian
		}
		if e.Dist == Sphere {
			out[i].scale = sphereScale(out[i], buf)
		}
	}
	return out
}

// threadsOf is the goroutines the model's own passes use (its GEMMs),
// so that a ZO step's passes over the parameters use as many.
func threadsOf(m Model) int {
	if t, ok := m.(interface{ Parallelism() int }); ok {
		return t.Parallelism()
	}
	return 1
}

// sphereScale is √d/‖z‖ for the Gaussian z of d, regenerated in chunks
// through buf (never the whole direction at once).
func sphereScale(d dir, buf []float32) float32 {
	var sq float64
	for lo := d.lo; lo < d.hi; lo += len(buf) {
		chunk := buf[:min(len(buf), d.hi-lo)]
		kernels.Fill(kernels.Gaussian, chunk, d.key, uint64(lo-d.lo))
		sq += float64(kernels.Dot(chunk, chunk))
	}
	return float32(math.Sqrt(float64(d.hi-d.lo) / sq))
}

// estimate runs the queries on batch b at step. Every query is evaluated
// at the same θ; all but the last are restored at once.
func (e *Estimator) estimate(m Model, b Batch, step uint64, scratch []float32) estimate {
	theta := m.Params().Data
	var est estimate
	var l0 float32
	if !e.Central {
		l0 = loss(m, b)
		est.loss, est.forwards = l0, 1
	}
	var sumL float64
	for q := 0; q < e.Q; q++ {
		for _, d := range e.directions(m, step, q, scratch) {
			if est.pending.coef != 0 {
				perturb(theta, est.pending.d, est.pending.coef)
			}
			perturb(theta, d, e.Eps)
			lp := loss(m, b)
			g := (lp - l0) / e.Eps
			est.forwards++
			est.pending = term{d: d, coef: -e.Eps}
			if e.Central {
				perturb(theta, d, -2*e.Eps)
				lm := loss(m, b)
				g = (lp - lm) / (2 * e.Eps)
				est.forwards++
				est.pending.coef = e.Eps
				sumL += float64(lp+lm) / 2
			}
			est.terms = append(est.terms, term{d: d, coef: g / float32(e.Q)})
		}
	}
	if e.Central {
		est.loss = float32(sumL / float64(len(est.terms)))
	}
	return est
}

// dense writes ĝ = Σ coef·z into g (zeroed first).
func (est *estimate) dense(g []float32) {
	clear(g)
	for _, t := range est.terms {
		perturb(g, t.d, t.coef)
	}
}

// restore adds the pending restore to theta.
func (est *estimate) restore(theta []float32) { est.applyPending(theta, 0) }
