//go:build !purego

package rng

// callChain calls the generated kernel of path p (AVX2 or AVX-512),
// distribution d and steps coefficients. Direct calls, not a table of
// function values: through those the compiler cannot see the kernels'
// noescape, and a would be allocated on every call.
func callChain(p Impl, d Dist, steps int, dst, mid, src []float32, a *[MaxChain]float32, ctr uint32, k Key) {
	wide, gauss := p == AVX512, d == Gaussian
	switch {
	case wide && gauss && steps == 1:
		gaussianChain1AVX512(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case wide && gauss && steps == 2:
		gaussianChain2AVX512(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case wide && gauss:
		gaussianChain3AVX512(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case wide && steps == 1:
		rademacherChain1AVX512(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case wide && steps == 2:
		rademacherChain2AVX512(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case wide:
		rademacherChain3AVX512(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case gauss && steps == 1:
		gaussianChain1AVX2(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case gauss && steps == 2:
		gaussianChain2AVX2(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case gauss:
		gaussianChain3AVX2(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case steps == 1:
		rademacherChain1AVX2(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case steps == 2:
		rademacherChain2AVX2(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	default:
		rademacherChain3AVX2(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	}
}

// chainAsm runs the chain kernel over the whole blocks of src, which
// starts at block ctr, and returns how many elements it did.
func chainAsm(p Impl, d Dist, dst, mid, src []float32, a *[MaxChain]float32, steps int, key Key, ctr uint32) int {
	if p != AVX2 && p != AVX512 {
		return 0
	}
	n := len(src) &^ (chainMultiple(p, d) - 1)
	if n > 0 {
		callChain(p, d, steps, dst[:n], mid[:n], src[:n], a, ctr, key)
	}
	return n
}

// chainMultiple is the element count the kernels take in whole units:
// Rademacher words, AVX-512 Gaussian vector pairs, AVX2 Gaussian blocks.
func chainMultiple(p Impl, d Dist) int {
	if d == Gaussian && p == AVX2 {
		return 16
	}
	return 32
}

// chainRowsAsm runs the kernel on each row of a block whose rows are all
// whole units from a block boundary (ctr is row 0's block; lds a multiple
// of the block), or reports false.
func chainRowsAsm(p Impl, d Dist, dst, mid []float32, ldd int, src []float32, lds, rows, cols int, a *[MaxChain]float32, steps int, key Key, ctr uint32) bool {
	if p != AVX2 && p != AVX512 || cols%chainMultiple(p, d) != 0 {
		return false
	}
	step := uint32(uint64(lds) / blockOf(d))
	for r := 0; r < rows; r++ {
		callChain(p, d, steps, dst[r*ldd:][:cols], mid[r*ldd:][:cols], src[r*lds:][:cols], a, ctr, key)
		ctr += step
	}
	return true
}
