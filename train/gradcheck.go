package train

import (
	"math"

	"github.com/zofo/zofo/optim"
)

// GradCheck compares one step's gradient estimate ĝ with the true
// mini-batch gradient g at the same parameters and batch.
type GradCheck struct {
	Step   int     // 0-based, counted over the whole run
	Cosine float64 // ĝ·g / (|ĝ| |g|)
	RelErr float64 // |ĝ − g| / |g|
	// Forwards is the passes the estimate ran on the side; like the
	// gradient, they are not charged to the run.
	Forwards int
}

// gradChecker holds the estimate's buffer between checks.
type gradChecker struct{ est []float32 }

// check computes ĝ as the next step will, then g by backpropagation, which
// leaves θ alone: the step that follows is the step of a run without it.
func (c *gradChecker) check(m Model, opt optim.Estimating, b optim.Batch, step int) GradCheck {
	p := m.Params()
	if len(c.est) != len(p.Data) {
		c.est = make([]float32, len(p.Data))
	}
	fw := opt.Estimate(m, b, c.est)
	m.Gradient(b.X, b.Y, b.Rows)
	var dot, ee, gg, diff float64
	for i, e := range c.est {
		g := float64(p.Grad[i])
		dot += float64(e) * g
		ee += float64(e) * float64(e)
		gg += g * g
		d := float64(e) - g
		diff += d * d
	}
	return GradCheck{Step: step, Cosine: dot / math.Sqrt(ee*gg), RelErr: math.Sqrt(diff / gg), Forwards: fw}
}
