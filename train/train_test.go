package train

import (
	"errors"
	"math"
	"sync"
	"testing"

	"github.com/zofo/zofo/mnist"
	"github.com/zofo/zofo/nn"
	"github.com/zofo/zofo/optim"
)

var (
	dataOnce          sync.Once
	trainSet, testSet *mnist.Set
	dataErr           error
)

func data(t testing.TB) (*mnist.Set, *mnist.Set) {
	dataOnce.Do(func() {
		dir, canonical, err := mnist.Locate("")
		if err != nil {
			dataErr = err
			return
		}
		trainSet, testSet, dataErr = mnist.Load(dir, canonical)
	})
	if dataErr != nil {
		t.Fatal(dataErr)
	}
	return trainSet, testSet
}

func runMyNet(t testing.TB, cfg Config, limit int) []Epoch {
	tr, te := data(t)
	m, err := nn.NewMyNet(1, cfg.Seed)
	if err != nil {
		t.Fatal(err)
	}
	var eps []Epoch
	if err := Run(m, Data{Train: tr.Head(limit), Test: te}, cfg, func(e Epoch) error { eps = append(eps, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return eps
}

// The study's best FO-SGD (lr 1e-2, μ 0.9) on full MNIST: one epoch reaches
// at least 95% test accuracy.
func TestFOSGDOneEpoch(t *testing.T) {
	eps := runMyNet(t, Config{Epochs: 1, Batch: 64, EvalBatch: 1000, Seed: 1,
		Schedule: optim.Schedule{LR: 0.01}, First: &optim.SGD{Momentum: 0.9}}, 0)
	if e := eps[0]; e.TestAcc < 0.95 {
		t.Errorf("test accuracy after one epoch %.4f, want ≥ 0.95 (%+v)", e.TestAcc, e)
	}
}

// ZO-SGD learns from the current batches alone: well above chance (0.1)
// after one epoch (0.42 when this was written).
func TestZOSGDLearns(t *testing.T) {
	zo := &optim.ZO{Rule: optim.ZOSGD, Est: optim.Estimator{Dist: optim.Rademacher, Central: true, Q: 1, Eps: 1e-3, Seed: 3}}
	eps := runMyNet(t, Config{Epochs: 1, Batch: 64, EvalBatch: 1000, Seed: 2, Schedule: optim.Schedule{LR: 1e-3}, First: zo}, 0)
	if e := eps[0]; e.TestAcc < 0.3 || e.Forwards != 2*938 {
		t.Errorf("ZO-SGD epoch: %+v, want accuracy ≥ 0.3 and 2 forwards per step", e)
	}
}

// Same seed, same bits: 1 and 2 GEMM threads give identical weights after
// an epoch, for FO and for ZO.
func TestDeterministic(t *testing.T) {
	tr, te := data(t)
	run := func(threads int, opt optim.Optimizer) []float32 {
		m, _ := nn.NewMyNet(0.5, 5)
		m.Threads = threads
		cfg := Config{Epochs: 1, Batch: 64, EvalBatch: 1000, Seed: 5, Schedule: optim.Schedule{LR: 1e-3}, First: opt}
		if err := Run(m, Data{Train: tr.Head(3000), Test: te.Head(1000)}, cfg, func(Epoch) error { return nil }); err != nil {
			t.Fatal(err)
		}
		return m.Params().Data
	}
	zo := func() optim.Optimizer {
		return &optim.ZO{Rule: optim.ZOSGD, Est: optim.Estimator{Dist: optim.Gaussian, Central: true, Q: 2, Eps: 1e-3, Seed: 1}}
	}
	for name, mk := range map[string]func() optim.Optimizer{"fo-sgd": func() optim.Optimizer { return &optim.SGD{Momentum: 0.9} }, "zo-sgd": zo} {
		a, b := run(1, mk()), run(2, mk())
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("%s: weights differ at %d between 1 and 2 threads", name, i)
			}
		}
	}
}

// A hybrid run uses the first optimizer for round(split·epochs) epochs,
// then the second.
func TestHybridSwitch(t *testing.T) {
	tr, te := data(t)
	at, err := SwitchEpoch(4, 0.25)
	if err != nil || at != 1 {
		t.Fatalf("SwitchEpoch(4, 0.25) = %d, %v", at, err)
	}
	for _, bad := range []float64{0, 1, -0.5, 1.5} {
		if _, err := SwitchEpoch(4, bad); err == nil {
			t.Errorf("split %v accepted", bad)
		}
	}
	m, _ := nn.NewMyNet(0.25, 1)
	zo := &optim.ZO{Rule: optim.ZOSGD, Est: optim.Estimator{Dist: optim.Rademacher, Central: true, Q: 1, Eps: 1e-3, Seed: 1}}
	var used []bool
	var forwards []int64
	cfg := Config{Epochs: 4, Batch: 64, EvalBatch: 1000, Seed: 1, Schedule: optim.Schedule{LR: 1e-3}, First: zo, Second: &optim.SGD{}, SwitchAt: at}
	if err := Run(m, Data{Train: tr.Head(640), Test: te.Head(1000)}, cfg, func(e Epoch) error {
		used, forwards = append(used, e.UsedSecondOptimizer), append(forwards, e.Forwards)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if used[0] || !used[1] || !used[3] || forwards[0] != 20 || forwards[1] != 10 {
		t.Errorf("second optimizer used %v, forwards %v; want ZO (2 per step) for epoch 1, FO after", used, forwards)
	}
}

func TestDivergedIsReported(t *testing.T) {
	tr, te := data(t)
	m, _ := nn.NewMyNet(0.25, 1)
	cfg := Config{Epochs: 1, Batch: 64, EvalBatch: 1000, Seed: 1, Schedule: optim.Schedule{LR: 1e6}, First: &optim.SGD{Momentum: 0.9}}
	err := Run(m, Data{Train: tr.Head(2000), Test: te.Head(1000)}, cfg, func(Epoch) error { return nil })
	if !errors.Is(err, ErrDiverged) {
		t.Errorf("lr 1e6: error %v, want ErrDiverged", err)
	}
}

// Evaluating in parts gives the bits of one forward per batch: every
// model's loss and accuracy, at a batch size that splits into whole parts
// and a ragged one.
func TestEvaluateInPartsSameBits(t *testing.T) {
	_, te := data(t)
	set := te.Head(700)
	mynet, _ := nn.NewMyNet(0.5, 1)
	for _, m := range []*nn.Sequential{mynet, nn.NewConvNet(1), nn.NewMyNetPlus(1)} {
		for _, size := range []int{300, 1000} {
			loss, acc := Evaluate(m, set, size)
			b := mnist.NewBatcher(set, size, 0, false)
			var wantLoss float64
			correct := 0
			for i := 0; i < b.Len(); i++ {
				x, y := b.Batch(i)
				logits := m.Forward(x, len(y), false)
				wantLoss += float64(nn.Loss(logits, y, len(y), m.Classes())) * float64(len(y))
				correct += nn.Correct(logits, y, len(y), m.Classes())
			}
			wantLoss /= float64(set.Len())
			if math.Float64bits(loss) != math.Float64bits(wantLoss) || acc != float64(correct)/float64(set.Len()) {
				t.Errorf("%s, batches of %d: loss %v, acc %v; one forward per batch: %v, %v", m.Name, size, loss, acc, wantLoss, float64(correct)/float64(set.Len()))
			}
		}
	}
}
