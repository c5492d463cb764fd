package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/zofo/zofo/kernels/rng"
)

// Slope is the backpropagated gradient's dot product with the direction
// (to float32 rounding), for whole-model and per-tensor directions, both
// distributions and a scaled direction, with the same bits and the same
// loss as Loss at 1 and 2 threads; a CNN and a direction that cuts a
// tensor are refused.
func TestSlopeIsGradientAlongTheDirection(t *testing.T) {
	for _, c := range []pointCase{{0.5, 16, rng.Rademacher, wholeModel}, {1.3, 37, rng.Gaussian, wholeModel},
		{1, 8, rng.Gaussian, tensorNamed("fc2.weight")}, {1, 8, rng.Rademacher, tensorNamed("fc3.bias")}} {
		m, x, y, d := c.setUp(t)
		d.Scale = 0.75
		name := fmt.Sprintf("scale %v %v [%d, %d)", c.scale, c.dist, d.Lo, d.Hi)
		want := m.Gradient(x, y, c.rows)
		z := make([]float32, d.Hi-d.Lo)
		rng.Fill(d.Dist, z, d.Key, 0)
		var dot, mag float64
		for i, zi := range z {
			g := float64(m.Params().Grad[d.Lo+i])
			dot += g * float64(zi) * float64(d.Scale)
			mag += math.Abs(g * float64(zi) * float64(d.Scale))
		}
		var first float32
		for threads := 1; threads <= 2; threads++ {
			m.Threads = threads
			loss, slope, ok := m.Slope(x, y, c.rows, d)
			if !ok || !sameLoss(loss, want) {
				t.Fatalf("%s, %d threads: loss %v (ok %v), Loss %v", name, threads, loss, ok, want)
			}
			if math.Abs(float64(slope)-dot) > 1e-4*mag+1e-7 {
				t.Errorf("%s: slope %v, gradient·z %v (|terms| %v)", name, slope, dot, mag)
			}
			if threads == 1 {
				first = slope
			} else if !sameLoss(slope, first) {
				t.Errorf("%s: slope %v at 2 threads, %v at 1", name, slope, first)
			}
		}
	}
	m, x, y, d := pointCase{1, 8, rng.Rademacher, wholeModel}.setUp(t)
	d.Lo++
	if _, _, ok := m.Slope(x, y, 8, d); ok {
		t.Error("a direction cutting fc1.weight was taken")
	}
	if _, _, ok := NewConvNet(1).Slope(x, y, 8, rng.Direction{Hi: 10, Scale: 1}); ok {
		t.Error("a ConvNet was taken")
	}
}
