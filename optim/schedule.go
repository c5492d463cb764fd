package optim

import (
	"fmt"
	"math"
	"slices"
)

// Schedule is the learning rate of each step: constant, or multiplied by
// Gamma at each milestone epoch (PyTorch's MultiStepLR), or annealed from
// LR to 0 along a half cosine over the run's steps (Cosine); either after
// an optional linear warmup.
type Schedule struct {
	LR         float32
	Milestones []int
	Gamma      float32
	// Cosine anneals step by step over the steps after the warmup, in
	// place of milestones: LR·(1 + cos(π·t/T))/2 at step t of T.
	Cosine bool
	// Warmup is the first steps, whose rate rises linearly to the
	// schedule's: step t of them takes (t+1)/Warmup of it (0: none).
	Warmup int
}

// At is the learning rate of epoch e (0-based) without the warmup and the
// cosine: the multi-step schedule.
func (s Schedule) At(e int) float32 {
	lr := s.LR
	for _, m := range s.Milestones {
		if e >= m {
			lr *= s.Gamma
		}
	}
	return lr
}

// Rate is the learning rate of step i of epoch e (both 0-based) in a run
// of epochs epochs of perEpoch steps. Without a warmup or the cosine it is
// At(e), the same bits.
func (s Schedule) Rate(e, i, perEpoch, epochs int) float32 {
	t := e*perEpoch + i
	lr := s.At(e)
	if s.Cosine {
		span := max(epochs*perEpoch-s.Warmup, 1)
		lr = float32(0.5 * float64(s.LR) * (1 + math.Cos(math.Pi*float64(max(t-s.Warmup, 0))/float64(span))))
	}
	if t < s.Warmup {
		lr = float32(float64(lr) * float64(t+1) / float64(s.Warmup))
	}
	return lr
}

// Validate reports a schedule that cannot work.
func (s Schedule) Validate() error {
	switch {
	case !(s.LR > 0):
		return fmt.Errorf("optim: learning rate %v, want > 0", s.LR)
	case len(s.Milestones) > 0 && !(s.Gamma > 0):
		return fmt.Errorf("optim: decay factor %v, want > 0", s.Gamma)
	case !slices.IsSorted(s.Milestones):
		return fmt.Errorf("optim: milestones %v are not increasing", s.Milestones)
	case s.Cosine && len(s.Milestones) > 0:
		return fmt.Errorf("optim: a cosine schedule has no milestones (got %v)", s.Milestones)
	case s.Warmup < 0:
		return fmt.Errorf("optim: warmup of %d steps, want ≥ 0", s.Warmup)
	}
	return nil
}
