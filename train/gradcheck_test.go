package train

import (
	"reflect"
	"slices"
	"testing"

	"github.com/zofo/zofo/nn"
	"github.com/zofo/zofo/optim"
)

// zoRun trains a model on 640 examples for 2 epochs with ZO-SGD and
// returns the epochs and the final parameters.
func zoRun(t *testing.T, m *nn.Sequential, est optim.Estimator, check int) ([]Epoch, []float32) {
	tr, te := data(t)
	est.Seed, est.Eps = 3, 1e-3
	cfg := Config{Epochs: 2, Batch: 64, EvalBatch: 1000, Seed: 3, Schedule: optim.Schedule{LR: 1e-4}, GradCheck: check,
		First: &optim.ZO{Rule: optim.ZOSGD, Est: est}}
	var eps []Epoch
	if err := Run(m, Data{Train: tr.Head(640), Val: te.Head(300), Test: te.Head(500)}, cfg,
		func(e Epoch) error { eps = append(eps, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return eps, m.Params().Data
}

func myNet(t *testing.T) *nn.Sequential {
	m, err := nn.NewMyNet(1, 3)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wholeModel is one Rademacher direction over the whole model, central.
var wholeModel = optim.Estimator{Dist: optim.Rademacher, Central: true, Q: 1}

// The check is not used by the step: a run with a check at every step
// has the bits of a run without one, for every way an estimate is made
// (one direction, several evaluated together, per tensor with a forward
// difference, on an MLP and a CNN).
func TestGradCheckLeavesTheRunAlone(t *testing.T) {
	perTensor := optim.Estimator{Dist: optim.Rademacher, Q: 1, PerTensor: true}
	cases := []struct {
		name  string
		model func(*testing.T) *nn.Sequential
		est   optim.Estimator
	}{
		{"mynet-q1", myNet, wholeModel},
		{"mynet-q8", myNet, optim.Estimator{Dist: optim.Rademacher, Central: true, Q: 8}},
		{"mynet-per-tensor", myNet, perTensor},
		{"mynetplus-per-tensor", func(*testing.T) *nn.Sequential { return nn.NewMyNetPlus(3) }, perTensor},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plain, thetaPlain := zoRun(t, c.model(t), c.est, 0)
			checked, thetaChecked := zoRun(t, c.model(t), c.est, 1)
			if !slices.Equal(thetaPlain, thetaChecked) {
				t.Fatal("the checked run's parameters differ")
			}
			for i := range plain {
				p, c := plain[i], checked[i]
				if len(p.GradChecks) != 0 || len(c.GradChecks) != 10 {
					t.Fatalf("epoch %d: %d and %d checks, want 0 and 10", i+1, len(p.GradChecks), len(c.GradChecks))
				}
				p.Seconds, c.Seconds, c.GradChecks = 0, 0, nil
				if !reflect.DeepEqual(p, c) {
					t.Fatalf("epoch %d: %+v with checks, %+v without", i+1, c, p)
				}
			}
		})
	}
}

// One direction z over the whole model makes ĝ = (z·g)z, up to the finite
// difference's error: ĝ·g = (z·g)² ≥ 0, and cos = |z·g|/(|z||g|) is about
// √(2/πd), a few thousandths for MyNet's d parameters. |ĝ| = |cos|·d·|g|
// is far above |g|, so the relative error is above 1.
func TestGradCheckMeasuresTheEstimate(t *testing.T) {
	eps, _ := zoRun(t, myNet(t), wholeModel, 4)
	n := 0
	for _, e := range eps {
		for _, c := range e.GradChecks {
			n++
			if !(c.Cosine > 0 && c.Cosine < 0.05) {
				t.Errorf("step %d: cosine %v, want in (0, 0.05)", c.Step, c.Cosine)
			}
			if !(c.RelErr > 1) {
				t.Errorf("step %d: relative error %v, want > 1", c.Step, c.RelErr)
			}
			if c.Forwards != 2 || c.Step%4 != 0 {
				t.Errorf("check %+v: want 2 forwards, a step that is a multiple of 4", c)
			}
		}
	}
	if n != 5 {
		t.Fatalf("%d checks in 20 steps every 4, want 5", n)
	}
}
