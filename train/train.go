// Package train runs epochs: seeded mini-batches, one optimizer step per
// batch (or two optimizers split by epoch: the hybrid schedules), and an
// evaluation of the training and test sets after each epoch.
package train

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/zofo/zofo/mnist"
	"github.com/zofo/zofo/nn"
	"github.com/zofo/zofo/optim"
)

// Model is a trainable classifier (nn.Sequential implements it).
type Model interface {
	optim.Model
	Forward(x []float32, rows int, train bool) []float32
	Classes() int
}

// Noisy is a model with random training layers (dropout), keyed once per
// step so that every loss a step evaluates sees one mask.
type Noisy interface{ SetNoiseKey(uint64) }

// PassSizer is a model that knows how many rows its evaluation forwards
// should take (the logits do not depend on it).
type PassSizer interface{ EvalRows() int }

// Config is one training run.
type Config struct {
	Epochs    int
	Batch     int
	EvalBatch int // 1000 in the study
	Seed      uint64
	Schedule  optim.Schedule
	First     optim.Optimizer
	// Second, if set, takes over from epoch SwitchAt: ZO→FO or FO→ZO,
	// with SecondSchedule if set (else Schedule).
	Second         optim.Optimizer
	SwitchAt       int
	SecondSchedule *optim.Schedule
	// LargeBatch is the examples of the large batches an optimizer that
	// samples its own (optim.Sampling: SVRG's snapshots) draws.
	LargeBatch int
	// Progress, if set, is called after every step with the epoch
	// (1-based), the steps done and in all, and the step's loss.
	Progress func(epoch, step, steps int, loss float32)
	// StartEpoch is the epochs already done (0-based index of the first to
	// run): a run resumed from a checkpoint, its parameters and optimizer
	// state restored, continues with the bits of one never stopped.
	StartEpoch int
	// GradCheck, if > 0, compares every GradCheck-th step's estimate (of
	// an optim.Estimating optimizer) with the true mini-batch gradient.
	// The check is neither used by the step nor charged to its time or
	// forward-pass equivalents.
	GradCheck int
}

// Data is a run's sets: it trains on Train, chooses on Val (nil: no
// validation set) and only reports Test.
type Data struct{ Train, Val, Test *mnist.Set }

// Epoch is what one epoch measured.
type Epoch struct {
	Epoch             int // 1-based
	TrainLoss         float64
	TrainAcc          float64
	ValLoss, ValAcc   float64 // NaN without a validation set
	TestLoss, TestAcc float64
	Seconds           float64 // the optimizer steps only, evaluation and checks excluded
	Forwards          int64   // batch forward passes the steps ran
	// ForwardEquiv is the steps' cost in forward passes of the model on
	// one example: forwards times rows, a backward as optim.BackwardCost.
	ForwardEquiv        int64
	GradChecks          []GradCheck
	UsedSecondOptimizer bool
}

// ErrDiverged is returned (wrapped) when a step's loss is NaN, ±Inf or
// above MaxLoss.
var ErrDiverged = errors.New("diverged")

// MaxLoss is the training loss past which a run counts as diverged: a
// cross-entropy of 1e6 means logits a million apart, far outside any
// regime that recovers (ZO-SGD runs away like that, finite but useless).
const MaxLoss = 1e6

// Run trains m on data.Train, calling each after every epoch; an error
// from each stops the run. A NaN, infinite or huge loss ends the run with
// ErrDiverged.
func Run(m Model, data Data, cfg Config, each func(Epoch) error) error {
	if cfg.Epochs < 1 || cfg.Batch < 1 || cfg.EvalBatch < 1 || cfg.GradCheck < 0 || cfg.StartEpoch < 0 || cfg.StartEpoch >= cfg.Epochs {
		return fmt.Errorf("train: epochs %d, batch %d, eval batch %d: want ≥ 1; grad check %d: want ≥ 0; start epoch %d: want in [0, epochs)",
			cfg.Epochs, cfg.Batch, cfg.EvalBatch, cfg.GradCheck, cfg.StartEpoch)
	}
	if err := cfg.Schedule.Validate(); err != nil {
		return err
	}
	l := &loop{m: m, cfg: cfg, batches: mnist.NewBatcher(data.Train, cfg.Batch, cfg.Seed, true)}
	if err := giveSources(m, data.Train, cfg); err != nil {
		return err
	}
	if steps := cfg.Epochs * l.batches.Len(); cfg.Schedule.Warmup >= steps {
		return fmt.Errorf("train: a warmup of %d steps in a run of %d steps: want fewer", cfg.Schedule.Warmup, steps)
	}
	l.batches.Threads = optim.Threads(m)
	for e := cfg.StartEpoch; e < cfg.Epochs; e++ {
		opt, sched, second := cfg.First, cfg.Schedule, cfg.Second != nil && e >= cfg.SwitchAt
		if second {
			opt = cfg.Second
			if cfg.SecondSchedule != nil {
				sched = *cfg.SecondSchedule
			}
		}
		ep, err := l.epoch(e, opt, sched)
		if err != nil {
			return err
		}
		ep.UsedSecondOptimizer = second
		ep.TrainLoss /= float64(l.batches.Len())
		_, ep.TrainAcc = Evaluate(m, data.Train, cfg.EvalBatch)
		ep.ValLoss, ep.ValAcc = math.NaN(), math.NaN()
		if data.Val != nil {
			ep.ValLoss, ep.ValAcc = Evaluate(m, data.Val, cfg.EvalBatch)
		}
		ep.TestLoss, ep.TestAcc = Evaluate(m, data.Test, cfg.EvalBatch)
		if err := each(ep); err != nil {
			return err
		}
	}
	return nil
}

// loop is what the epochs of one run share.
type loop struct {
	m       Model
	cfg     Config
	batches *mnist.Batcher
	checker gradChecker
}

// epoch runs the optimizer over every batch of epoch e.
func (l *loop) epoch(e int, opt optim.Optimizer, sched optim.Schedule) (Epoch, error) {
	l.batches.Epoch(e)
	ep := Epoch{Epoch: e + 1}
	start := time.Now()
	var checking time.Duration
	noisy, _ := l.m.(Noisy)
	for i := 0; i < l.batches.Len(); i++ {
		x, y := l.batches.Batch(i)
		step := e*l.batches.Len() + i
		if noisy != nil { // one dropout mask per step, however many losses it evaluates
			noisy.SetNoiseKey(uint64(step))
		}
		b := optim.Batch{X: x, Y: y, Rows: len(y)}
		if est, ok := opt.(optim.Estimating); ok && l.cfg.GradCheck > 0 && step%l.cfg.GradCheck == 0 {
			t := time.Now()
			ep.GradChecks = append(ep.GradChecks, l.checker.check(l.m, est, b, step))
			checking += time.Since(t)
		}
		loss, fw := opt.Step(l.m, b, sched.Rate(e, i, l.batches.Len(), l.cfg.Epochs))
		if !(math.Abs(float64(loss)) <= MaxLoss) { // false for NaN too
			return ep, fmt.Errorf("train: epoch %d, step %d: loss %v: %w", e+1, i, loss, ErrDiverged)
		}
		ep.TrainLoss += float64(loss)
		ep.Forwards += int64(fw)
		ep.ForwardEquiv += int64(optim.ForwardEquivalents(opt, fw) * len(y))
		if l.cfg.Progress != nil {
			l.cfg.Progress(e+1, i+1, l.batches.Len(), loss)
		}
	}
	ep.Seconds = (time.Since(start) - checking).Seconds()
	return ep, nil
}

// Evaluate returns the mean loss and the accuracy of m on set, in
// evaluation mode (no dropout), in batches of size (the loss is summed a
// batch at a time, so size shapes its rounding).
func Evaluate(m Model, set *mnist.Set, size int) (loss, acc float64) {
	c := m.Classes()
	correct := 0
	e := &evaluator{m: m, set: set}
	for lo := 0; lo < set.Len(); lo += size {
		hi := min(lo+size, set.Len())
		logits, y := e.forward(lo, hi), set.Labels[lo:hi]
		loss += float64(nn.Loss(logits, y, len(y), c)) * float64(len(y))
		correct += nn.Correct(logits, y, len(y), c)
	}
	n := float64(set.Len())
	return loss / n, float64(correct) / n
}

// passRows is the rows of one evaluation forward of m: its own choice
// (PassSizer), else the whole part.
func passRows(m Model, part int) int {
	if ps, ok := m.(PassSizer); ok {
		return ps.EvalRows()
	}
	return part
}

// evaluator runs a model over a set's examples in order.
type evaluator struct {
	m         Model
	set       *mnist.Set
	logits, x []float32
}

// forward returns the logits of examples lo…hi−1, made passRows at a
// time, each part normalized from the set's bytes just before its pass
// (a whole batch normalized first, 3 MB for 1000 rows, left the cache
// before its pass read it: MyNet's evaluation took 40% longer).
func (e *evaluator) forward(lo, hi int) []float32 {
	rows, c, part := hi-lo, e.m.Classes(), passRows(e.m, hi-lo)
	e.logits = slices.Grow(e.logits[:0], rows*c)[:rows*c]
	e.x = slices.Grow(e.x[:0], part*mnist.Pixels)[:part*mnist.Pixels]
	for r := 0; r < rows; r += part {
		n := min(part, rows-r)
		x := e.x[:n*mnist.Pixels]
		mnist.Normalize(x, e.set.Raw[(lo+r)*mnist.Pixels:(lo+r+n)*mnist.Pixels])
		copy(e.logits[r*c:(r+n)*c], e.m.Forward(x, n, false))
	}
	return e.logits
}

// SwitchEpoch is the first epoch of the second optimizer of a hybrid run
// that gives the first one the fraction split of epochs (rounded, and at
// least one epoch each).
func SwitchEpoch(epochs int, split float64) (int, error) {
	if !(split > 0 && split < 1) {
		return 0, fmt.Errorf("train: split %v, want a fraction in (0, 1)", split)
	}
	if epochs < 2 {
		return 0, fmt.Errorf("train: a hybrid run needs at least 2 epochs, got %d", epochs)
	}
	return min(max(int(math.Round(split*float64(epochs))), 1), epochs-1), nil
}

// largeBatchTag keeps the large batches' shuffles apart from the steps'.
const largeBatchTag = 0x4c617267

// giveSources hands every optimizer that samples batches of its own a
// source of cfg.LargeBatch examples: large batch k is a shuffle of the
// training set that depends only on the seed and k.
func giveSources(m Model, set *mnist.Set, cfg Config) error {
	for _, o := range []optim.Optimizer{cfg.First, cfg.Second} {
		s, ok := o.(optim.Sampling)
		if !ok {
			continue
		}
		if cfg.LargeBatch < 1 {
			return fmt.Errorf("train: large batches of %d examples, want ≥ 1", cfg.LargeBatch)
		}
		big := mnist.NewBatcher(set, min(cfg.LargeBatch, set.Len()), cfg.Seed^largeBatchTag, true)
		big.Threads = optim.Threads(m)
		s.SetSource(func(k uint64) optim.Batch {
			big.Epoch(int(k))
			x, y := big.Batch(0)
			return optim.Batch{X: x, Y: y, Rows: len(y)}
		})
	}
	return nil
}
