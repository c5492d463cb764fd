package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// MaxPool2's backward gives each window's gradient to its first input equal
// to the maximum, in the order top left, top right, bottom left, bottom
// right (the last when none is, as with NaN), and zero to the others.
// Inputs on four levels make ties common.
func TestMaxPoolBackwardFirstMaximum(t *testing.T) {
	const c, h, w, rows = 3, 4, 6, 2
	r := rand.New(rand.NewPCG(3, 3))
	x := make([]float32, rows*h*w*c)
	for i := range x {
		x[i] = float32(r.IntN(4))
	}
	x[5], x[40] = float32(math.NaN()), float32(math.Inf(-1))
	pool := &MaxPool2{C: c, H: h, W: w}
	pool.bind(&Sequential{Threads: 1})
	y := append([]float32(nil), pool.forward(x, rows, false)...)
	dy := make([]float32, len(y))
	for i := range dy {
		dy[i] = float32(r.NormFloat64())
	}
	dx := pool.backward(dy, rows, true)
	for n := 0; n < rows; n++ {
		for oy := 0; oy < h/2; oy++ {
			for ox := 0; ox < w/2; ox++ {
				for ch := 0; ch < c; ch++ {
					out := ((n*h/2+oy)*w/2+ox)*c + ch
					at := [4]int{}
					for q := range at {
						at[q] = ((n*h+2*oy+q/2)*w+2*ox+q%2)*c + ch
					}
					win := 3
					for q := 2; q >= 0; q-- {
						if x[at[q]] == y[out] {
							win = q
						}
					}
					for q, i := range at {
						want := float32(0)
						if q == win {
							want = dy[out]
						}
						if math.Float32bits(dx[i]) != math.Float32bits(want) {
							t.Fatalf("output %d, window input %d: dx %v, want %v (window %v, max %v)",
								out, q, dx[i], want, [4]float32{x[at[0]], x[at[1]], x[at[2]], x[at[3]]}, y[out])
						}
					}
				}
			}
		}
	}
}
