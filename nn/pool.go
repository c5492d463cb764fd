package nn

import (
	"fmt"

	"github.com/zofo/zofo/kernels"
)

// MaxPool2 is 2×2 max-pooling with stride 2 on NHWC activations. The
// forward pass (all a ZO step runs) keeps only the maxima; backward finds
// the winners again from the saved input.
type MaxPool2 struct {
	C, H, W int
	model   *Sequential
	x       []float32 // the input of the last forward
	y, dx   []float32
}

// bind ties the layer to its model; odd sizes are refused there, as rows
// of windows would not line up with the input's rows.
func (m *MaxPool2) bind(s *Sequential, _ int) {
	if m.H%2 != 0 || m.W%2 != 0 {
		panic(fmt.Sprintf("nn: MaxPool2 on %d×%d inputs: 2×2 windows need even sizes", m.H, m.W))
	}
	m.model = s
}

func (m *MaxPool2) outSize() int { return (m.H / 2) * (m.W / 2) * m.C }

// forward takes each thread's examples as one block of output rows
// (kernels.MaxPool2Rows).
func (m *MaxPool2) forward(x []float32, rows int, _ bool) []float32 {
	m.x, m.y = x, grow(m.y, rows*m.outSize())
	in, out := m.H*m.W*m.C, m.outSize()
	forRows(m.model.Parallelism(), rows, in, func(r0, r1 int) {
		kernels.MaxPool2Rows(m.y[r0*out:r1*out], x[r0*in:r1*in], (r1-r0)*m.H/2, m.C)
	})
	return m.y
}

// backward routes each output's gradient to its window's first maximum,
// a whole output row at a time (kernels.MaxUnpool2Row); every input
// position is written, so dx needs no clearing.
func (m *MaxPool2) backward(dy []float32, rows int, needDX bool) []float32 {
	if !needDX {
		return nil
	}
	m.dx = grow(m.dx, rows*m.H*m.W*m.C)
	wc, ow := m.W*m.C, m.W/2*m.C
	forRows(m.model.Parallelism(), rows, m.H*wc, func(r0, r1 int) {
		for row := r0 * m.H / 2; row < r1*m.H/2; row++ {
			top, bottom, out := 2*row*wc, (2*row+1)*wc, row*ow
			kernels.MaxUnpool2Row(m.dx[top:top+wc], m.dx[bottom:bottom+wc], m.x[top:top+wc], m.x[bottom:bottom+wc],
				m.y[out:out+ow], dy[out:out+ow], m.C)
		}
	})
	return m.dx
}
