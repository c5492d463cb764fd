package optim

import (
	"fmt"
	"math"

	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/nn"
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
// left owing pending: applying its chain restores them, so an optimizer
// can fold the restore into its own pass.
type estimate struct {
	terms    []term
	pending  pending
	loss     float32
	forwards int
	mlp      *nn.Sequential // the model, when it is one: an MLP evaluates points without writing θ
	prefix   prefix
}

// pending is the chain of coefficients along d that θ still owes: applied
// in turn (kernels.Chain), they give θ the bits it would have if every
// point evaluated had been written into it and out again, as the in-place
// path does. Fused evaluation leaves the whole chain (+ε, −2ε, +ε for a
// central difference); the in-place path leaves only the last step.
type pending struct {
	d dir
	a [kernels.MaxChain]float32
	n int
}

// perturb adds alpha·z(d) to theta in one fused pass.
func perturb(theta []float32, d dir, alpha float32) {
	kernels.PerturbParallel(d.threads, d.dist, theta[d.lo:d.hi], alpha*d.scale, d.key, 0)
}

// applyPending applies the pending chain to theta, extra·z added to its
// last coefficient (the update folded into the restore), in one pass.
func (est *estimate) applyPending(theta []float32, extra float32) {
	pd := est.pending
	if pd.n == 0 {
		pd.a[0], pd.n = 0, 1
	}
	pd.a[pd.n-1] += extra
	chainAlong(theta, pd.d, pd.scaled(pd.n))
	est.pending.n = 0
}

// scaled is the first n coefficients times the direction's scale.
func (pd *pending) scaled(n int) []float32 {
	out := make([]float32, n)
	for i, c := range pd.a[:n] {
		out[i] = c * pd.d.scale
	}
	return out
}

// settleLeading applies all but the last of the pending coefficients,
// leaving θ where the in-place path has it after its evaluations.
func (est *estimate) settleLeading(theta []float32) {
	pd := &est.pending
	if pd.n < 2 {
		return
	}
	chainAlong(theta, pd.d, pd.scaled(pd.n-1))
	pd.a[0], pd.n = pd.a[pd.n-1], 1
}

// chainAlong applies the (scaled) chain a along d to theta in one pass.
func chainAlong(theta []float32, d dir, a []float32) {
	w := theta[d.lo:d.hi]
	kernels.ChainParallel(d.threads, d.dist, w, w, a, d.key, 0)
}

func (d dir) along() nn.Along { return nn.Along{Dist: d.dist, Key: d.key, Lo: d.lo, Hi: d.hi} }

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
			threads: Threads(m)}
		if e.Dist != Rademacher {
			out[i].dist = kernels.Gaussian
		}
		if e.Dist == Sphere {
			out[i].scale = sphereScale(out[i], buf)
		}
	}
	return out
}

// Threads is the goroutines the model's own passes use (its GEMMs), so
// that an optimizer's passes over the parameters, and the batch gather,
// use as many.
func Threads(m Model) int {
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
	var est estimate
	est.mlp, _ = m.(*nn.Sequential)
	est.prefix.seq = est.mlp
	var t tally
	if e.together(m, est.mlp) {
		e.estimateTogether(b, step, scratch, &est, &t)
	} else {
		e.estimateInTurn(m, b, step, scratch, &est, &t)
	}
	est.loss = t.l0
	if e.Central {
		est.loss = float32(t.sumL / float64(len(est.terms)))
	}
	return est
}

// tally is what the terms' coefficients and the step's loss come from:
// a forward difference's loss at θ, a central difference's mean loss.
type tally struct {
	l0   float32
	sumL float64
}

// add appends the term of direction d, whose points had losses lp and
// (central) lm.
func (e *Estimator) add(est *estimate, t *tally, d dir, lp, lm float32) {
	g := (lp - t.l0) / e.Eps
	if e.Central {
		g = (lp - lm) / (2 * e.Eps)
		t.sumL += float64(lp+lm) / 2
	}
	est.terms = append(est.terms, term{d: d, coef: g / float32(e.Q)})
}

// estimateInTurn evaluates the directions one after the other, restoring
// θ between them.
func (e *Estimator) estimateInTurn(m Model, b Batch, step uint64, scratch []float32, est *estimate, t *tally) {
	theta := m.Params().Data
	baseDue := !e.Central // a forward difference's loss at θ, not yet evaluated
	for q := 0; q < e.Q; q++ {
		for _, d := range e.directions(m, step, q, scratch) {
			if est.pending.n != 0 {
				est.prefix.touched(est.pending.d)
				est.applyPending(theta, 0)
			}
			var lp, lm float32
			if baseDue {
				t.l0, lp = e.evaluateWithBase(m, b, d, est)
				baseDue = false
			} else {
				lp, lm = e.evaluate(m, b, d, est)
			}
			e.add(est, t, d, lp, lm)
		}
	}
}

// together reports whether the queries go to nn's QueryLosses at once:
// several whole-model directions on an MLP that suits it (QueriesFit), on
// one goroutine (with two, the two sides of each query run at once
// instead, one per core).
func (e *Estimator) together(m Model, seq *nn.Sequential) bool {
	return e.Q > 1 && !e.PerTensor && seq != nil && seq.Parallelism() < 2 && seq.QueriesFit() &&
		seq.CanMove(nn.Along{Hi: len(m.Params().Data)})
}

// estimateTogether evaluates all the queries in one pass over the layers
// (nn's QueryLosses), with the bits of estimateInTurn: θ is left owing
// the last query's chain.
func (e *Estimator) estimateTogether(b Batch, step uint64, scratch []float32, est *estimate, t *tally) {
	seq := est.mlp
	qs := nn.Queries{Pair: e.Central}
	dirs := make([]dir, e.Q)
	for q := range dirs {
		dirs[q] = e.directions(seq, step, q, scratch)[0]
		chain := e.fusedChain(dirs[q])
		qs.Dirs = append(qs.Dirs, dirs[q].along())
		qs.Chains = append(qs.Chains, chain.scaled(chain.n))
	}
	if !e.Central { // the loss at θ itself, as evaluateWithBase's first point
		t.l0 = seq.LossAt(b.X, b.Y, b.Rows, nn.Keep{}, nn.Point{Along: qs.Dirs[0]})
		est.forwards++
	}
	sides := qs.Sides()
	losses := make([]float32, sides*e.Q)
	seq.QueryLosses(b.X, b.Y, b.Rows, qs, losses)
	est.forwards += len(losses)
	for q, d := range dirs {
		lp, lm := losses[q*sides], float32(0)
		if e.Central {
			lm = losses[q*sides+1]
		}
		e.add(est, t, d, lp, lm)
	}
	est.pending = e.fusedChain(dirs[len(dirs)-1])
	est.prefix.ran()
}

// fusedChain is what θ owes along d after a fused evaluation of its
// points (θ itself unwritten): the whole chain, +ε, −2ε, +ε for a
// central difference, +ε, −ε for a forward one.
func (e *Estimator) fusedChain(d dir) pending {
	if e.Central {
		return pending{d: d, a: [kernels.MaxChain]float32{e.Eps, -2 * e.Eps, e.Eps}, n: 3}
	}
	return pending{d: d, a: [kernels.MaxChain]float32{e.Eps, -e.Eps}, n: 2}
}

// evaluate returns the loss at θ + ε·z and, for a central difference, at
// θ + ε·z − 2ε·z, and sets est.pending to what θ then owes. An MLP
// evaluates both without writing θ (nn's LossAt and PairLosses); other
// models get the perturbations written into θ.
func (e *Estimator) evaluate(m Model, b Batch, d dir, est *estimate) (lp, lm float32) {
	seq, along := est.mlp, d.along()
	if seq != nil && seq.CanMove(along) {
		keep := est.prefix.keep(d)
		defer est.prefix.ran()
		est.pending = e.fusedChain(d)
		if e.Central {
			est.forwards += 2
			lp, lm = seq.PairLosses(b.X, b.Y, b.Rows, keep, along, e.Eps*d.scale, (-2*e.Eps)*d.scale)
			return lp, lm
		}
		est.forwards++
		return seq.LossAt(b.X, b.Y, b.Rows, keep, nn.Point{Along: along, A: []float32{e.Eps * d.scale}}), 0
	}
	est.prefix.touched(d)
	perturb(m.Params().Data, d, e.Eps)
	lp = est.prefix.loss(m, b)
	est.forwards++
	est.pending = pending{d: d, a: [kernels.MaxChain]float32{-e.Eps}, n: 1}
	if e.Central {
		est.prefix.touched(d)
		perturb(m.Params().Data, d, -2*e.Eps)
		lm = est.prefix.loss(m, b)
		est.forwards++
		est.pending.a[0] = e.Eps
	}
	return lp, lm
}

// evaluateWithBase is evaluate for the first direction of a forward
// difference, with the loss at θ itself: an MLP evaluates the two points
// at once (on two cores when it has them), other models one after the
// other.
func (e *Estimator) evaluateWithBase(m Model, b Batch, d dir, est *estimate) (l0, lp float32) {
	seq, along := est.mlp, d.along()
	if seq == nil || !seq.CanMove(along) {
		l0 = est.prefix.loss(m, b)
		est.forwards++
		lp, _ = e.evaluate(m, b, d, est)
		return l0, lp
	}
	est.forwards += 2
	est.pending = e.fusedChain(d)
	keep := est.prefix.keep(d) // the base point could keep more; both share one input
	defer est.prefix.ran()
	return seq.LossesAt(b.X, b.Y, b.Rows, keep, nn.Point{Along: along}, nn.Point{Along: along, A: []float32{e.Eps * d.scale}})
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
