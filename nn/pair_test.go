package nn

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/zofo/zofo/kernels"
)

// PairLosses equals evaluating after in-place perturbations, bit for bit,
// and leaves θ untouched: MyNet at s=0.5 and s=1 (fc1 in 4 K blocks),
// both distributions, central and forward coefficients, 1 and 2 threads.
func TestPairLossesEqualInPlace(t *testing.T) {
	const rows = 23
	for _, scale := range []float64{0.5, 1} {
		for _, d := range []kernels.Dist{kernels.Rademacher, kernels.Gaussian} {
			for _, a := range [][2]float32{{1e-3, -2e-3}, {0, 1e-3}} {
				for threads := 1; threads <= 2; threads++ {
					m, _ := NewMyNet(scale, 4)
					m.Threads = threads
					r := rand.New(rand.NewPCG(3, 4))
					x := make([]float32, rows*m.In)
					for i := range x {
						x[i] = float32(r.NormFloat64())
					}
					y := make([]int32, rows)
					for i := range y {
						y[i] = int32(r.IntN(10))
					}
					pr := Pair{Dist: d, Key: kernels.NewKey(9, 2), A1: a[0], A2: a[1]}
					theta := slices.Clone(m.Params().Data)
					la, lb, ok := m.PairLosses(x, y, rows, pr)
					if !ok || !slices.Equal(theta, m.Params().Data) {
						t.Fatalf("s=%g: ok %v, or θ changed", scale, ok)
					}
					if a[0] != 0 {
						kernels.Perturb(d, m.Params().Data, a[0], pr.Key, 0)
					}
					wa := m.Loss(x, y, rows)
					kernels.Perturb(d, m.Params().Data, a[1], pr.Key, 0)
					wb := m.Loss(x, y, rows)
					if la != wa || lb != wb {
						t.Errorf("s=%g %v a=%v threads=%d: pair (%v, %v), in place (%v, %v)", scale, d, a, threads, la, lb, wa, wb)
					}
				}
			}
		}
	}
}

// CNNs (dropout, convolutions) and wide MLPs keep the in-place path.
func TestPairLossesDecline(t *testing.T) {
	wide, _ := NewMyNet(2, 1)
	for _, m := range []*Sequential{NewMyNetPlus(1), wide} {
		if _, _, ok := m.PairLosses(make([]float32, 2*784), []int32{1, 2}, 2, Pair{A2: 1e-3}); ok {
			t.Errorf("PairLosses on %s (%d parameters) should decline", m.Name, len(m.Params().Data))
		}
	}
}
