//go:build !purego

package rng

// directionAsm runs the direction kernels over the whole blocks of w, which
// starts at block ctr, and returns how many elements it did.
func directionAsm(p Impl, d Dist, w []float32, alpha float32, key Key, ctr uint32, fill bool) int {
	if p != AVX2 && p != AVX512 {
		return 0
	}
	if d == Rademacher {
		n := len(w) &^ 31
		if n > 0 {
			rademacherAsm(p, w[:n], alpha, ctr, key, fill)
		}
		return n
	}
	n := len(w) &^ 15
	if p == AVX512 {
		n = len(w) &^ 31
	}
	if n > 0 {
		gaussianAsm(p, w[:n], alpha, ctr, key, fill)
	}
	return n
}

func rademacherAsm(p Impl, w []float32, alpha float32, ctr uint32, k Key, fill bool) {
	switch {
	case p == AVX512 && fill:
		rademacherFillAVX512(w, ctr, k.K0, k.K1)
	case p == AVX512:
		rademacherAddAVX512(w, alpha, ctr, k.K0, k.K1)
	case fill:
		rademacherFillAVX2(w, ctr, k.K0, k.K1)
	default:
		rademacherAddAVX2(w, alpha, ctr, k.K0, k.K1)
	}
}

func gaussianAsm(p Impl, w []float32, alpha float32, ctr uint32, k Key, fill bool) {
	switch {
	case p == AVX512 && fill:
		gaussianFillAVX512(w, ctr, k.K0, k.K1, k.K2, k.K3)
	case p == AVX512:
		gaussianAddAVX512(w, alpha, ctr, k.K0, k.K1, k.K2, k.K3)
	case fill:
		gaussianFillAVX2(w, ctr, k.K0, k.K1, k.K2, k.K3)
	default:
		gaussianAddAVX2(w, alpha, ctr, k.K0, k.K1, k.K2, k.K3)
	}
}
