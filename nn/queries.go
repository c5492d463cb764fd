package nn

import (
	"fmt"

	"github.com/zofo/zofo/kernels/rng"
)

// queries are q > 1 random directions over the whole model, evaluated as
// the in-place path evaluates them one after the other: query k's points
// are made from θ as query k−1's whole chain (the evaluation steps and
// the restore) left it. queryLosses runs them layer by layer: the batch is
// read from memory once for all the queries' first-layer GEMMs (it stays
// in L2 between them), and θ is restored a tile at a time between one
// query's GEMMs and the next, while the tile is in cache, instead of in a
// pass of its own over θ.
type queries struct {
	dirs   []rng.Direction // one per query, each over all of θ
	chains [][]float32     // query k's chain, scaled: its points are after chains[k][0] and, with pair, [1]
	pair   bool            // two points a query (a central difference), else one
}

// sides is the points a query evaluates.
func (qs *queries) sides() int {
	if qs.pair {
		return 2
	}
	return 1
}

// queriesFit reports whether queryLosses suits the model: an MLP whose
// layers are all at most a tile wide, so a tile is whole rows of W, one
// span to restore, and the 2q sides' activations stay small. Wider layers
// restore 64-column tiles a row at a time and hold megabytes of
// activations: at s=8, q = 8 that measured 3.9% slower than evaluating
// the queries in turn (BenchmarkWideQueries).
func (m *Sequential) queriesFit() bool {
	fs := m.linears()
	for _, f := range fs {
		if tileWidth(f.Out) < f.Out {
			return false
		}
	}
	return fs != nil
}

// queryScratch is each side's activations (two sets, a layer's input and
// output in turn) and moved bias, and the first layer's inputs (all the
// batch itself).
type queryScratch struct {
	xs, bias [][]float32
	acts     [2][][]float32
}

// queryLosses writes the loss at each query's points to losses (query k's
// side s at k·sides+s) and leaves θ with every query's chain applied but
// the last one's, which the caller still owes: the bits of evaluating the
// queries in turn with lossAt or pairLosses, restoring θ with each chain
// in place between them. It runs on the calling goroutine; the model must
// satisfy canMove for the whole of θ.
func (m *Sequential) queryLosses(x []float32, y []int32, rows int, qs queries, losses []float32) {
	m.checkQueries(qs, len(losses))
	n := len(qs.dirs) * qs.sides()
	s := &m.queries
	s.xs = growSides(s.xs, n, 0)
	for i := range s.xs {
		s.xs[i] = x
	}
	in := s.xs
	for i, l := range m.layers {
		f := l.(*Linear)
		out := growSides(s.acts[i%2], n, rows*f.Out)
		s.acts[i%2] = out
		f.queriesForward(qs, in, out, rows, s, m.space(0))
		in = out
	}
	for i := range losses {
		losses[i] = Loss(in[i], y, rows, m.Classes())
	}
	m.remember(x, rows, true, 0) // no layer output is θ's
}

func (m *Sequential) checkQueries(qs queries, losses int) {
	whole := rng.Direction{Lo: 0, Hi: len(m.params.Data)}
	ok := len(qs.dirs) == len(qs.chains) && losses == len(qs.dirs)*qs.sides() && m.canMove(whole)
	for i, d := range qs.dirs {
		ok = ok && d.Lo == 0 && d.Hi == whole.Hi && len(qs.chains[i]) > qs.sides()-1 && len(qs.chains[i]) <= rng.MaxChain
	}
	if !ok {
		panic(fmt.Sprintf("nn: queryLosses: %d directions, %d chains, %d losses, pair %v: want an MLP, directions over all "+
			"%d parameters, a chain of %d to %d coefficients each and a loss per point", len(qs.dirs), len(qs.chains), losses,
			qs.pair, whole.Hi, qs.sides(), rng.MaxChain))
	}
}

// growSides returns n buffers of size floats each (size 0: as they
// were), reusing bufs.
func growSides(bufs [][]float32, n, size int) [][]float32 {
	if cap(bufs) < n {
		bufs = append(bufs[:cap(bufs)], make([][]float32, n-cap(bufs))...)
	}
	bufs = bufs[:n]
	for i := range bufs {
		if size > 0 {
			bufs[i] = grow(bufs[i], size)
		}
	}
	return bufs
}

// queriesForward computes every side's output of the layer from its input
// (in to out): the moved biases first, then each query's GEMMs on W a tile
// at a time, each tile restored in place once its query is done with it
// (while it is still in cache), then the biases and the ReLU. The queries
// go one after the other, not tile by tile: a tile's sixteen GEMMs of a
// q = 8 central step would keep every side's output in L2 at once, and
// were no faster (+7%, within the host's noise).
func (f *Linear) queriesForward(qs queries, in, out [][]float32, rows int, s *queryScratch, ws *workspace) {
	p := f.model.params
	ws.prod[f.index].ok = false
	f.queryBiases(qs, s)
	w, base := p.View(f.w), uint64(p.Tensors[f.w].Off)
	sides, last := qs.sides(), len(qs.dirs)-1
	for k, d := range qs.dirs {
		ev := eval{d: d, a: qs.chains[k][:1], pair: qs.pair}
		if qs.pair {
			ev.a2 = qs.chains[k][1]
		}
		f.eachTile(func(j, cw, k0, kb int) {
			tile, at := w[k0*f.Out+j:], base+uint64(k0*f.Out+j)
			f.tiles(&ev, ws, tile, kb, cw, at)
			for i := range sides {
				f.tileGemm(rows, in[k*sides+i], ws.side(i), out[k*sides+i], k0, kb, j, cw)
			}
			if k < last {
				rng.ChainRows(d.Dist, tile, f.Out, tile, f.Out, kb, cw, qs.chains[k], d.Key, at)
			}
		})
	}
	for i, y := range out {
		f.addBias(y, rows, s.bias[i])
	}
}

// queryBiases makes every side's moved bias, restoring the bias in place
// after each query but the last.
func (f *Linear) queryBiases(qs queries, s *queryScratch) {
	p := f.model.params
	b, base := p.View(f.b), uint64(p.Tensors[f.b].Off)
	sides, last := qs.sides(), len(qs.dirs)-1
	s.bias = growSides(s.bias, len(qs.dirs)*sides, len(b))
	for k, d := range qs.dirs {
		a := qs.chains[k]
		if qs.pair {
			rng.ChainPair(d.Dist, s.bias[k*2], s.bias[k*2+1], b, a[0], a[1], d.Key, base)
		} else {
			rng.Chain(d.Dist, s.bias[k], b, a[:1], d.Key, base)
		}
		if k < last {
			rng.Chain(d.Dist, b, b, a, d.Key, base)
		}
	}
}
