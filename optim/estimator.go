package optim

import (
	"fmt"
	"math"

	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/kernels/rng"
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
	if !(e.Eps > 0) || math.IsInf(float64(e.Eps), 0) {
		return fmt.Errorf("optim: ε = %v, want > 0", e.Eps)
	}
	return e.validateDirections()
}

// validateDirections reports directions that cannot be drawn: what a
// forward gradient, which has no ε, checks.
func (e *Estimator) validateDirections() error {
	switch {
	case e.Q < 1:
		return fmt.Errorf("optim: q = %d, want ≥ 1", e.Q)
	case e.Dist > Sphere:
		return fmt.Errorf("optim: unknown direction distribution %d", e.Dist)
	}
	return nil
}

// term is coef·z(d); an estimate ĝ is a sum of terms.
type term struct {
	d    rng.Direction
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
	threads  int // goroutines for passes over a direction (the bits do not depend on it)
}

// pending is the rest of the last query's chain that θ still owes:
// applied in one pass (rng.Chain), it gives θ the bits it would have
// if every point evaluated had been written into it and out again, as the
// in-place path does. A model that evaluates points without writing θ
// leaves the whole chain (+ε, −2ε, +ε for a central difference); the
// in-place path leaves only the last step.
type pending struct {
	d rng.Direction
	a [rng.MaxChain]float32
	n int
}

// perturb adds alpha·z(d) to x in one fused pass.
func (est *estimate) perturb(x []float32, d rng.Direction, alpha float32) {
	d.Perturb(est.threads, x, alpha)
}

// applyPending applies the pending chain to theta, extra·z added to its
// last coefficient (the update folded into the restore), in one pass.
func (est *estimate) applyPending(theta []float32, extra float32) {
	pd := est.pending
	if pd.n == 0 {
		pd.a[0], pd.n = 0, 1
	}
	pd.a[pd.n-1] += extra
	pd.d.Chain(est.threads, theta, pd.a[:pd.n])
	est.pending.n = 0
}

// settleLeading applies all but the last of the pending coefficients,
// leaving θ where the in-place path has it after its evaluations.
func (est *estimate) settleLeading(theta []float32) {
	pd := &est.pending
	if pd.n < 2 {
		return
	}
	pd.d.Chain(est.threads, theta, pd.a[:pd.n-1])
	pd.a[0], pd.n = pd.a[pd.n-1], 1
}

// directions lists the directions of query q at step: the whole model, or
// one per tensor.
func (e *Estimator) directions(m Model, step uint64, q int, buf []float32) []rng.Direction {
	p := m.Params()
	ranges := [][2]int{{0, len(p.Data)}}
	if e.PerTensor {
		ranges = ranges[:0]
		for _, t := range p.Tensors {
			ranges = append(ranges, [2]int{t.Off, t.Off + t.Len})
		}
	}
	out := make([]rng.Direction, len(ranges))
	for i, r := range ranges {
		stream := (step*uint64(e.Q)+uint64(q))*uint64(len(ranges)) + uint64(i)
		out[i] = rng.Direction{Dist: rng.Rademacher, Key: rng.NewKey(e.Seed, stream), Lo: r[0], Hi: r[1], Scale: 1}
		if e.Dist != Rademacher {
			out[i].Dist = rng.Gaussian
		}
		if e.Dist == Sphere {
			out[i].Scale = sphereScale(out[i], buf)
		}
	}
	return out
}

// Threads is the goroutines the model's own passes use (its GEMMs), so
// that an optimizer's passes over the parameters, and the batch gather,
// use as many.
func Threads(m Model) int {
	if t, ok := m.(Parallel); ok {
		return t.Parallelism()
	}
	return 1
}

// sphereScale is √d/‖z‖ for the Gaussian z of d, regenerated in chunks
// through buf (never the whole direction at once).
func sphereScale(d rng.Direction, buf []float32) float32 {
	var sq float64
	for lo := d.Lo; lo < d.Hi; lo += len(buf) {
		chunk := buf[:min(len(buf), d.Hi-lo)]
		rng.Fill(d.Dist, chunk, d.Key, uint64(lo-d.Lo))
		sq += float64(kernels.Dot(chunk, chunk))
	}
	return float32(math.Sqrt(float64(d.Hi-d.Lo) / sq))
}

// chain is the coefficients of one query: its points, then the way back
// to θ. A central difference visits θ + εz and θ − εz (+ε, −2ε, +ε), a
// forward one θ + εz (+ε, −ε) beside the loss at θ itself.
func (e *Estimator) chain() []float32 {
	if e.Central {
		return []float32{e.Eps, -2 * e.Eps, e.Eps}
	}
	return []float32{e.Eps, -e.Eps}
}

// probe is the points the queries of step evaluate: every query's
// directions in turn, all of them at the same θ.
func (e *Estimator) probe(m Model, step uint64, scratch []float32) nn.Probe {
	p := nn.Probe{Base: !e.Central, Pair: e.Central}
	for q := range e.Q {
		for _, d := range e.directions(m, step, q, scratch) {
			p.Queries = append(p.Queries, nn.Query{Dir: d, Chain: e.chain()})
		}
	}
	return p
}

// estimate runs the queries on batch b at step: the model evaluates the
// probe's points (Prober), or they are written into θ in turn.
func (e *Estimator) estimate(m Model, b Batch, step uint64, scratch []float32) estimate {
	est := estimate{threads: Threads(m)}
	p := e.probe(m, step, scratch)
	losses := make([]float32, p.Len())
	var applied int
	if pr, ok := m.(Prober); ok {
		applied = pr.Losses(b.X, b.Y, b.Rows, p, losses)
	} else {
		applied = p.InPlace(m.Params().Data, est.threads, func() float32 { return loss(m, b) }, nil, losses)
	}
	est.forwards = len(losses)
	e.tally(&est, &p, losses)
	last := p.Queries[len(p.Queries)-1]
	est.pending.d = last.Dir
	est.pending.n = copy(est.pending.a[:], last.Chain[applied:])
	return est
}

// tally makes a term of each query from its losses, and the step's loss:
// a forward difference's loss at θ, a central difference's mean loss.
func (e *Estimator) tally(est *estimate, p *nn.Probe, losses []float32) {
	var sumL float64
	if p.Base {
		est.loss, losses = losses[0], losses[1:]
	}
	for k, q := range p.Queries {
		var g float32
		if e.Central {
			lp, lm := losses[2*k], losses[2*k+1]
			g = (lp - lm) / (2 * e.Eps)
			sumL += float64(lp+lm) / 2
		} else {
			g = (losses[k] - est.loss) / e.Eps
		}
		est.terms = append(est.terms, term{d: q.Dir, coef: g / float32(e.Q)})
	}
	if e.Central {
		est.loss = float32(sumL / float64(len(est.terms)))
	}
}

// dense writes ĝ = Σ coef·z into g (zeroed first).
func (est *estimate) dense(g []float32) {
	clear(g)
	for _, t := range est.terms {
		est.perturb(g, t.d, t.coef)
	}
}

// restore adds the pending restore to theta.
func (est *estimate) restore(theta []float32) { est.applyPending(theta, 0) }
