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
	// Progress, if set, is called after every step with the epoch
	// (1-based), the steps done and in all, and the step's loss.
	Progress func(epoch, step, steps int, loss float32)
}

// Epoch is what one epoch measured.
type Epoch struct {
	Epoch               int // 1-based
	TrainLoss           float64
	TrainAcc            float64
	TestLoss, TestAcc   float64
	Seconds             float64 // the optimizer steps only, evaluation excluded
	Forwards            int64   // batch forward passes the steps ran
	UsedSecondOptimizer bool
}

// ErrDiverged is returned (wrapped) when a step's loss is NaN, ±Inf or
// above MaxLoss.
var ErrDiverged = errors.New("diverged")

// MaxLoss is the training loss past which a run counts as diverged: a
// cross-entropy of 1e6 means logits a million apart, far outside any
// regime that recovers (ZO-SGD runs away like that, finite but useless).
const MaxLoss = 1e6

// Run trains m, calling each after every epoch; an error from each stops
// the run. A NaN, infinite or huge loss ends the run with ErrDiverged.
func Run(m Model, trainSet, testSet *mnist.Set, cfg Config, each func(Epoch) error) error {
	if cfg.Epochs < 1 || cfg.Batch < 1 || cfg.EvalBatch < 1 {
		return fmt.Errorf("train: epochs %d, batch %d, eval batch %d: want ≥ 1", cfg.Epochs, cfg.Batch, cfg.EvalBatch)
	}
	if err := cfg.Schedule.Validate(); err != nil {
		return err
	}
	batches := mnist.NewBatcher(trainSet, cfg.Batch, cfg.Seed, true)
	batches.Threads = optim.Threads(m)
	for e := 0; e < cfg.Epochs; e++ {
		opt, sched, second := cfg.First, cfg.Schedule, cfg.Second != nil && e >= cfg.SwitchAt
		if second {
			opt = cfg.Second
			if cfg.SecondSchedule != nil {
				sched = *cfg.SecondSchedule
			}
		}
		ep, err := epoch(m, batches, e, opt, sched.At(e), cfg.Progress)
		if err != nil {
			return err
		}
		ep.UsedSecondOptimizer = second
		ep.TrainLoss /= float64(batches.Len())
		_, ep.TrainAcc = Evaluate(m, trainSet, cfg.EvalBatch)
		ep.TestLoss, ep.TestAcc = Evaluate(m, testSet, cfg.EvalBatch)
		if err := each(ep); err != nil {
			return err
		}
	}
	return nil
}

// epoch runs the optimizer over every batch of epoch e.
func epoch(m Model, batches *mnist.Batcher, e int, opt optim.Optimizer, lr float32, progress func(int, int, int, float32)) (Epoch, error) {
	batches.Epoch(e)
	ep := Epoch{Epoch: e + 1}
	start := time.Now()
	noisy, _ := m.(interface{ SetNoiseKey(uint64) })
	for i := 0; i < batches.Len(); i++ {
		x, y := batches.Batch(i)
		if noisy != nil { // one dropout mask per step, however many losses it evaluates
			noisy.SetNoiseKey(uint64(e*batches.Len() + i))
		}
		loss, fw := opt.Step(m, optim.Batch{X: x, Y: y, Rows: len(y)}, lr)
		if !(math.Abs(float64(loss)) <= MaxLoss) { // false for NaN too
			return ep, fmt.Errorf("train: epoch %d, step %d: loss %v: %w", e+1, i, loss, ErrDiverged)
		}
		ep.TrainLoss += float64(loss)
		ep.Forwards += int64(fw)
		if progress != nil {
			progress(e+1, i+1, batches.Len(), loss)
		}
	}
	ep.Seconds = time.Since(start).Seconds()
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

// evalRows is the most rows one evaluation forward of a CNN takes. A row's
// logits are the same bits whatever rows share its pass, and a 1000-row
// CNN pass does not stay in cache (MyNetPlus's first im2col alone is 58
// MB). Per 10,000 images, buffers grown, one thread: 1000 rows took
// MyNetPlus 0.38 s and ConvNet 1.34 s on session 4's code; on session
// 5's, 128 rows took 0.27 and 0.91 s and 32 rows 0.23 and 0.77 s.
const evalRows = 32

// mlpEvalRows is evalRows for an MLP, whose passes are far smaller: MyNet's
// evaluation took 16.0 ms per 10,000 images in parts of 32, 15.0 in parts
// of 64 and 14.6 in parts of 256 (session 8, BenchmarkEvaluate).
const mlpEvalRows = 256

// passRows is the rows of one evaluation forward of m.
func passRows(m Model) int {
	if mlp, ok := m.(interface{ Linears() []*nn.Linear }); ok && mlp.Linears() != nil {
		return mlpEvalRows
	}
	return evalRows
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
	rows, c, part := hi-lo, e.m.Classes(), passRows(e.m)
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
