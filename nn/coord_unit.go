package nn

import (
	"math"

	"github.com/zofo/zofo/kernels"
)

// unitWorker estimates the weights of one unit at a time; each thread has
// its own.
type unitWorker struct {
	mark    []uint32 // per pair: stamp, once the current job needs it
	stamp   uint32
	need    []int32      // the pairs the current job's weights read
	delta   [2][]float64 // per pair and side (+ε, −ε): the row's loss change
	moved   []int32      // the pairs whose unit moves on this side
	step    []float32    // per moved pair: Δa (hidden unit) or the new logit
	labels  []int32      // per moved pair
	hidden  [2][]float32 // moved rows of the layers after the unit's
	logitsT []float32    // classes × moved
	loss    []float32
}

// estimate writes the central differences of job's weights into g.
func (w *unitWorker) estimate(c *mlpCache, p *Params, job *unitJob, eps float32, g []float32) {
	t := &c.pairs[job.l]
	w.collect(t, job)
	for side, delta := range [2]float32{eps, -eps} {
		w.score(c, p, t, job, delta, w.delta[side])
	}
	scale := 2 * float64(eps) * float64(c.rows)
	for k, in := range job.in {
		var s float64
		for _, id := range t.inputs(in) {
			if id >= 0 {
				s += w.delta[0][id] - w.delta[1][id]
			}
		}
		g[job.place[k]] = float32(s / scale)
	}
}

// collect lists in w.need the pairs job's weights read, each once.
func (w *unitWorker) collect(t *pairTable, job *unitJob) {
	n := len(t.row)
	for side := range w.delta {
		if len(w.delta[side]) < n {
			w.delta[side] = make([]float64, n)
		}
	}
	w.need = w.need[:0]
	if len(job.in) == len(t.id)/t.rows { // every input: every pair
		for id := range int32(n) {
			w.need = append(w.need, id)
		}
		return
	}
	if len(w.mark) < n || w.stamp == math.MaxUint32 {
		w.mark, w.stamp = make([]uint32, max(n, len(w.mark))), 0
	}
	w.stamp++
	for _, in := range job.in {
		for _, id := range t.inputs(in) {
			if id >= 0 && w.mark[id] != w.stamp {
				w.mark[id] = w.stamp
				w.need = append(w.need, id)
			}
		}
	}
}

// score sets d[id], for every needed pair, to its row's loss change when
// the unit's pre-activation moves by delta times the pair's value.
func (w *unitWorker) score(c *mlpCache, p *Params, t *pairTable, job *unitJob, delta float32, d []float64) {
	f := c.layers[job.l]
	output := job.l == len(c.layers)-1
	w.moved, w.step = w.moved[:0], w.step[:0]
	for _, id := range w.need {
		at := int(t.row[id])*f.Out + job.o
		v := c.z[job.l][at] + float32(float64(delta)*float64(t.val[id]))
		if output {
			w.moved, w.step = append(w.moved, id), append(w.step, v)
			continue
		}
		if f.ReLU && v < 0 {
			v = 0
		}
		if da := v - c.a[job.l][at]; da != 0 {
			w.moved, w.step = append(w.moved, id), append(w.step, da)
		} else {
			d[id] = 0
		}
	}
	n := len(w.moved)
	if n == 0 {
		return
	}
	w.labels = w.labels[:0]
	for _, id := range w.moved {
		w.labels = append(w.labels, c.labels[t.row[id]])
	}
	classes := c.layers[len(c.layers)-1].Out
	w.logitsT, w.loss = grow(w.logitsT, classes*n), grow(w.loss, n)
	w.logits(c, p, t, job)
	kernels.CrossEntropyColumns(w.loss, w.logitsT, classes, n, n, w.labels)
	for k, id := range w.moved {
		d[id] = float64(w.loss[k]) - float64(c.rowLoss[t.row[id]])
	}
}

// logits fills w.logitsT with the moved rows' logits, one per column.
func (w *unitWorker) logits(c *mlpCache, p *Params, t *pairTable, job *unitJob) {
	last := len(c.layers) - 1
	n := len(w.moved)
	switch {
	case job.l == last: // the unit is a logit: replace it
		w.gatherLogits(c, t)
		copy(w.logitsT[job.o*n:(job.o+1)*n], w.step)
	case job.l == last-1: // a rank-one update of the logits, a class at a time
		w.gatherLogits(c, t)
		classes := c.layers[last].Out
		row := p.View(c.layers[last].w)[job.o*classes : (job.o+1)*classes]
		for k, wk := range row {
			kernels.Axpy(wk, w.step, w.logitsT[k*n:(k+1)*n])
		}
	default: // a rank-one update of the next pre-activation, then the rest
		next := c.layers[job.l+1]
		h := grow(w.hidden[0], n*next.Out)
		w.hidden[0] = h
		row := p.View(next.w)[job.o*next.Out : (job.o+1)*next.Out]
		for k, id := range w.moved {
			r := int(t.row[id])
			copy(h[k*next.Out:(k+1)*next.Out], c.z[job.l+1][r*next.Out:(r+1)*next.Out])
			kernels.Axpy(w.step[k], row, h[k*next.Out:(k+1)*next.Out])
		}
		w.finish(c, p, job.l+1, n)
	}
}

// gatherLogits copies the moved rows' logits at θ into w.logitsT.
func (w *unitWorker) gatherLogits(c *mlpCache, t *pairTable) {
	n := len(w.moved)
	for k := range c.layers[len(c.layers)-1].Out {
		base, dst := c.logitsT[k*c.rows:(k+1)*c.rows], w.logitsT[k*n:(k+1)*n]
		for j, id := range w.moved {
			dst[j] = base[t.row[id]]
		}
	}
}

// finish runs layers l+1 … on the n moved rows of layer l's pre-activation
// in w.hidden[0], the last GEMM transposed so that the logits come out
// class-major.
func (w *unitWorker) finish(c *mlpCache, p *Params, l, n int) {
	last := len(c.layers) - 1
	for ; l < last; l++ {
		f, next := c.layers[l], c.layers[l+1]
		h := w.hidden[0]
		if f.ReLU {
			kernels.ReLU(h, h)
		}
		wt := p.View(next.w)
		if l+1 == last {
			for k, b := range p.View(next.b) {
				fill(w.logitsT[k*n:(k+1)*n], b)
			}
			kernels.Gemm(true, true, next.Out, n, f.Out, 1, wt, next.Out, h, f.Out, 1, w.logitsT, n)
			return
		}
		out := grow(w.hidden[1], n*next.Out)
		next.gemm(1, h, n, wt, out)
		kernels.BiasAdd(out, n, next.Out, p.View(next.b))
		w.hidden[0], w.hidden[1] = out, h
	}
}

func fill(x []float32, v float32) {
	for i := range x {
		x[i] = v
	}
}
