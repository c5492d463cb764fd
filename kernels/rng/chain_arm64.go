//go:build !purego

package rng

// callChain calls the generated NEON kernel of distribution d and steps
// coefficients, directly so that a does not escape (see chain_amd64.go).
func callChain(d Dist, steps int, dst, mid, src []float32, a *[MaxChain]float32, ctr uint32, k Key) {
	gauss := d == Gaussian
	switch {
	case gauss && steps == 1:
		gaussianChain1NEON(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case gauss && steps == 2:
		gaussianChain2NEON(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case gauss:
		gaussianChain3NEON(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case steps == 1:
		rademacherChain1NEON(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	case steps == 2:
		rademacherChain2NEON(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	default:
		rademacherChain3NEON(dst, mid, src, a, ctr, k.K0, k.K1, k.K2, k.K3)
	}
}

// chainAsm runs the chain kernel over the whole blocks of src, which
// starts at block ctr, and returns how many elements it did.
func chainAsm(p Impl, d Dist, dst, mid, src []float32, a *[MaxChain]float32, steps int, key Key, ctr uint32) int {
	if p != NEON {
		return 0
	}
	n := len(src) &^ (int(blockOf(d)) - 1)
	if n > 0 {
		callChain(d, steps, dst[:n], mid[:n], src[:n], a, ctr, key)
	}
	return n
}

// chainRowsAsm runs the kernel on each row of a block whose rows are all
// whole blocks from a block boundary (ctr is row 0's block; lds a multiple
// of the block), or reports false.
func chainRowsAsm(p Impl, d Dist, dst, mid []float32, ldd int, src []float32, lds, rows, cols int, a *[MaxChain]float32, steps int, key Key, ctr uint32) bool {
	blk := blockOf(d)
	if p != NEON || uint64(cols)%blk != 0 {
		return false
	}
	for r := 0; r < rows; r++ {
		callChain(d, steps, dst[r*ldd:][:cols], mid[r*ldd:][:cols], src[r*lds:][:cols], a, ctr, key)
		ctr += uint32(uint64(lds) / blk)
	}
	return true
}
