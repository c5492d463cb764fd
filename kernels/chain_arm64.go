//go:build !purego

package kernels

// chainNEON[dist][steps−1] are the generated chain kernels.
var chainNEON = [2][MaxChain]func(dst, mid, src []float32, a *[3]float32, ctr, k0, k1, k2, k3 uint32){
	{rademacherChain1NEON, rademacherChain2NEON, rademacherChain3NEON},
	{gaussianChain1NEON, gaussianChain2NEON, gaussianChain3NEON},
}

// chainAsm runs the chain kernel over the whole blocks of src, which
// starts at block ctr, and returns how many elements it did.
func chainAsm(p Impl, d Dist, dst, mid, src []float32, a *[MaxChain]float32, steps int, key Key, ctr uint32) int {
	if p != NEON {
		return 0
	}
	n := len(src) &^ (int(blockOf(d)) - 1)
	if n > 0 {
		chainNEON[d][steps-1](dst[:n], mid[:n], src[:n], a, ctr, key.K0, key.K1, key.K2, key.K3)
	}
	return n
}
