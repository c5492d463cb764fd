package nn

import (
	"slices"
	"sync/atomic"

	"github.com/zofo/zofo/internal/team"
	"github.com/zofo/zofo/kernels"
)

// Feature reuse on an MLP. Perturbing weight (i, o) of layer ℓ by ±ε moves
// one pre-activation, z_ℓ[r, o] += ±ε·x[r, i], where x is the layer's input
// (1 for the bias). Nothing moves in a row whose input is 0, nor where the
// ReLU holds the unit at 0 on both sides. Elsewhere the change reaches
// layer ℓ+1 as a rank-one update, z_{ℓ+1} += Δa ⊗ W_{ℓ+1}[o, :] (a
// contiguous row of our [in, out] layout), and the layers after that run on
// the moved rows only.
//
// The change of row r depends on the weight only through the value x[r, i],
// so it is computed once per distinct (row, value) pair of the layer and
// unit, and shared by every weight of the unit with that value in that row:
// an MNIST image has 151 non-background pixels on average but 67 distinct
// values, and its background pixels all share one. All the moved pairs of a
// unit and side are scored at once: their logits class-major, one copy per
// column, so the softmax runs across copies (kernels.CrossEntropyColumns).

// mlpCache holds a forward pass at θ and the batch's pair tables.
type mlpCache struct {
	layers  []*Linear
	rows    int
	z, a    [][]float32 // per layer, rows × Out (a is z after the activation)
	logitsT []float32   // classes × rows
	labels  []int32
	rowLoss []float32 // per-row loss at θ, from logitsT
	pairs   []pairTable
	workers []*unitWorker
	jobIdx  []int // the coordinates jobList groups
	jobList []unitJob
}

func newMLPCache(layers []*Linear) *mlpCache {
	return &mlpCache{layers: layers, z: make([][]float32, len(layers)), a: make([][]float32, len(layers)),
		pairs: make([]pairTable, len(layers))}
}

// forward fills the cache for the batch (rows examples of x, labels y)
// and returns the mean loss at θ.
func (c *mlpCache) forward(p *Params, x []float32, y []int32, rows int) float32 {
	c.rows, c.labels = rows, y
	in := x
	for l, f := range c.layers {
		n := rows * f.Out
		c.z[l], c.a[l] = grow(c.z[l], n), grow(c.a[l], n)
		f.gemm(1, in, rows, p.View(f.w), c.z[l])
		kernels.BiasAdd(c.z[l], rows, f.Out, p.View(f.b))
		activate(c.a[l], c.z[l], f.ReLU)
		c.pairs[l].build(in, rows, f.In)
		in = c.a[l]
	}
	classes := c.layers[len(c.layers)-1].Out
	logits := c.a[len(c.layers)-1]
	c.logitsT = grow(c.logitsT, classes*rows)
	for r := range rows {
		for k := range classes {
			c.logitsT[k*rows+r] = logits[r*classes+k]
		}
	}
	c.rowLoss = grow(c.rowLoss, rows)
	kernels.CrossEntropyColumns(c.rowLoss, c.logitsT, classes, rows, rows, y)
	return Loss(logits, y, rows, classes)
}

func activate(dst, z []float32, relu bool) {
	if relu {
		kernels.ReLU(dst, z)
	} else {
		copy(dst, z)
	}
}

// unitJob is one unit (layer l, output o) and its chosen weights: input
// index in (the layer's In for the bias) and the estimate's place in g.
type unitJob struct {
	l, o  int
	in    []int
	place []int
}

// CoordinateDifferences writes to g[j] the central difference
// (L(θ + ε·eᵢ) − L(θ − ε·eᵢ)) / 2ε for each coordinate i = idx[j] of an
// MLP, from one forward pass (feature reuse, above), and returns the loss
// at θ; a model that is not an MLP reports false and does nothing. One
// unit's coordinates are a job, the jobs spread over the model's threads;
// each estimate depends on its own unit alone, so the bits do not depend
// on the thread count.
func (m *Sequential) CoordinateDifferences(x []float32, y []int32, rows int, idx []int, eps float32, g []float32) (float32, bool) {
	if m.linears() == nil {
		return 0, false
	}
	if m.coords == nil {
		m.coords = newMLPCache(m.linears())
	}
	c, p := m.coords, m.params
	base := c.forward(p, x, y, rows)
	jobs := c.jobs(p, idx)
	threads := min(m.Parallelism(), len(jobs))
	for len(c.workers) < threads {
		c.workers = append(c.workers, &unitWorker{})
	}
	var next atomic.Int64
	team.Parallel(threads, func(t int) {
		w := c.workers[t]
		for j := next.Add(1) - 1; j < int64(len(jobs)); j = next.Add(1) - 1 {
			w.estimate(c, p, &jobs[j], eps, g)
		}
	})
	return base, true
}

// jobs groups the chosen coordinates by unit, in their order. A full step
// chooses the same coordinates every time, so the last grouping is kept.
func (c *mlpCache) jobs(p *Params, idx []int) []unitJob {
	if slices.Equal(idx, c.jobIdx) {
		return c.jobList
	}
	first := make([]int, len(c.layers)+1) // unit slots: layer l's start at first[l]
	for l, f := range c.layers {
		first[l+1] = first[l] + f.Out
	}
	slot := make([]int, first[len(c.layers)])
	for i := range slot {
		slot[i] = -1
	}
	var jobs []unitJob
	for place, i := range idx {
		l, in, out := c.locate(p, i)
		s := first[l] + out
		if slot[s] < 0 {
			slot[s] = len(jobs)
			jobs = append(jobs, unitJob{l: l, o: out})
		}
		j := &jobs[slot[s]]
		j.in, j.place = append(j.in, in), append(j.place, place)
	}
	c.jobIdx, c.jobList = append(c.jobIdx[:0], idx...), jobs
	return jobs
}

// locate maps parameter index i to (layer, input index, output unit); the
// bias is input index In.
func (c *mlpCache) locate(p *Params, i int) (l, in, out int) {
	for l, f := range c.layers {
		if t := p.Tensors[f.w]; i >= t.Off && i < t.Off+t.Len {
			return l, (i - t.Off) / f.Out, (i - t.Off) % f.Out
		}
		if t := p.Tensors[f.b]; i >= t.Off && i < t.Off+t.Len {
			return l, f.In, i - t.Off
		}
	}
	panic("nn: coordinate outside the MLP")
}
