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
	pool.bind(&Sequential{Threads: 1}, 0)
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

// MaxPool2's forward is each window's max as Go's builtin takes it (NaN
// wins, a tie of −0 and +0 pools to +0), on inputs with ties, zeros of
// both signs, infinities and a NaN.
func TestMaxPoolForwardIsWindowMax(t *testing.T) {
	for _, c := range []int{1, 3, 10, 20} {
		const h, w, rows = 6, 8, 3
		r := rand.New(rand.NewPCG(4, uint64(c)))
		specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), 1, -1}
		x := make([]float32, rows*h*w*c)
		for i := range x {
			x[i] = specials[r.IntN(len(specials))]
		}
		x[r.IntN(len(x))] = float32(math.NaN())
		pool := &MaxPool2{C: c, H: h, W: w}
		pool.bind(&Sequential{Threads: 2}, 0)
		y := pool.forward(x, rows, false)
		at := func(n, iy, ix, ch int) float32 { return x[((n*h+iy)*w+ix)*c+ch] }
		for n := 0; n < rows; n++ {
			for oy := 0; oy < h/2; oy++ {
				for ox := 0; ox < w/2; ox++ {
					for ch := 0; ch < c; ch++ {
						want := max(at(n, 2*oy, 2*ox, ch), at(n, 2*oy, 2*ox+1, ch), at(n, 2*oy+1, 2*ox, ch), at(n, 2*oy+1, 2*ox+1, ch))
						got := y[((n*h/2+oy)*w/2+ox)*c+ch]
						if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
							t.Fatalf("C=%d, example %d, window (%d, %d), channel %d: %v, want %v", c, n, oy, ox, ch, got, want)
						}
					}
				}
			}
		}
	}
}

// Odd sizes are refused when the layer joins its model.
func TestMaxPoolRejectsOddSizes(t *testing.T) {
	for _, hw := range [][2]int{{7, 8}, {8, 7}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%d×%d: no panic", hw[0], hw[1])
				}
			}()
			(&MaxPool2{C: 2, H: hw[0], W: hw[1]}).bind(&Sequential{}, 0)
		}()
	}
}
