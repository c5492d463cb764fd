package nn

import (
	"github.com/zofo/zofo/internal/team"
	"github.com/zofo/zofo/kernels"
)

// Fused perturb-and-evaluate. A ZO step evaluates the loss at points
// θ + a·z along a random direction z. Instead of writing the perturbation
// into θ, evaluating, and writing it back out (three passes over θ per
// central difference, each generating z), an MLP's forward pass makes the
// perturbed weights a cache-sized tile at a time with kernels.ChainRows
// and multiplies each tile where it lies; θ is only read. The optimizer
// then applies all of the step's coefficients to θ in one pass
// (kernels.ChainParallel).
//
// On two or more cores the two sides of a central difference run at once,
// one per core, each on its own activations (the second on a twin of the
// model that shares θ). Splitting each layer's columns between the cores
// instead, so that each kept its own part of θ, measured twice as slow:
// here, reading data the other core wrote costs 25–55 µs per 440 KB
// (MyNet's θ; kernels' BenchmarkCrossCore), 5–10 times a local pass, and
// interleaved 256-byte shares of each row of W still moved between cores.

// point is θ with Data[d.Lo:d.Hi] replaced by kernels.Chain(θ, a): the
// (scaled) coefficients applied in turn, each product and add rounded,
// exactly as the same Perturb calls made in place.
type point struct {
	d kernels.Direction
	a []float32
}

// tileWidth is the column width of a layer's perturbed weight tiles
// (GemmBlockK rows each). A layer up to 128 wide gets whole rows: the
// tile is then one contiguous span of W, made by one Chain call, 128 KiB
// at most. Wider layers get 64 columns (64 KiB), which stay in L2 between
// the Chain that writes them and the GEMM that reads them and keep a
// pair's two tiles within 3% of a MyNet s=8's inference memory.
func tileWidth(out int) int {
	if out <= 128 {
		return out
	}
	return 64
}

// eval is what a moved forward pass computes: side a at θ moved by a
// (θ itself when a is empty) and, for a pair, side b at (a[0], a2).
type eval struct {
	d    kernels.Direction
	a    []float32
	pair bool
	a2   float32
	keep carry // what the pass reuses of the passes before it
}

// pointScratch is the perturbed tiles and biases, one per side.
type pointScratch struct{ tileA, tileB, biasA, biasB []float32 }

// canMove reports whether lossAt and pairLosses take d: every layer
// is Linear, and each tensor lies wholly inside or outside [Lo, Hi)
// (whole-model and per-tensor directions do).
func (m *Sequential) canMove(d kernels.Direction) bool {
	if m.linears() == nil {
		return false
	}
	for _, t := range m.params.Tensors {
		in := t.Off >= d.Lo && t.Off+t.Len <= d.Hi
		out := t.Off+t.Len <= d.Lo || t.Off >= d.Hi
		if !in && !out {
			return false
		}
	}
	return true
}

// lossAt is Loss with the parameters at pt, θ left as it is: the same bits
// as applying pt's coefficients to θ in place and calling Loss. The model
// must satisfy canMove(pt.d). It runs on the calling goroutine. The
// first keep layers take their outputs of the last evaluation, as in
// lossFrom.
func (m *Sequential) lossAt(x []float32, y []int32, rows int, keep carry, pt point) float32 {
	la, _ := m.evaluate(x, y, rows, eval{d: pt.d, a: pt.a, keep: keep})
	return la
}

// pairLosses is lossAt at the two points of a central difference,
// θ + a1·z and (θ + a1·z) + a2·z, from one pass that generates each
// tile's z once (kernels.ChainPairRows) and feeds both sides' GEMMs.
func (m *Sequential) pairLosses(x []float32, y []int32, rows int, keep carry, d kernels.Direction, a1, a2 float32) (la, lb float32) {
	return m.evaluate(x, y, rows, eval{d: d, a: []float32{a1}, pair: true, a2: a2, keep: keep})
}

func (m *Sequential) evaluate(x []float32, y []int32, rows int, ev eval) (la, lb float32) {
	if ev.pair && m.Parallelism() >= 2 {
		return m.lossesAt(x, y, rows, ev.keep, point{ev.d, ev.a}, point{ev.d, []float32{ev.a[0], ev.a2}})
	}
	return m.evaluate1(x, y, rows, ev, m.kept(ev, x, rows))
}

// lossesAt is lossAt at two points, with θ left as it is. With two or
// more threads they run at once, one per core, the second on a twin of
// the model that shares θ and owns its activations; the bits are the
// same. A forward difference evaluates θ itself (pa with no coefficients)
// beside θ + εz this way. Both points must satisfy canMove.
func (m *Sequential) lossesAt(x []float32, y []int32, rows int, keep carry, pa, pb point) (la, lb float32) {
	ea, eb := eval{d: pa.d, a: pa.a, keep: keep}, eval{d: pb.d, a: pb.a, keep: keep}
	in := m.kept(ea, x, rows) // neither point writes the kept layers
	m.kept(eb, x, rows)
	if m.Parallelism() < 2 {
		la, _ = m.evaluate1(x, y, rows, ea, in)
		lb, _ = m.evaluate1(x, y, rows, eb, in)
		return la, lb
	}
	twin := m.twin()
	team.Parallel(2, func(i int) {
		if i == 0 {
			la, _ = m.evaluate1(x, y, rows, ea, in)
		} else {
			lb, _ = twin.evaluate1(x, y, rows, eb, in)
			twin.last.kept = 0 // the layers it skipped hold none of its outputs
		}
	})
	return la, lb
}

// evaluate1 is evaluate on the calling goroutine, from layer ev.keep on,
// whose input is in.
func (m *Sequential) evaluate1(x []float32, y []int32, rows int, ev eval, in []float32) (la, lb float32) {
	xa, xb := in, in // the first layer run sees one input on both sides
	for i, l := range m.layers[ev.keep.Layers:] {
		f := l.(*Linear)
		f.x, f.y = xa, grow(f.y, rows*f.Out)
		if ev.pair {
			f.yPair = grow(f.yPair, rows*f.Out)
		}
		if i > 0 || !f.fromProduct(&ev, xa, rows, m.batchOf(x, rows), &m.scratch) {
			f.movedForward(&ev, xa, xb, rows, &m.scratch)
		}
		xa, xb = f.y, f.yPair
	}
	m.evaluated(x, rows, ev)
	c := m.Classes()
	la = Loss(xa, y, rows, c)
	if ev.pair {
		lb = Loss(xb, y, rows, c)
	}
	return la, lb
}

// twin is a model with m's layers and parameters but its own activations
// and scratch, made on first use: the second side of a concurrent pair.
func (m *Sequential) twin() *Sequential {
	if m.pairTwin == nil {
		t := &Sequential{Name: m.Name, In: m.In, Threads: 1, params: m.params, seed: m.seed}
		for _, f := range m.linears() {
			t.layers = append(t.layers, &Linear{In: f.In, Out: f.Out, ReLU: f.ReLU, w: f.w, b: f.b, model: t})
		}
		m.pairTwin = t
	}
	return m.pairTwin
}

// moved reports whether tensor i moves along d, and the counter of its
// first element.
func moved(p *Params, i int, d kernels.Direction) (bool, uint64) {
	t := p.Tensors[i]
	return t.Off >= d.Lo && t.Off < d.Hi, uint64(t.Off - d.Lo)
}

// movedForward computes the layer's output on each side of ev: GEMMs on
// perturbed tiles when the weight moves, on W itself when it does not,
// then the (perturbed) bias and the ReLU.
func (f *Linear) movedForward(ev *eval, xa, xb []float32, rows int, s *pointScratch) {
	p := f.model.params
	w := p.View(f.w)
	f.prod.ok = false
	if ok, base := moved(p, f.w, ev.d); ok && len(ev.a) > 0 {
		f.eachTile(func(j, cw, k0, kb int) {
			f.tiles(ev, s, w[k0*f.Out+j:], kb, cw, base+uint64(k0*f.Out+j))
			f.tileGemm(rows, xa, s.tileA, f.y, k0, kb, j, cw)
			if ev.pair {
				f.tileGemm(rows, xb, s.tileB, f.yPair, k0, kb, j, cw)
			}
		})
	} else {
		kernels.Gemm(false, false, rows, f.Out, f.In, 1, xa, f.In, w, f.Out, 0, f.y, f.Out)
		if ev.pair {
			kernels.Gemm(false, false, rows, f.Out, f.In, 1, xb, f.In, w, f.Out, 0, f.yPair, f.Out)
		}
	}
	ba, bb := f.movedBias(ev, s)
	f.addBias(f.y, rows, ba)
	if ev.pair {
		f.addBias(f.yPair, rows, bb)
	}
}

// fromProduct computes the layer's output on each side of ev from its
// product x·W, kept or made and kept here, when ev's keep allows and the
// point leaves W as it is (the layer is the pass's first, so x is one
// input for both sides); it reports whether it did.
func (f *Linear) fromProduct(ev *eval, x []float32, rows int, batch batchID, s *pointScratch) bool {
	if wMoved, _ := moved(f.model.params, f.w, ev.d); wMoved && len(ev.a) > 0 {
		return false
	}
	prod := f.prod.buf
	switch {
	case f.prod.reusable(ev.keep, batch):
		f.model.reused++
	case ev.keep.Save:
		prod = f.prod.fresh(rows*f.Out, batch)
		kernels.Gemm(false, false, rows, f.Out, f.In, 1, x, f.In, f.model.params.View(f.w), f.Out, 0, prod, f.Out)
	default:
		return false
	}
	ba, bb := f.movedBias(ev, s)
	f.addBiasTo(f.y, prod, rows, ba)
	if ev.pair {
		f.addBiasTo(f.yPair, prod, rows, bb)
	}
	return true
}

// eachTile calls fn on every kb×cw tile of W, columns [j, j+cw) of rows
// [k0, k0+kb), column strip by strip, each strip in the GEMM's K blocks.
func (f *Linear) eachTile(fn func(j, cw, k0, kb int)) {
	tw := tileWidth(f.Out)
	for j := 0; j < f.Out; j += tw {
		for k0 := 0; k0 < f.In; k0 += kernels.GemmBlockK {
			fn(j, min(tw, f.Out-j), k0, min(kernels.GemmBlockK, f.In-k0))
		}
	}
}

// tiles makes side a's kb×cw tile (and side b's, for a pair) from the
// window w of W.
func (f *Linear) tiles(ev *eval, s *pointScratch, w []float32, kb, cw int, at uint64) {
	s.tileA = grow(s.tileA, kb*cw)
	if !ev.pair {
		kernels.ChainRows(ev.d.Dist, s.tileA, cw, w, f.Out, kb, cw, ev.a, ev.d.Key, at)
		return
	}
	s.tileB = grow(s.tileB, kb*cw)
	kernels.ChainPairRows(ev.d.Dist, s.tileA, s.tileB, cw, w, f.Out, kb, cw, ev.a[0], ev.a2, ev.d.Key, at)
}

// movedBias returns the bias on each side.
func (f *Linear) movedBias(ev *eval, s *pointScratch) (ba, bb []float32) {
	p := f.model.params
	b := p.View(f.b)
	ok, base := moved(p, f.b, ev.d)
	if !ok || len(ev.a) == 0 {
		return b, b
	}
	s.biasA = grow(s.biasA, len(b))
	if !ev.pair {
		kernels.Chain(ev.d.Dist, s.biasA, b, ev.a, ev.d.Key, base)
		return s.biasA, nil
	}
	s.biasB = grow(s.biasB, len(b))
	kernels.ChainPair(ev.d.Dist, s.biasA, s.biasB, b, ev.a[0], ev.a2, ev.d.Key, base)
	return s.biasA, s.biasB
}

// tileGemm adds x[:, k0:k0+kb]·tile into y[:, j0:j0+cw]; the first K block
// overwrites. The GEMM accumulates its own K blocks the same way, so the
// tiles give y the bits of one GEMM over the whole perturbed matrix.
func (f *Linear) tileGemm(rows int, x, tile, y []float32, k0, kb, j0, cw int) {
	beta := float32(1)
	if k0 == 0 {
		beta = 0
	}
	kernels.Gemm(false, false, rows, cw, kb, 1, x[k0:], f.In, tile, cw, beta, y[j0:], f.Out)
}

// addBias adds b to every row of y, with the ReLU when the layer has one.
func (f *Linear) addBias(y []float32, rows int, b []float32) { f.addBiasTo(y, y, rows, b) }

// addBiasTo sets y = prod + b (then the ReLU, if the layer has one).
func (f *Linear) addBiasTo(y, prod []float32, rows int, b []float32) {
	kernels.BiasAddTo(y, prod, rows, f.Out, b, f.ReLU)
}
