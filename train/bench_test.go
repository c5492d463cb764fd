package train

import (
	"fmt"
	"testing"

	"github.com/zofo/zofo/mnist"
	"github.com/zofo/zofo/nn"
	"github.com/zofo/zofo/optim"
)

// BenchmarkEpoch times one training epoch (evaluation excluded) of MyNet
// s=1 on full MNIST, FO-SGD against central-difference ZO-SGD with q=1
// and the study's estimator (forward difference, a direction per tensor),
// at 1 and 2 threads: go test -run '^$' -bench Epoch -cpuprofile cpu.out ./train
func BenchmarkEpoch(b *testing.B) {
	tr, _ := data(b)
	opts := map[string]func() optim.Optimizer{
		"fo-sgd": func() optim.Optimizer { return &optim.SGD{Momentum: 0.9} },
		"zo-sgd": func() optim.Optimizer {
			return &optim.ZO{Rule: optim.ZOSGD, Est: optim.Estimator{Dist: optim.Rademacher, Central: true, Q: 1, Eps: 1e-3, Seed: 1}}
		},
		"zo-sgd-q8": func() optim.Optimizer {
			return &optim.ZO{Rule: optim.ZOSGD, Est: optim.Estimator{Dist: optim.Rademacher, Central: true, Q: 8, Eps: 1e-3, Seed: 1}}
		},
		"zo-sgd-per-tensor": func() optim.Optimizer { // the study's estimator
			return &optim.ZO{Rule: optim.ZOSGD, Est: optim.Estimator{Dist: optim.Rademacher, Q: 1, PerTensor: true, Eps: 1e-3, Seed: 1}}
		},
	}
	lr := map[string]float32{"fo-sgd": 1e-2, "zo-sgd": 1e-4, "zo-sgd-per-tensor": 1e-4, "zo-sgd-q8": 1e-4} // rates that stay finite over many epochs
	for _, name := range []string{"fo-sgd", "zo-sgd", "zo-sgd-q8", "zo-sgd-per-tensor"} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("opt=%s/threads=%d", name, threads), func(b *testing.B) {
				m, err := nn.NewMyNet(1, 1)
				if err != nil {
					b.Fatal(err)
				}
				m.Threads = threads
				l := &loop{m: m, batches: mnist.NewBatcher(tr, 64, 1, true)}
				l.batches.Threads = threads
				opt := opts[name]()
				for i := 0; b.Loop(); i++ {
					if _, err := l.epoch(i, opt, optim.Schedule{LR: lr[name]}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Seconds())/float64(b.N), "sec/epoch")
			})
		}
	}
}

// BenchmarkCNNEpoch times 100 steps (the first 6,400 training examples) of
// the study's CNNs, FO-SGD against the study's ZO estimator (one Rademacher
// direction per tensor, forward difference), one thread:
// go test -run '^$' -bench CNNEpoch -cpuprofile cpu.out ./train
func BenchmarkCNNEpoch(b *testing.B) {
	tr, _ := data(b)
	tr = tr.Head(6400)
	models := map[string]func(uint64) *nn.Sequential{"mynetplus": nn.NewMyNetPlus, "convnet": nn.NewConvNet}
	opts := map[string]func() optim.Optimizer{
		"fo-sgd": func() optim.Optimizer { return &optim.SGD{Momentum: 0.9} },
		"zo-sgd": func() optim.Optimizer {
			return &optim.ZO{Rule: optim.ZOSGD, Est: optim.Estimator{Dist: optim.Rademacher, Q: 1, PerTensor: true, Eps: 1e-3, Seed: 1}}
		},
	}
	for _, model := range []string{"mynetplus", "convnet"} {
		for _, name := range []string{"fo-sgd", "zo-sgd"} {
			b.Run(fmt.Sprintf("model=%s/opt=%s", model, name), func(b *testing.B) {
				m := models[model](1)
				m.Threads = 1
				l := &loop{m: m, batches: mnist.NewBatcher(tr, 64, 1, true)}
				opt := opts[name]()
				for i := 0; b.Loop(); i++ {
					if _, err := l.epoch(i, opt, optim.Schedule{LR: 1e-4}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkWideQueries times 100 steps (the first 6,400 training
// examples) of central-difference ZO-SGD with q = 8 Rademacher directions
// on MyNet s=1 and s=8 (5.3 MB of θ, past L2), one thread: s=1 evaluates
// the queries together (nn's queryLosses), s=8, whose layers are wider than
// a tile, one after the other (nn's queriesFit).
// go test -run '^$' -bench WideQueries ./train
func BenchmarkWideQueries(b *testing.B) {
	tr, _ := data(b)
	tr = tr.Head(6400)
	for _, scale := range []float64{1, 8} {
		b.Run(fmt.Sprintf("scale=%v", scale), func(b *testing.B) {
			m, err := nn.NewMyNet(scale, 1)
			if err != nil {
				b.Fatal(err)
			}
			m.Threads = 1
			l := &loop{m: m, batches: mnist.NewBatcher(tr, 64, 1, true)}
			opt := &optim.ZO{Rule: optim.ZOSGD, Est: optim.Estimator{Dist: optim.Rademacher, Central: true, Q: 8, Eps: 1e-3, Seed: 1}}
			for i := 0; b.Loop(); i++ {
				if _, err := l.epoch(i, opt, optim.Schedule{LR: 1e-4}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEvaluate times the evaluation of the 10,000 test images that
// ends every epoch (the 60,000 training images take six times as long),
// for each model, one thread, buffers grown:
// go test -run '^$' -bench Evaluate ./train
func BenchmarkEvaluate(b *testing.B) {
	_, te := data(b)
	models := map[string]func(uint64) *nn.Sequential{"mynetplus": nn.NewMyNetPlus, "convnet": nn.NewConvNet,
		"mynet": func(seed uint64) *nn.Sequential { m, _ := nn.NewMyNet(1, seed); return m }}
	for _, model := range []string{"mynet", "mynetplus", "convnet"} {
		b.Run("model="+model, func(b *testing.B) {
			m := models[model](1)
			m.Threads = 1
			Evaluate(m, te, 1000)
			for b.Loop() {
				Evaluate(m, te, 1000)
			}
		})
	}
}
