package nn

import "github.com/zofo/zofo/kernels"

// MaxPool2 is 2×2 max-pooling with stride 2 on NHWC activations. The
// forward pass (all a ZO step runs) keeps only the maxima; backward finds
// the winners again from the saved input.
type MaxPool2 struct {
	C, H, W int
	x       []float32 // the input of the last forward
	y, dx   []float32
}

func (m *MaxPool2) outSize() int { return (m.H / 2) * (m.W / 2) * m.C }

// windows calls f for each output pixel with the four input rows of C
// channels (top left, top right, bottom left, bottom right) and its output
// row.
func (m *MaxPool2) windows(x, y []float32, rows int, f func(a, b, c, d, out []float32, base int)) {
	c, wc := m.C, m.W*m.C
	out := 0
	for n := 0; n < rows; n++ {
		for oy := 0; oy < m.H/2; oy++ {
			for ox := 0; ox < m.W/2; ox++ {
				tl := ((n*m.H+2*oy)*m.W + 2*ox) * c
				f(x[tl:tl+c], x[tl+c:tl+2*c], x[tl+wc:tl+wc+c], x[tl+wc+c:tl+wc+2*c], y[out:out+c], tl)
				out += c
			}
		}
	}
}

func (m *MaxPool2) forward(x []float32, rows int, _ bool) []float32 {
	m.x, m.y = x, grow(m.y, rows*m.outSize())
	m.windows(x, m.y, rows, func(a, b, c, d, out []float32, _ int) {
		for ch, v := range a {
			out[ch] = max4(v, b[ch], c[ch], d[ch])
		}
	})
	return m.y
}

// max4 is the largest of four values; NaN wins, so divergence shows.
func max4(a, b, c, d float32) float32 {
	for _, v := range [3]float32{b, c, d} {
		if v > a || v != v {
			a = v
		}
	}
	return a
}

// backward routes each output's gradient to its window's first maximum;
// every input position is written, so dx needs no clearing.
func (m *MaxPool2) backward(dy []float32, rows int, needDX bool) []float32 {
	if !needDX {
		return nil
	}
	m.dx = grow(m.dx, rows*m.H*m.W*m.C)
	wc := m.W * m.C
	out := 0
	m.windows(m.x, m.y, rows, func(a, b, c, d, y []float32, tl int) {
		for ch := range a {
			g := dy[out+ch]
			m.dx[tl+ch], m.dx[tl+m.C+ch], m.dx[tl+wc+ch], m.dx[tl+wc+m.C+ch] = 0, 0, 0, 0
			switch y[ch] {
			case a[ch]:
				m.dx[tl+ch] = g
			case b[ch]:
				m.dx[tl+m.C+ch] = g
			case c[ch]:
				m.dx[tl+wc+ch] = g
			default:
				m.dx[tl+wc+m.C+ch] = g
			}
		}
		out += len(a)
	})
	return m.dx
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
		d.spread(rows, key)
	}
	for i, v := range x[:n] {
		m := d.mask[i] + 1 // ±1 → 0 or 2
		d.mask[i], d.y[i] = m, v*m
	}
	return d.y
}

// spread draws one value per (example, channel) and repeats it over the
// example's pixels, in place from the last example down: example n's draws
// sit at or before its own slot, in slots not yet written.
func (d *Dropout) spread(rows int, key kernels.Key) {
	kernels.Fill(kernels.Rademacher, d.mask[:rows*d.C], key, 0)
	draws := make([]float32, d.C)
	for n := rows - 1; n >= 0; n-- {
		copy(draws, d.mask[n*d.C:(n+1)*d.C])
		ex := d.mask[n*d.Size : (n+1)*d.Size]
		for p := 0; p < len(ex); p += d.C {
			copy(ex[p:p+d.C], draws)
		}
	}
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
