package nn

import (
	"fmt"

	"github.com/zofo/zofo/kernels/rng"
)

// Probe is the points of parameter space one zeroth-order step evaluates:
// for each query, one point (Pair false) or two (Pair true) along its
// direction, and with Base the loss at θ itself before them. A query's
// points are where θ would be after the first and the first two
// coefficients of its chain; the chain's rest returns to θ. Query k's
// points are taken from θ as query k−1's whole chain leaves it, exactly as
// if each point had been written into θ in turn (the in-place path, which
// a restore leaves an ulp off θ).
type Probe struct {
	Base    bool
	Pair    bool
	Queries []Query
}

// Query is one direction and its chain of coefficients (before the
// direction's Scale).
type Query struct {
	Dir   rng.Direction
	Chain []float32
}

// Sides is the points each query evaluates.
func (p *Probe) Sides() int {
	if p.Pair {
		return 2
	}
	return 1
}

// Len is the losses the probe evaluates: the base, then each query's sides.
func (p *Probe) Len() int {
	n := len(p.Queries) * p.Sides()
	if p.Base {
		n++
	}
	return n
}

// validate panics unless the probe and out make sense together.
func (p *Probe) validate(params int, out []float32) {
	ok := len(p.Queries) > 0 && len(out) == p.Len() && !(p.Base && p.Pair)
	for _, q := range p.Queries {
		ok = ok && len(q.Chain) > p.Sides() && len(q.Chain) <= rng.MaxChain && q.Dir.Lo >= 0 && q.Dir.Lo < q.Dir.Hi && q.Dir.Hi <= params
	}
	if !ok {
		panic(fmt.Sprintf("nn: a probe of %d queries (base %v, pair %v) for %d losses over %d parameters: want a chain longer "+
			"than the sides and at most %d, a span inside θ, and a loss per point", len(p.Queries), p.Base, p.Pair, len(out),
			params, rng.MaxChain))
	}
}

// InPlace evaluates p on any model by writing each point into theta and
// calling loss there, and returns how many leading coefficients of the last
// query's chain theta then holds (its sides): every earlier query's chain
// is applied whole. touched, if not nil, hears of each direction before
// theta moves along it. Sequential evaluates an MLP's points without
// writing θ, with the same losses and the same θ bits once the caller
// applies the rest of the chain.
func (p *Probe) InPlace(theta []float32, threads int, loss func() float32, touched func(rng.Direction), out []float32) int {
	p.validate(len(theta), out)
	hear := func(d rng.Direction) {
		if touched != nil {
			touched(d)
		}
	}
	at := 0
	if p.Base {
		out[0], at = loss(), 1
	}
	sides := p.Sides()
	for k, q := range p.Queries {
		if k > 0 { // the restore the last query still owes
			prev := p.Queries[k-1]
			hear(prev.Dir)
			prev.Dir.Chain(threads, theta, prev.Chain[sides:])
		}
		for s := range sides {
			hear(q.Dir)
			q.Dir.Perturb(threads, theta, q.Chain[s])
			out[at] = loss()
			at++
		}
	}
	return sides
}
