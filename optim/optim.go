// Package optim holds zofo's first-order and zeroth-order optimizers and
// the gradient estimators of the zeroth-order ones. An optimizer takes one
// step on one mini-batch; every estimate uses the current mini-batch, and
// a zeroth-order step never runs backpropagation.
package optim

import "github.com/zofo/zofo/nn"

// Model is what the optimizers train (nn.Sequential implements it).
type Model interface {
	Params() *nn.Params
	// Loss is the training-mode loss on a batch: one forward pass.
	Loss(x []float32, y []int32, rows int) float32
	// Gradient is Loss plus backpropagation into Params().Grad.
	Gradient(x []float32, y []int32, rows int) float32
}

// The capabilities below are optional: a model that has one gets its fast
// path, any other model the generic one, with the same bits.

// Prober evaluates the points of a zeroth-order step itself (nn.Sequential
// does, without writing θ on an MLP); other models get nn.Probe.InPlace.
// Losses follows InPlace's contract: the losses at the probe's points and
// how much of the last query's chain θ holds afterwards.
type Prober interface {
	Losses(x []float32, y []int32, rows int, p nn.Probe, out []float32) (applied int)
}

// CoordinateDifferencer computes the coordinate-wise estimator's central
// differences itself (nn.Sequential does on an MLP, reusing features), or
// reports false; other models get two forward passes per coordinate.
type CoordinateDifferencer interface {
	CoordinateDifferences(x []float32, y []int32, rows int, idx []int, eps float32, g []float32) (loss float32, ok bool)
}

// Parallel is a model whose own passes use several goroutines; an
// optimizer's passes over the parameters use as many.
type Parallel interface{ Parallelism() int }

// Batch is one mini-batch: rows examples of x with labels y.
type Batch struct {
	X    []float32
	Y    []int32
	Rows int
}

// Optimizer updates a model's parameters from one mini-batch.
type Optimizer interface {
	// Step updates the parameters with learning rate lr and returns the
	// training loss it saw on the batch and the forward passes it ran.
	Step(m Model, b Batch, lr float32) (loss float32, forwards int)
}

func loss(m Model, b Batch) float32 { return m.Loss(b.X, b.Y, b.Rows) }

func gradient(m Model, b Batch) float32 { return m.Gradient(b.X, b.Y, b.Rows) }
