package kernels

import (
	"math"
	"math/rand/v2"
)

// ulpTol is the derived error bound of the roundings of terms: 2⁻²⁴ of
// each magnitude, plus 2⁻¹⁴⁹ (half the smallest subnormal, twice) for
// results that underflow.
func ulpTol(terms ...float64) float64 {
	var s float64
	for _, t := range terms {
		s += math.Abs(t)*0x1p-24 + 0x1p-149
	}
	return s
}

func newRand(seed int64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 99)) }
