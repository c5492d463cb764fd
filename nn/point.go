package nn

import (
	"github.com/zofo/zofo/internal/team"
	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/kernels/rng"
)

// Fused perturb-and-evaluate. A ZO step evaluates the loss at points
// θ + a·z along a random direction z. Instead of writing the perturbation
// into θ, evaluating, and writing it back out (three passes over θ per
// central difference, each generating z), an MLP's forward pass makes the
// perturbed weights a cache-sized tile at a time with rng.ChainRows
// and multiplies each tile where it lies; θ is only read. The optimizer
// then applies all of the step's coefficients to θ in one pass
// (rng.ChainParallel).
//
// On two or more cores the two sides of a central difference run at once,
// one per core, each in its own workspace (workspace.go), θ shared. Splitting each layer's columns between the cores
// instead, so that each kept its own part of θ, measured twice as slow:
// here, reading data the other core wrote costs 25–55 µs per 440 KB
// (MyNet's θ; kernels' BenchmarkCrossCore), 5–10 times a local pass, and
// interleaved 256-byte shares of each row of W still moved between cores.

// point is θ with Data[d.Lo:d.Hi] replaced by rng.Chain(θ, a): the
// (scaled) coefficients applied in turn, each product and add rounded,
// exactly as the same Perturb calls made in place.
type point struct {
	d rng.Direction
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
	d    rng.Direction
	a    []float32
	pair bool
	a2   float32
	keep carry // what the pass reuses of the passes before it
}

// canMove reports whether lossAt and pairLosses take d: every layer
// is Linear, and each tensor lies wholly inside or outside [Lo, Hi)
// (whole-model and per-tensor directions do).
func (m *Sequential) canMove(d rng.Direction) bool {
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
// tile's z once (rng.ChainPairRows) and feeds both sides' GEMMs.
func (m *Sequential) pairLosses(x []float32, y []int32, rows int, keep carry, d rng.Direction, a1, a2 float32) (la, lb float32) {
	return m.evaluate(x, y, rows, eval{d: d, a: []float32{a1}, pair: true, a2: a2, keep: keep})
}

func (m *Sequential) evaluate(x []float32, y []int32, rows int, ev eval) (la, lb float32) {
	if ev.pair && m.Parallelism() >= 2 {
		return m.lossesAt(x, y, rows, ev.keep, point{ev.d, ev.a}, point{ev.d, []float32{ev.a[0], ev.a2}})
	}
	la, lb = m.evaluate1(x, y, rows, ev, m.kept(ev, x, rows), m.space(0))
	m.evaluated(x, rows, ev)
	return la, lb
}

// lossesAt is lossAt at two points, with θ left as it is. With two or
// more threads they run at once, one per core, the second in workspace 1
// (with its own kept products); the bits are the same, and the record of
// the last pass is the first side's. A forward difference evaluates θ itself
// (pa with no coefficients) beside θ + εz this way. Both points must
// satisfy canMove.
func (m *Sequential) lossesAt(x []float32, y []int32, rows int, keep carry, pa, pb point) (la, lb float32) {
	ea, eb := eval{d: pa.d, a: pa.a, keep: keep}, eval{d: pb.d, a: pb.a, keep: keep}
	in := m.kept(ea, x, rows) // neither point writes the kept layers
	m.kept(eb, x, rows)
	if m.Parallelism() < 2 {
		la, _ = m.evaluate1(x, y, rows, ea, in, m.space(0))
		lb, _ = m.evaluate1(x, y, rows, eb, in, m.space(0))
		m.evaluated(x, rows, eb)
		return la, lb
	}
	ws0, ws1 := m.space(0), m.space(1)
	team.Parallel(2, func(i int) {
		if i == 0 {
			la, _ = m.evaluate1(x, y, rows, ea, in, ws0)
		} else {
			lb, _ = m.evaluate1(x, y, rows, eb, in, ws1)
		}
	})
	m.evaluated(x, rows, ea)
	return la, lb
}

// evaluate1 is evaluate on the calling goroutine, in workspace ws, from
// layer ev.keep on, whose input is in.
func (m *Sequential) evaluate1(x []float32, y []int32, rows int, ev eval, in []float32, ws *workspace) (la, lb float32) {
	xa, xb := in, in // the first layer run sees one input on both sides
	for i, l := range m.layers[ev.keep.Layers:] {
		f := l.(*Linear)
		ya, yb := ws.outputs(f.index, rows, f.Out, ev.pair)
		if i > 0 || !f.fromProduct(&ev, xa, rows, m.batchOf(x, rows), ws, ya, yb) {
			f.movedForward(&ev, xa, xb, rows, ws, ya, yb)
		}
		xa, xb = ya, yb
	}
	c := m.Classes()
	la = Loss(xa, y, rows, c)
	if ev.pair {
		lb = Loss(xb, y, rows, c)
	}
	return la, lb
}

// moved reports whether tensor i moves along d, and the counter of its
// first element.
func moved(p *Params, i int, d rng.Direction) (bool, uint64) {
	t := p.Tensors[i]
	return t.Off >= d.Lo && t.Off < d.Hi, uint64(t.Off - d.Lo)
}

// movedForward computes the layer's output on each side of ev into ya
// and yb: GEMMs on perturbed tiles when the weight moves, on W itself when
// it does not, then the (perturbed) bias and the ReLU.
func (f *Linear) movedForward(ev *eval, xa, xb []float32, rows int, ws *workspace, ya, yb []float32) {
	p := f.model.params
	w := p.View(f.w)
	ws.prod[f.index].ok = false
	if ok, base := moved(p, f.w, ev.d); ok && len(ev.a) > 0 {
		f.eachTile(func(j, cw, k0, kb int) {
			f.tiles(ev, ws, w[k0*f.Out+j:], kb, cw, base+uint64(k0*f.Out+j))
			f.tileGemm(rows, xa, ws.tileA, ya, k0, kb, j, cw)
			if ev.pair {
				f.tileGemm(rows, xb, ws.tileB, yb, k0, kb, j, cw)
			}
		})
	} else {
		f.gemm(1, xa, rows, w, ya)
		if ev.pair {
			f.gemm(1, xb, rows, w, yb)
		}
	}
	ba, bb := f.movedBias(ev, ws)
	f.addBias(ya, rows, ba)
	if ev.pair {
		f.addBias(yb, rows, bb)
	}
}

// fromProduct computes the layer's output on each side of ev from its
// product x·W, kept or made and kept here, when ev's keep allows and the
// point leaves W as it is (the layer is the pass's first, so x is one
// input for both sides); it reports whether it did.
func (f *Linear) fromProduct(ev *eval, x []float32, rows int, batch batchID, ws *workspace, ya, yb []float32) bool {
	if wMoved, _ := moved(f.model.params, f.w, ev.d); wMoved && len(ev.a) > 0 {
		return false
	}
	kept := &ws.prod[f.index]
	prod := kept.buf
	switch {
	case kept.reusable(ev.keep, batch):
		f.model.reused.Add(1)
	case ev.keep.Save:
		prod = kept.fresh(rows*f.Out, batch)
		f.gemm(1, x, rows, f.model.params.View(f.w), prod)
	default:
		return false
	}
	ba, bb := f.movedBias(ev, ws)
	f.addBiasTo(ya, prod, rows, ba)
	if ev.pair {
		f.addBiasTo(yb, prod, rows, bb)
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
func (f *Linear) tiles(ev *eval, s *workspace, w []float32, kb, cw int, at uint64) {
	s.tileA = grow(s.tileA, kb*cw)
	if !ev.pair {
		rng.ChainRows(ev.d.Dist, s.tileA, cw, w, f.Out, kb, cw, ev.a, ev.d.Key, at)
		return
	}
	s.tileB = grow(s.tileB, kb*cw)
	rng.ChainPairRows(ev.d.Dist, s.tileA, s.tileB, cw, w, f.Out, kb, cw, ev.a[0], ev.a2, ev.d.Key, at)
}

// movedBias returns the bias on each side.
func (f *Linear) movedBias(ev *eval, s *workspace) (ba, bb []float32) {
	p := f.model.params
	b := p.View(f.b)
	ok, base := moved(p, f.b, ev.d)
	if !ok || len(ev.a) == 0 {
		return b, b
	}
	s.biasA = grow(s.biasA, len(b))
	if !ev.pair {
		rng.Chain(ev.d.Dist, s.biasA, b, ev.a, ev.d.Key, base)
		return s.biasA, nil
	}
	s.biasB = grow(s.biasB, len(b))
	rng.ChainPair(ev.d.Dist, s.biasA, s.biasB, b, ev.a[0], ev.a2, ev.d.Key, base)
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
