package optim

import (
	"fmt"
	"math"
	"testing"

	"github.com/zofo/zofo/nn"
)

// ZO steps on the CNNs, whose losses rerun only the layers after the last
// change (nn.Sequential.Losses), give the losses, forward counts and θ bits of full
// forwards, for per-tensor and whole-model directions, both differences,
// q > 1 and the conservative rule's extra losses; MyNetPlus has dropout,
// whose masks the kept layers must not redraw.
func TestPrefixStepsMatchFullForwards(t *testing.T) {
	ests := []Estimator{
		{Dist: Rademacher, Central: false, Q: 1, PerTensor: true, Eps: 1e-3, Seed: 1},
		{Dist: Gaussian, Central: true, Q: 2, PerTensor: true, Eps: 1e-3, Seed: 2},
		{Dist: Rademacher, Central: true, Q: 1, Eps: 1e-3, Seed: 3},
		{Dist: Sphere, Central: false, Q: 3, PerTensor: true, Eps: 1e-3, Seed: 4},
	}
	rules := []Rule{ZOSGD, ZOSignSGD, ZOSGDSign, ZOSGDCons}
	models := map[string]func() *nn.Sequential{"convnet": func() *nn.Sequential { return nn.NewConvNet(1) },
		"mynetplus": func() *nn.Sequential { return nn.NewMyNetPlus(1) }}
	_, b := mynetBatch(t, 1)
	b.Rows = 16
	for name, build := range models {
		for i, est := range ests {
			rule := rules[i]
			label := fmt.Sprintf("%s/%v/central=%v/q=%d/pertensor=%v/%v", name, est.Dist, est.Central, est.Q, est.PerTensor, rule)
			kept, full := build(), build()
			ok, of := &ZO{Est: est, Rule: rule}, &ZO{Est: est, Rule: rule}
			for step := range 3 {
				kept.SetNoiseKey(uint64(step))
				full.SetNoiseKey(uint64(step))
				lk, fk := ok.Step(kept, b, 1e-2)
				lf, ff := of.Step(inPlaceOnly{full}, b, 1e-2)
				if math.Float32bits(lk) != math.Float32bits(lf) || fk != ff {
					t.Fatalf("%s step %d: loss %v (%d forwards), full forwards %v (%d)", label, step, lk, fk, lf, ff)
				}
			}
			for j, v := range kept.Params().Data {
				if math.Float32bits(v) != math.Float32bits(full.Params().Data[j]) {
					t.Fatalf("%s: θ[%d] = %v after 3 steps, full forwards %v", label, j, v, full.Params().Data[j])
				}
			}
		}
	}
}
