package optim

import (
	"fmt"
	"slices"
	"testing"

	"github.com/zofo/zofo/nn"
)

// inPlaceOnly hides the model's capabilities (Prober, CoordinateDifferencer)
// behind the Model interface, so the estimator writes its perturbations
// into θ and every loss is a full forward: the generic path, which the
// model's own must reproduce.
type inPlaceOnly struct{ m *nn.Sequential }

func (o inPlaceOnly) Params() *nn.Params { return o.m.Params() }

func (o inPlaceOnly) Loss(x []float32, y []int32, rows int) float32 { return o.m.Loss(x, y, rows) }

func (o inPlaceOnly) Gradient(x []float32, y []int32, rows int) float32 {
	return o.m.Gradient(x, y, rows)
}

func (o inPlaceOnly) Parallelism() int { return o.m.Parallelism() }

// ZO steps on an MLP (perturbed weights made in tiles, θ only read, one
// pass to apply the step) give the losses and θ bits of the in-place
// path, for every estimator shape and update rule, at 1 and 2 threads
// (nn's TestLossesMatchInPlace checks which of its paths each takes).
func TestFusedStepsMatchInPlace(t *testing.T) {
	ests := []Estimator{
		{Dist: Rademacher, Central: true, Q: 1, Eps: 1e-3, Seed: 1},
		{Dist: Gaussian, Central: true, Q: 3, Eps: 1e-3, Seed: 2},
		{Dist: Sphere, Central: false, Q: 2, Eps: 1e-3, Seed: 3},
		{Dist: Rademacher, Central: true, Q: 2, PerTensor: true, Eps: 1e-3, Seed: 4},
		{Dist: Gaussian, Central: false, Q: 1, PerTensor: true, Eps: 1e-3, Seed: 5},
	}
	rules := []Rule{ZOSGD, ZOSGDSign, ZOSignSGD, ZOSGDCons}
	for i, est := range ests {
		rule := rules[i%len(rules)]
		for threads := 1; threads <= 2; threads++ {
			name := fmt.Sprintf("%v/central=%v/q=%d/pertensor=%v/%v/threads=%d", est.Dist, est.Central, est.Q, est.PerTensor, rule, threads)
			fused, b := mynetBatch(t, 0.5)
			ref, _ := mynetBatch(t, 0.5)
			fused.Threads, ref.Threads = threads, threads
			of, or := &ZO{Est: est, Rule: rule}, &ZO{Est: est, Rule: rule}
			for step := 0; step < 3; step++ {
				lf, ff := of.Step(fused, b, 1e-2)
				lr, fr := or.Step(inPlaceOnly{ref}, b, 1e-2)
				if lf != lr || ff != fr {
					t.Fatalf("%s step %d: loss %v (%d forwards), in place %v (%d)", name, step, lf, ff, lr, fr)
				}
			}
			if !slices.Equal(fused.Params().Data, ref.Params().Data) {
				t.Errorf("%s: θ differs from the in-place path after 3 steps", name)
			}
		}
	}
}
