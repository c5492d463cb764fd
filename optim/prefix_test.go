package optim

import (
	"fmt"
	"math"
	"testing"

	"github.com/zofo/zofo/nn"
)

// ZO steps on the CNNs, whose losses rerun only the layers after the last
// change (nn.LossFrom), give the losses, forward counts and θ bits of full
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
			if est.PerTensor && kept.ProductsReused() == 0 {
				t.Errorf("%s: no loss took a kept product", label)
			}
		}
	}
}

// LossFrom refuses kept outputs that are not of this batch's training
// forward.
func TestLossFromChecksTheLastForward(t *testing.T) {
	m := nn.NewConvNet(1)
	_, b := mynetBatch(t, 1)
	m.Loss(b.X, b.Y, 8)
	for name, f := range map[string]func(){
		"other rows":   func() { m.LossFrom(nn.Keep{Layers: 1}, b.X, b.Y, 4) },
		"other batch":  func() { m.LossFrom(nn.Keep{Layers: 1}, b.X[784:], b.Y, 8) },
		"other noise":  func() { m.SetNoiseKey(9); m.LossFrom(nn.Keep{Layers: 1}, b.X, b.Y, 8) },
		"eval forward": func() { m.SetNoiseKey(0); m.Forward(b.X, 8, false); m.LossFrom(nn.Keep{Layers: 1}, b.X, b.Y, 8) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
		m.SetNoiseKey(0)
		m.Loss(b.X, b.Y, 8)
	}
}

// LossAt, PairLosses and LossesAt refuse to keep layers that a moved point
// changes, or that the last evaluation computed at a moved point.
func TestKeepChecksThePoint(t *testing.T) {
	m, b := mynetBatch(t, 0.25)
	p := m.Params()
	fc2 := p.Tensors[m.Linears()[1].WeightTensor()]
	d := nn.Along{Lo: fc2.Off, Hi: fc2.Off + fc2.Len} // layer 1
	m.Loss(b.X, b.Y, b.Rows)
	m.LossAt(b.X, b.Y, b.Rows, nn.Keep{Layers: 1}, nn.Point{Along: d, A: []float32{1e-3}}) // fine: layer 0 is kept
	if m.Kept() != 1 {
		t.Fatalf("Kept() = %d after a point moving layer 1, want 1", m.Kept())
	}
	for name, f := range map[string]func(){
		"keep the moved layer":    func() { m.LossAt(b.X, b.Y, b.Rows, nn.Keep{Layers: 2}, nn.Point{Along: d, A: []float32{1e-3}}) },
		"keep a perturbed output": func() { m.LossAt(b.X, b.Y, b.Rows, nn.Keep{Layers: 2}, nn.Point{Along: d}) },
		"pair keeps too many":     func() { m.PairLosses(b.X, b.Y, b.Rows, nn.Keep{Layers: 2}, d, 1e-3, -2e-3) },
		"losses keep too many": func() {
			m.LossesAt(b.X, b.Y, b.Rows, nn.Keep{Layers: 2}, nn.Point{Along: d}, nn.Point{Along: d, A: []float32{1}})
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
