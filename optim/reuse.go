package optim

import (
	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/nn"
)

// Feature reuse on an MLP. Perturbing weight (i, o) of layer ℓ by ±ε moves
// one pre-activation, z_ℓ[r, o] += ±ε·a_{ℓ−1}[r, i], and only in rows whose
// input a_{ℓ−1}[r, i] is not zero (most MNIST pixels are zero). For those
// rows alone the change reaches layer ℓ+1 as a rank-one update,
// z_{ℓ+1} += Δa ⊗ W_{ℓ+1}[o, :] (a contiguous row of our [in, out] layout);
// the layers after that run on the gathered rows only. Rows untouched by
// the perturbation have the same loss on both sides and cancel.

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
	return nn.Loss(c.a[len(c.layers)-1], b.Y, b.Rows, last.Out)
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

// perturbed returns the summed loss, over the rows the perturbation of
// (l, in, out) by delta reaches, at the perturbed parameters, minus
// nothing: the caller differences two of these, so unaffected rows cancel.
func (c *mlpCache) perturbed(p *nn.Params, b Batch, l, in, out int, delta float32) float64 {
	f := c.layers[l]
	c.rows, c.unit = c.rows[:0], c.unit[:0]
	for r := 0; r < b.Rows; r++ {
		x := float32(1) // the bias's input
		if in >= 0 {
			x = c.input(l, r, in)
		}
		if x != 0 {
			c.rows = append(c.rows, r)
			c.unit = append(c.unit, c.z[l][r*f.Out+out]+delta*x)
		}
	}
	n := len(c.rows)
	if n == 0 {
		return 0
	}
	c.gatherLabels(b)
	last := len(c.layers) - 1
	if l == last { // the unit is a logit: replace it and score
		logits := c.gather(l, c.a[l], &c.ga)
		for k, v := range c.unit {
			logits[k*f.Out+out] = v
		}
		return rowLosses(logits, c.labels, n, f.Out)
	}
	// Δa of the unit, then the rank-one update of the next pre-activation.
	c.da = fit(c.da, n)
	for k, r := range c.rows {
		a := c.unit[k]
		if f.ReLU && a < 0 {
			a = 0
		}
		c.da[k] = a - c.a[l][r*f.Out+out]
	}
	next := c.layers[l+1]
	z := c.gather(l+1, c.z[l+1], &c.gz)
	wRow := p.View(next.WeightTensor())[out*next.Out : (out+1)*next.Out]
	for k, d := range c.da {
		if d != 0 {
			kernels.Axpy(d, wRow, z[k*next.Out:(k+1)*next.Out])
		}
	}
	return c.finish(p, l+1, z, n)
}

// finish runs the layers after l on the n gathered rows of pre-activation
// z and returns their summed loss.
func (c *mlpCache) finish(p *nn.Params, l int, z []float32, n int) float64 {
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
	return rowLosses(z, c.labels, n, c.layers[len(c.layers)-1].Out)
}

// input is a_{l−1}[r, in] (the batch input for the first layer).
func (c *mlpCache) input(l, r, in int) float32 {
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
