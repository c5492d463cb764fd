package train

import (
	"os"
	"testing"

	"github.com/zofo/zofo/nn"
	"github.com/zofo/zofo/optim"
)

// Long training runs with accuracy targets, on the full MNIST: minutes,
// not seconds, so they run with ZOFO_LONG=1 (make test-long). Each logs its
// curve and asserts its target.

func long(t *testing.T) {
	if os.Getenv("ZOFO_LONG") == "" {
		t.Skip("long training run: set ZOFO_LONG=1 (make test-long)")
	}
}

// train runs m and returns the test accuracy per epoch, logging each.
func trainCurve(t *testing.T, m Model, cfg Config) []float64 {
	tr, te := data(t)
	cfg.Batch, cfg.EvalBatch = 64, 1000
	var acc []float64
	err := Run(m, Data{Train: tr, Test: te}, cfg, func(e Epoch) error {
		acc = append(acc, e.TestAcc)
		t.Logf("epoch %3d  train loss %.4f  test acc %.4f  %.2fs  %d forwards", e.Epoch, e.TrainLoss, e.TestAcc, e.Seconds, e.Forwards)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return acc
}

func best(acc []float64) float64 {
	b := 0.0
	for _, a := range acc {
		b = max(b, a)
	}
	return b
}

// FO-SGD (lr 1e-2, μ 0.9): ≥ 97.5% after 5 epochs, ≥ 98.2% after 30, with
// the learning rate divided by 10 at epoch 20.
func TestLongFOSGD(t *testing.T) {
	long(t)
	m, _ := nn.NewMyNet(1, 1)
	acc := trainCurve(t, m, Config{Epochs: 30, Seed: 1, First: &optim.SGD{Momentum: 0.9},
		Schedule: optim.Schedule{LR: 1e-2, Milestones: []int{20}, Gamma: 0.1}})
	if acc[4] < 0.975 || acc[29] < 0.982 {
		t.Errorf("test accuracy %.4f after 5 epochs (want ≥ 0.975), %.4f after 30 (want ≥ 0.982)", acc[4], acc[29])
	}
}

// FO-signSGD (lr 1e-4): ≥ 96.5% after 30 epochs.
func TestLongFOSignSGD(t *testing.T) {
	long(t)
	m, _ := nn.NewMyNet(1, 1)
	acc := trainCurve(t, m, Config{Epochs: 30, Seed: 1, First: &optim.SignSGD{Seed: 1}, Schedule: optim.Schedule{LR: 1e-4}})
	if acc[29] < 0.965 {
		t.Errorf("test accuracy %.4f after 30 epochs, want ≥ 0.965", acc[29])
	}
}

// ConvNet with FO-SGD (lr 1e-2, μ 0.9, ÷10 for the third epoch): ≥ 98.8%
// after 3 epochs (0.9894 when this was written; 0.9882 without the step).
func TestLongConvNet(t *testing.T) {
	long(t)
	acc := trainCurve(t, nn.NewConvNet(1), Config{Epochs: 3, Seed: 1, First: &optim.SGD{Momentum: 0.9},
		Schedule: optim.Schedule{LR: 1e-2, Milestones: []int{2}, Gamma: 0.1}})
	if acc[2] < 0.988 {
		t.Errorf("test accuracy %.4f after 3 epochs, want ≥ 0.988", acc[2])
	}
}

// MyNetPlus trains with each of the study's four optimizers: well above
// chance after 2 epochs (the study ran them 100 epochs at lr 2e-4 and saw
// its ZO runs stay near chance). Reached when this was written: FO-SGD
// 0.969, FO-signSGD 0.892, ZO-SGD (q 4) 0.552, ZO-signSGD 0.451.
func TestLongMyNetPlusFourOptimizers(t *testing.T) {
	long(t)
	zo := func(r optim.Rule, q int) optim.Optimizer {
		return &optim.ZO{Rule: r, Est: optim.Estimator{Dist: optim.Rademacher, Central: true, Q: q, Eps: 1e-3, Seed: 3}}
	}
	for _, c := range []struct {
		name string
		opt  optim.Optimizer
		lr   float32
		want float64
	}{
		{"fo-sgd", &optim.SGD{Momentum: 0.9}, 1e-2, 0.95},
		{"fo-signsgd", &optim.SignSGD{Seed: 1}, 1e-4, 0.85},
		{"zo-sgd", zo(optim.ZOSGD, 4), 3e-4, 0.45},
		{"zo-signsgd", zo(optim.ZOSignSGD, 1), 1e-3, 0.40},
	} {
		t.Run(c.name, func(t *testing.T) {
			acc := trainCurve(t, nn.NewMyNetPlus(1), Config{Epochs: 2, Seed: 2, First: c.opt, Schedule: optim.Schedule{LR: c.lr}})
			if best(acc) < c.want {
				t.Errorf("MyNetPlus with %s: best test accuracy %.4f, want ≥ %.2f", c.name, best(acc), c.want)
			}
		})
	}
}

// zofo's tuned ZO settings and the accuracy they reach
// (Rademacher directions, central differences, ε 1e-3, the learning rate
// × 0.3 at each milestone): best test accuracy within 10 and within 100
// epochs. The study reached 0.63–0.65 (ZO-SGD) and 0.60–0.63 (ZO-signSGD).
func TestLongZO(t *testing.T) {
	long(t)
	for _, c := range []struct {
		name         string
		rule         optim.Rule
		q            int
		lr           float32
		milestones   []int
		want10, want float64
	}{
		{"zo-sgd q=8", optim.ZOSGD, 8, 1e-3, []int{10, 40, 70}, 0.88, 0.92},
		{"zo-signsgd q=1", optim.ZOSignSGD, 1, 3e-4, []int{50, 80}, 0.70, 0.88},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, _ := nn.NewMyNet(1, 1)
			zo := &optim.ZO{Rule: c.rule, Est: optim.Estimator{Dist: optim.Rademacher, Central: true, Q: c.q, Eps: 1e-3, Seed: 3}}
			acc := trainCurve(t, m, Config{Epochs: 100, Seed: 2, First: zo,
				Schedule: optim.Schedule{LR: c.lr, Milestones: c.milestones, Gamma: 0.3}})
			if b10, b := best(acc[:10]), best(acc); b10 < c.want10 || b < c.want {
				t.Errorf("best test accuracy %.4f in 10 epochs (want ≥ %.2f), %.4f in 100 (want ≥ %.2f)", b10, c.want10, b, c.want)
			}
		})
	}
}
