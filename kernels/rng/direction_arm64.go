//go:build !purego

package rng

func directionAsm(p Impl, d Dist, w []float32, alpha float32, key Key, ctr uint32, fill bool) int {
	if p != NEON {
		return 0
	}
	n := len(w) &^ (int(blockOf(d)) - 1)
	if n == 0 {
		return 0
	}
	switch {
	case d == Rademacher && fill:
		rademacherFillNEON(w[:n], ctr, key.K0, key.K1)
	case d == Rademacher:
		rademacherAddNEON(w[:n], alpha, ctr, key.K0, key.K1)
	case fill:
		gaussianFillNEON(w[:n], ctr, key.K0, key.K1, key.K2, key.K3)
	default:
		gaussianAddNEON(w[:n], alpha, ctr, key.K0, key.K1, key.K2, key.K3)
	}
	return n
}
