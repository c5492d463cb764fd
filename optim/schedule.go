package optim

import (
	"fmt"
	"slices"
)

// Schedule is a learning rate per epoch: constant, or multiplied by Gamma
// at each milestone epoch (PyTorch's MultiStepLR).
type Schedule struct {
	LR         float32
	Milestones []int
	Gamma      float32
}

// At is the learning rate of epoch e (0-based).
func (s Schedule) At(e int) float32 {
	lr := s.LR
	for _, m := range s.Milestones {
		if e >= m {
			lr *= s.Gamma
		}
	}
	return lr
}

// Validate reports a schedule that cannot work.
func (s Schedule) Validate() error {
	if !(s.LR > 0) {
		return fmt.Errorf("optim: learning rate %v, want > 0", s.LR)
	}
	if len(s.Milestones) > 0 && !(s.Gamma > 0) {
		return fmt.Errorf("optim: decay factor %v, want > 0", s.Gamma)
	}
	if !slices.IsSorted(s.Milestones) {
		return fmt.Errorf("optim: milestones %v are not increasing", s.Milestones)
	}
	return nil
}
