package nn

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
