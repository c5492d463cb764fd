package nn

import (
	"math"

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

func (m *MaxPool2) bind(s *Sequential) { m.model = s }

func (m *MaxPool2) outSize() int { return (m.H / 2) * (m.W / 2) * m.C }

// forward takes a whole output row at a time (ZO training runs only
// forwards, and pooling was a third of a MyNetPlus step when it went
// through windows one by one).
func (m *MaxPool2) forward(x []float32, rows int, _ bool) []float32 {
	m.x, m.y = x, grow(m.y, rows*m.outSize())
	wc, ow := m.W*m.C, m.W/2*m.C
	forRows(m.model.Parallelism(), rows, m.H*wc, func(r0, r1 int) {
		scratch := make([]float32, 2*wc)
		for row := r0 * m.H / 2; row < r1*m.H/2; row++ { // output rows, all examples
			top := x[2*row*wc : 2*row*wc+wc]
			bottom := x[(2*row+1)*wc : (2*row+1)*wc+wc]
			poolRow(m.y[row*ow:(row+1)*ow], top, bottom, scratch, m.C)
		}
	})
	return m.y
}

// poolRow writes each 2×2 window's maximum of two input rows of C-channel
// pixels: the rows' maxima first, in one vector pass (kernels.Max, Go's
// max: NaN wins, a tie of −0 and +0 gives +0), then the maximum of each
// window's two columns of them, as max is exact in any order. scratch is
// twice the rows' length.
func poolRow(out, top, bottom, scratch []float32, c int) {
	rows, pairs := scratch[:len(top)], scratch[len(top):2*len(top)-c]
	kernels.Max(rows, top, bottom)
	kernels.Max(pairs, rows[:len(pairs)], rows[c:]) // pairs[i] = max(rows[i], rows[i+c])
	for o := 0; o+c <= len(out); o += c {           // window o/c's maxima start at pairs[2o]
		copy(out[o:o+c], pairs[2*o:2*o+c])
	}
}

// backward routes each output's gradient to its window's first maximum,
// a whole output row at a time; every input position is written, so dx
// needs no clearing.
func (m *MaxPool2) backward(dy []float32, rows int, needDX bool) []float32 {
	if !needDX {
		return nil
	}
	m.dx = grow(m.dx, rows*m.H*m.W*m.C)
	wc, ow := m.W*m.C, m.W/2*m.C
	forRows(m.model.Parallelism(), rows, m.H*wc, func(r0, r1 int) {
		for row := r0 * m.H / 2; row < r1*m.H/2; row++ {
			top, bottom, out := 2*row*wc, (2*row+1)*wc, row*ow
			unpoolRow(m.dx[top:top+wc], m.dx[bottom:bottom+wc], m.x[top:top+wc], m.x[bottom:bottom+wc],
				m.y[out:out+ow], dy[out:out+ow], m.C)
		}
	})
	return m.dx
}

// unpoolRow writes each window's gradient, dy at the first input equal to
// its maximum y (top left, top right, bottom left, else bottom right, as
// for a NaN) and zero at the other three. The winner is chosen with bit
// masks: the switch it replaces mispredicted on most windows.
func unpoolRow(dxTop, dxBottom, top, bottom, y, dy []float32, c int) {
	for o := 0; o+c <= len(y); o += c {
		i := 2 * o
		ys, gs := y[o:o+c], dy[o:o+c]
		a, b, cc := top[i:i+c], top[i+c:i+2*c], bottom[i:i+c]
		da, db, dc, dd := dxTop[i:i+c], dxTop[i+c:i+2*c], dxBottom[i:i+c], dxBottom[i+c:i+2*c]
		for ch, v := range ys {
			g := math.Float32bits(gs[ch])
			ma := equalMask(v, a[ch])
			mb := equalMask(v, b[ch]) &^ ma
			mc := equalMask(v, cc[ch]) &^ (ma | mb)
			md := ^(ma | mb | mc)
			da[ch], db[ch] = math.Float32frombits(g&ma), math.Float32frombits(g&mb)
			dc[ch], dd[ch] = math.Float32frombits(g&mc), math.Float32frombits(g&md)
		}
	}
}

// equalMask is all ones if x == y, else zero.
func equalMask(x, y float32) uint32 {
	var m uint32
	if x == y {
		m = 1
	}
	return -m
}
