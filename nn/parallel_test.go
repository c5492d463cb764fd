package nn

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Forward and backward give the same bits for every thread count: the
// GEMMs split deterministically and the per-example passes (im2col,
// col2im, pooling) split by examples.
func TestThreadsSameBits(t *testing.T) {
	const rows = 37 // odd, so the splits are uneven
	for _, build := range []func() *Sequential{
		func() *Sequential { return NewConvNet(3) },
		func() *Sequential { return NewMyNetPlus(3) },
		func() *Sequential { m, _ := NewMyNet(2, 3); return m },
	} {
		var wantLogits, wantGrad []float32
		for threads := 1; threads <= 3; threads++ {
			m := build()
			m.Threads = threads
			r := rand.New(rand.NewPCG(1, 2))
			x := make([]float32, rows*m.In)
			for i := range x {
				x[i] = float32(r.NormFloat64())
			}
			y := make([]int32, rows)
			for i := range y {
				y[i] = int32(r.IntN(10))
			}
			m.SetNoiseKey(5)
			logits := slices.Clone(m.Forward(x, rows, true))
			m.Backward(logits, y, rows)
			grad := slices.Clone(m.Params().Grad)
			if threads == 1 {
				wantLogits, wantGrad = logits, grad
				continue
			}
			if !slices.Equal(logits, wantLogits) || !slices.Equal(grad, wantGrad) {
				t.Errorf("%s with %d threads: logits or gradients differ from 1 thread", m.Name, threads)
			}
		}
	}
}
