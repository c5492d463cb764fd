package nn

// Losses writes to out the training loss on the batch (rows examples of x,
// labels y) at every point of p, the base first, then each query's sides,
// and returns how many leading coefficients of the last query's chain θ
// holds afterwards; the caller applies the rest (folding its update into
// that pass, if it likes). The losses, and θ once the chain is complete,
// have the bits of p.InPlace. An MLP evaluates its points without writing
// θ (point.go) and, on one goroutine, several whole-model queries in one
// pass over its layers (queries.go); other models write each point into θ
// and rerun only the layers from the first one that changed (prefix.go).
func (m *Sequential) Losses(x []float32, y []int32, rows int, p Probe, out []float32) int {
	p.validate(len(m.params.Data), out)
	pf := prefix{m: m}
	switch {
	case !m.movesAll(&p):
		loss := func() float32 { return pf.loss(x, y, rows) }
		return p.InPlace(m.params.Data, m.Parallelism(), loss, pf.touched, out)
	case m.together(&p):
		m.lossesTogether(x, y, rows, &p, out)
	default:
		m.lossesFused(x, y, rows, &p, &pf, out)
	}
	return 0
}

// movesAll reports whether every query's points can be evaluated without
// writing θ (canMove).
func (m *Sequential) movesAll(p *Probe) bool {
	for _, q := range p.Queries {
		if !m.canMove(q.Dir) {
			return false
		}
	}
	return true
}

// together reports whether the queries go to queryLosses at once: several
// whole-model directions on an MLP that suits it (queriesFit), on one
// goroutine (with two, the two sides of each query run at once instead,
// one per core).
func (m *Sequential) together(p *Probe) bool {
	if len(p.Queries) < 2 || m.Parallelism() >= 2 || !m.queriesFit() {
		return false
	}
	for _, q := range p.Queries {
		if q.Dir.Lo != 0 || q.Dir.Hi != len(m.params.Data) {
			return false
		}
	}
	return true
}

// lossesFused evaluates the queries one after the other, each without
// writing θ, applying the previous query's whole chain to θ before the
// next.
func (m *Sequential) lossesFused(x []float32, y []int32, rows int, p *Probe, pf *prefix, out []float32) {
	theta, threads, at := m.params.Data, m.Parallelism(), 0
	for k, q := range p.Queries {
		if k > 0 {
			prev := p.Queries[k-1]
			pf.touched(prev.Dir)
			prev.Dir.Chain(threads, theta, prev.Chain)
		}
		keep, a := pf.keep(q.Dir), q.Dir.Scaled(q.Chain)
		switch {
		case p.Base && k == 0: // θ itself beside the first point, on two cores when there are two
			out[0], out[1] = m.lossesAt(x, y, rows, keep, point{d: q.Dir}, point{q.Dir, a[:1]})
			at = 2
		case p.Pair:
			out[at], out[at+1] = m.pairLosses(x, y, rows, keep, q.Dir, a[0], a[1])
			at += 2
		default:
			out[at] = m.lossAt(x, y, rows, keep, point{q.Dir, a[:1]})
			at++
		}
		pf.ran()
	}
}

// lossesTogether evaluates the queries in one pass over the layers
// (queryLosses), which leaves θ owing the last query's whole chain.
func (m *Sequential) lossesTogether(x []float32, y []int32, rows int, p *Probe, out []float32) {
	qs := queries{pair: p.Pair}
	for _, q := range p.Queries {
		qs.dirs = append(qs.dirs, q.Dir)
		qs.chains = append(qs.chains, q.Dir.Scaled(q.Chain))
	}
	if p.Base {
		out[0] = m.lossAt(x, y, rows, carry{}, point{d: qs.dirs[0]})
		out = out[1:]
	}
	m.queryLosses(x, y, rows, qs, out)
}
