package optim

import (
	"fmt"
	"slices"
	"testing"

	"github.com/zofo/zofo/nn"
)

// inPlaceOnly hides PairLosses, so the estimator takes the in-place path.
type inPlaceOnly struct{ m *nn.Sequential }

func (w inPlaceOnly) Params() *nn.Params { return w.m.Params() }
func (w inPlaceOnly) Loss(x []float32, y []int32, rows int) float32 {
	return w.m.Loss(x, y, rows)
}
func (w inPlaceOnly) Gradient(x []float32, y []int32, rows int) float32 {
	return w.m.Gradient(x, y, rows)
}

// The fused estimate (both forwards in one pass over the weights, one
// pass over θ per step) trains to the same bits as perturbing θ in place,
// for every rule that uses the estimate, central and forward, all three
// distributions.
func TestFusedEqualsInPlace(t *testing.T) {
	m, _ := mynetBatch(t, 0.5)
	if _, ok := Model(m).(pairModel); !ok {
		t.Fatal("MyNet does not offer PairLosses: the fused path would never run")
	}
	if _, ok := Model(inPlaceOnly{m}).(pairModel); ok {
		t.Fatal("inPlaceOnly offers PairLosses")
	}
	for _, rule := range []Rule{ZOSGD, ZOSignSGD, ZOSGDSign, ZOSGDMMT, ZOAdam, ZOSGDCons} {
		for _, dist := range []Dist{Rademacher, Gaussian, Sphere} {
			for _, central := range []bool{true, false} {
				est := Estimator{Dist: dist, Central: central, Q: 1, Eps: 1e-3, Seed: 5}
				var thetas [2][]float32
				var losses [2][]float32
				for i, fused := range []bool{true, false} {
					m, b := mynetBatch(t, 0.5)
					var model Model = m
					if !fused {
						model = inPlaceOnly{m}
					}
					o := &ZO{Rule: rule, Est: est, Momentum: 0.9}
					for step := 0; step < 4; step++ {
						l, _ := o.Step(model, b, 1e-2)
						losses[i] = append(losses[i], l)
					}
					thetas[i] = m.Params().Data
				}
				if !slices.Equal(thetas[0], thetas[1]) || !slices.Equal(losses[0], losses[1]) {
					t.Errorf("%v %v central=%v: fused and in-place differ (losses %v vs %v)", rule, dist, central, losses[0], losses[1])
				}
			}
		}
	}
}

// BenchmarkZOStep is one central-difference ZO-SGD step (q = 1, batch 64)
// on MyNet, fused against in place: at s=8 θ (5.3 MB) no longer fits in
// L2, and the in-place path's three passes over it show.
func BenchmarkZOStep(b *testing.B) {
	for _, scale := range []float64{1, 8} {
		for _, fused := range []bool{true, false} {
			name := fmt.Sprintf("scale=%g/impl=inplace", scale)
			if fused {
				name = fmt.Sprintf("scale=%g/impl=fused", scale)
			}
			b.Run(name, func(b *testing.B) {
				m, batch := mynetBatch(b, scale)
				var model Model = m
				if !fused {
					model = inPlaceOnly{m}
				}
				o := &ZO{Rule: ZOSGD, Est: Estimator{Dist: Rademacher, Central: true, Q: 1, Eps: 1e-3, Seed: 1}}
				for b.Loop() {
					o.Step(model, batch, 1e-5)
				}
			})
		}
	}
}
