package nn

import "github.com/zofo/zofo/kernels"

// MaxPool2 is 2×2 max-pooling with stride 2 on NHWC activations.
type MaxPool2 struct {
	C, H, W int
	arg     []int32 // input index of each output's maximum
	y, dx   []float32
}

func (m *MaxPool2) outSize() int { return (m.H / 2) * (m.W / 2) * m.C }

func (m *MaxPool2) forward(x []float32, rows int, _ bool) []float32 {
	ho, wo, c := m.H/2, m.W/2, m.C
	n := rows * ho * wo * c
	m.y, m.arg = grow(m.y, n), growInt(m.arg, n)
	offsets := [3]int{c, m.W * c, (m.W + 1) * c} // right, below, below right
	out := 0
	for b := 0; b < rows; b++ {
		for oy := 0; oy < ho; oy++ {
			for ox := 0; ox < wo; ox++ {
				tl := ((b*m.H+2*oy)*m.W + 2*ox) * c // the window's top left
				for ch := tl; ch < tl+c; ch++ {
					best := ch
					for _, d := range offsets {
						if v := x[ch+d]; v > x[best] || v != v { // NaN wins: divergence shows
							best = ch + d
						}
					}
					m.arg[out], m.y[out] = int32(best), x[best]
					out++
				}
			}
		}
	}
	return m.y
}

func (m *MaxPool2) backward(dy []float32, rows int, needDX bool) []float32 {
	if !needDX {
		return nil
	}
	m.dx = grow(m.dx, rows*m.H*m.W*m.C)
	clear(m.dx)
	for i, j := range m.arg[:len(dy)] {
		m.dx[j] += dy[i]
	}
	return m.dx
}

func growInt(buf []int32, n int) []int32 {
	if cap(buf) < n {
		return make([]int32, n)
	}
	return buf[:n]
}

// Dropout zeroes each value (or, per channel, each example's whole
// channel: Dropout2d) with probability ½ in training, scaling the kept
// ones by 2. The mask is 1 + z for a Rademacher direction keyed by the
// model's seed, this layer and the training step, so every loss evaluated
// in one step (a ZO step makes several) sees the same mask.
type Dropout struct {
	Size       int
	PerChannel bool
	C          int // channels, with PerChannel (NHWC: the fastest index)
	id         uint64
	model      *Sequential
	mask       []float32
	y, dx      []float32
}

func (d *Dropout) bind(m *Sequential) { d.model = m }

func (d *Dropout) outSize() int { return d.Size }

func (d *Dropout) forward(x []float32, rows int, train bool) []float32 {
	d.mask = d.mask[:0]
	if !train {
		return x
	}
	n := rows * d.Size
	d.mask, d.y = grow(d.mask, n), grow(d.y, n)
	key := kernels.NewKey(d.model.seed^d.id*0x9e3779b97f4a7c15, d.model.noise)
	if !d.PerChannel {
		kernels.Fill(kernels.Rademacher, d.mask, key, 0)
	} else {
		ch := d.mask[:rows*d.C]
		kernels.Fill(kernels.Rademacher, ch, key, 0)
		for i := n - 1; i >= 0; i-- { // spread example-channel draws over pixels
			d.mask[i] = ch[(i/d.Size)*d.C+i%d.C]
		}
	}
	for i, v := range x[:n] {
		d.mask[i]++
		d.y[i] = v * d.mask[i]
	}
	return d.y
}

func (d *Dropout) backward(dy []float32, rows int, needDX bool) []float32 {
	if !needDX || len(d.mask) == 0 {
		return dy
	}
	d.dx = grow(d.dx, len(d.mask))
	for i, m := range d.mask {
		d.dx[i] = dy[i] * m
	}
	return d.dx
}
