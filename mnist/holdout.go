package mnist

import (
	"fmt"
	"slices"

	"github.com/zofo/zofo/internal/splitmix"
)

// HoldoutSeed fixes which training examples a validation split holds out:
// every run, whatever its own seed, validates on the same examples.
const HoldoutSeed = 0x7a6f666f76616c // "zofoval"

// Holdout splits s into the examples kept for training and n examples held
// out for validation, chosen by a seeded shuffle of the indices (HoldoutSeed)
// and kept in their original order on both sides. The two sets are copies.
func (s *Set) Holdout(n int) (kept, held *Set, err error) {
	if n < 0 || n >= s.Len() {
		return nil, nil, fmt.Errorf("mnist: holding out %d of %d examples: want 0 ≤ n < %d", n, s.Len(), s.Len())
	}
	idx := make([]int, s.Len())
	for i := range idx {
		idx[i] = i
	}
	st := uint64(HoldoutSeed)
	for i := len(idx) - 1; i > 0; i-- { // Fisher–Yates, as the batches shuffle
		j := int(splitmix.Next(&st) % uint64(i+1))
		idx[i], idx[j] = idx[j], idx[i]
	}
	heldIdx, keptIdx := idx[:n], idx[n:]
	slices.Sort(heldIdx)
	slices.Sort(keptIdx)
	return s.pick(keptIdx), s.pick(heldIdx), nil
}

// pick copies the examples at idx into a new set.
func (s *Set) pick(idx []int) *Set {
	out := &Set{Raw: make([]byte, 0, len(idx)*Pixels), Labels: make([]int32, 0, len(idx))}
	for _, i := range idx {
		out.Raw = append(out.Raw, s.Raw[i*Pixels:(i+1)*Pixels]...)
		out.Labels = append(out.Labels, s.Labels[i])
	}
	return out
}
