package optim

import (
	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/nn"
)

// Feature reuse on an MLP. Perturbing weight (i, o) of layer ℓ by ±ε moves
// one pre-activation, z_ℓ[r, o] += ±ε·a_{ℓ−1}[r, i]. Its activation moves
// only in rows whose input a_{ℓ−1}[r, i] is not zero (a hidden unit's
// input after a ReLU often is) and whose unit the ReLU does not hold at 0
// on that side. For those rows alone the change reaches layer ℓ+1 as a
// rank-one update, z_{ℓ+1} += Δa ⊗ W_{ℓ+1}[o, :] (a contiguous row of our
// [in, out] layout); the layers after that run on the gathered rows only.
// Each side sums its rows' loss changes against the cached unperturbed
// per-row losses, so untouched rows add exactly nothing.

// mlpCache holds a forward pass at θ: inputs, pre-activations and
// activations of every layer, and scratch for the perturbed rows.
type mlpCache struct {
	layers   []*nn.Linear
	z, a     [][]float32 // per layer, rows × Out (a is z after the activation)
	x        []float32
	rows     []int
	gz, ga   [][]float32 // gathered perturbed rows per layer
	labels   []int32
	unit, da []float32
	rowLoss  []float64 // per-row loss at θ
	// background is the batch's majority input value (MNIST's blank
	// pixels, −μ/σ after normalization), if one exists; bgCache holds,
	// per first-layer unit and side, each row's loss change for it.
	background    float32
	hasBackground bool
	bgCache       []float64
	bgValid       []bool
}

// forward fills the cache for batch b.
func (c *mlpCache) forward(p *nn.Params, b Batch) float32 {
	c.x = b.X
	in := b.X
	for l, f := range c.layers {
		n := b.Rows * f.Out
		c.z[l], c.a[l] = fit(c.z[l], n), fit(c.a[l], n)
		kernels.Gemm(false, false, b.Rows, f.Out, f.In, 1, in, f.In, p.View(f.WeightTensor()), f.Out, 0, c.z[l], f.Out)
		kernels.BiasAdd(c.z[l], b.Rows, f.Out, p.View(f.BiasTensor()))
		activate(c.a[l], c.z[l], f.ReLU)
		in = c.a[l]
	}
	last := c.layers[len(c.layers)-1]
	logits := c.a[len(c.layers)-1]
	c.rowLoss = c.rowLoss[:0]
	for r := 0; r < b.Rows; r++ {
		c.rowLoss = append(c.rowLoss, float64(nn.Loss(logits[r*last.Out:(r+1)*last.Out], b.Y[r:r+1], 1, last.Out)))
	}
	c.background, c.hasBackground = majority(b.X)
	units := 2 * c.layers[0].Out
	c.bgValid = append(c.bgValid[:0], make([]bool, units)...)
	if cap(c.bgCache) < units*b.Rows {
		c.bgCache = make([]float64, units*b.Rows)
	}
	c.bgCache = c.bgCache[:units*b.Rows]
	return nn.Loss(logits, b.Y, b.Rows, last.Out)
}

// majority returns the value more than half of xs hold, if one does
// (Boyer–Moore vote, then a count).
func majority(xs []float32) (float32, bool) {
	var cand float32
	votes := 0
	for _, x := range xs {
		switch {
		case votes == 0:
			cand, votes = x, 1
		case x == cand:
			votes++
		default:
			votes--
		}
	}
	n := 0
	for _, x := range xs {
		if x == cand {
			n++
		}
	}
	return cand, cand != 0 && 2*n > len(xs)
}

func activate(dst, z []float32, relu bool) {
	if relu {
		kernels.ReLU(dst, z)
	} else {
		copy(dst, z)
	}
}

func fit(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// reuse estimates every chosen coordinate from the cache.
func (o *Coord) reuse(m *nn.Sequential, b Batch) (float32, int) {
	if o.cache == nil {
		ls := m.Linears()
		o.cache = &mlpCache{layers: ls, z: make([][]float32, len(ls)), a: make([][]float32, len(ls)),
			gz: make([][]float32, len(ls)), ga: make([][]float32, len(ls))}
	}
	c, p := o.cache, m.Params()
	base := c.forward(p, b)
	for _, i := range o.idx {
		l, in, out := c.locate(p, i)
		lp := c.perturbed(p, b, l, in, out, o.Eps)
		lm := c.perturbed(p, b, l, in, out, -o.Eps)
		o.g = append(o.g, float32((lp-lm)/(2*float64(o.Eps)*float64(b.Rows))))
	}
	return base, 1
}

// locate maps parameter index i to (layer, input index, output unit);
// input −1 is the bias.
func (c *mlpCache) locate(p *nn.Params, i int) (l, in, out int) {
	for l, f := range c.layers {
		if t := p.Tensors[f.WeightTensor()]; i >= t.Off && i < t.Off+t.Len {
			return l, (i - t.Off) / f.Out, (i - t.Off) % f.Out
		}
		if t := p.Tensors[f.BiasTensor()]; i >= t.Off && i < t.Off+t.Len {
			return l, -1, i - t.Off
		}
	}
	panic("optim: coordinate outside the MLP")
}

// perturbed returns the change of the summed loss when weight (in, out)
// of layer l (in −1: the bias) moves by delta.
func (c *mlpCache) perturbed(p *nn.Params, b Batch, l, in, out int, delta float32) float64 {
	if l > 0 || in < 0 || !c.hasBackground {
		c.moved(l, out, delta, b.Rows, func(r int) float32 { return c.input(l, r, in) })
		return c.changes(p, b, l, out, nil)
	}
	// A first-layer weight: rows whose pixel is background change as they
	// do for every background pixel's weight of this unit, cached.
	cached := c.backgroundChanges(p, b, out, delta)
	var sum float64
	c.moved(0, out, delta, b.Rows, func(r int) float32 {
		x := c.x[r*c.layers[0].In+in]
		if x == c.background {
			sum += cached[r]
			return 0
		}
		return x
	})
	return sum + c.changes(p, b, 0, out, nil)
}

// backgroundChanges is each row's loss change when first-layer unit out
// moves by delta·background, computed once per unit, side and batch.
func (c *mlpCache) backgroundChanges(p *nn.Params, b Batch, out int, delta float32) []float64 {
	key := 2 * out
	if delta < 0 {
		key++
	}
	rows := c.bgCache[key*b.Rows : (key+1)*b.Rows]
	if !c.bgValid[key] {
		clear(rows)
		c.moved(0, out, delta, b.Rows, func(int) float32 { return c.background })
		c.changes(p, b, 0, out, rows)
		c.bgValid[key] = true
	}
	return rows
}

// moved lists in c.rows the rows whose output of unit (l, out) changes
// when its pre-activation moves by delta·input(r) (an input of 0 skips the
// row), with the new pre-activation in c.unit and, below the last layer,
// the activation's change in c.da.
func (c *mlpCache) moved(l, out int, delta float32, rows int, input func(r int) float32) {
	f := c.layers[l]
	hidden := l < len(c.layers)-1
	c.rows, c.unit, c.da = c.rows[:0], c.unit[:0], c.da[:0]
	for r := 0; r < rows; r++ {
		x := input(r)
		if x == 0 {
			continue
		}
		v := c.z[l][r*f.Out+out] + delta*x
		if !hidden {
			c.rows, c.unit = append(c.rows, r), append(c.unit, v)
			continue
		}
		a := v
		if f.ReLU && a < 0 {
			a = 0
		}
		if d := a - c.a[l][r*f.Out+out]; d != 0 {
			c.rows, c.unit, c.da = append(c.rows, r), append(c.unit, v), append(c.da, d)
		}
	}
}

// changes scores the rows moved lists: it returns the sum of their loss
// changes and, if perRow is set, writes each row's change there.
func (c *mlpCache) changes(p *nn.Params, b Batch, l, out int, perRow []float64) float64 {
	n := len(c.rows)
	if n == 0 {
		return 0
	}
	c.gatherLabels(b)
	f := c.layers[l]
	var logits []float32
	if l == len(c.layers)-1 { // the unit is a logit: replace it
		logits = c.gather(l, c.a[l], &c.ga)
		for k, v := range c.unit {
			logits[k*f.Out+out] = v
		}
	} else { // the rank-one update of the next pre-activation by Δa
		next := c.layers[l+1]
		z := c.gather(l+1, c.z[l+1], &c.gz)
		wRow := p.View(next.WeightTensor())[out*next.Out : (out+1)*next.Out]
		for k, d := range c.da {
			kernels.Axpy(d, wRow, z[k*next.Out:(k+1)*next.Out])
		}
		logits = c.finish(p, l+1, z, n)
	}
	classes := c.layers[len(c.layers)-1].Out
	var sum float64
	for k, r := range c.rows {
		d := float64(nn.Loss(logits[k*classes:(k+1)*classes], c.labels[k:k+1], 1, classes)) - c.rowLoss[r]
		sum += d
		if perRow != nil {
			perRow[r] = d
		}
	}
	return sum
}

// finish runs the layers after l on the n gathered rows of pre-activation
// z and returns their logits.
func (c *mlpCache) finish(p *nn.Params, l int, z []float32, n int) []float32 {
	for ; l < len(c.layers)-1; l++ {
		f, next := c.layers[l], c.layers[l+1]
		a := fit(c.ga[l], n*f.Out)
		c.ga[l] = a
		activate(a, z, f.ReLU)
		zn := fit(c.gz[l+1], n*next.Out)
		c.gz[l+1] = zn
		kernels.Gemm(false, false, n, next.Out, next.In, 1, a, next.In, p.View(next.WeightTensor()), next.Out, 0, zn, next.Out)
		kernels.BiasAdd(zn, n, next.Out, p.View(next.BiasTensor()))
		z = zn
	}
	return z
}

// input is a_{l−1}[r, in] (the batch input for the first layer), or 1
// for the bias (in −1).
func (c *mlpCache) input(l, r, in int) float32 {
	if in < 0 {
		return 1
	}
	if l == 0 {
		return c.x[r*c.layers[0].In+in]
	}
	return c.a[l-1][r*c.layers[l-1].Out+in]
}

// gather copies the perturbed rows of src (layer l's width) into *buf.
func (c *mlpCache) gather(l int, src []float32, buf *[][]float32) []float32 {
	w := c.layers[l].Out
	dst := fit((*buf)[l], len(c.rows)*w)
	(*buf)[l] = dst
	for k, r := range c.rows {
		copy(dst[k*w:(k+1)*w], src[r*w:(r+1)*w])
	}
	return dst
}

func (c *mlpCache) gatherLabels(b Batch) {
	c.labels = c.labels[:0]
	for _, r := range c.rows {
		c.labels = append(c.labels, b.Y[r])
	}
}
