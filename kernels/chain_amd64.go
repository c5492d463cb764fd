//go:build !purego

package kernels

// chainKernel is the signature of every generated chain kernel.
type chainKernel func(dst, mid, src []float32, a *[3]float32, ctr, k0, k1, k2, k3 uint32)

// chainKernels[path][dist][steps−1].
var chainKernels = map[Impl][2][MaxChain]chainKernel{
	AVX2: {
		{rademacherChain1AVX2, rademacherChain2AVX2, rademacherChain3AVX2},
		{gaussianChain1AVX2, gaussianChain2AVX2, gaussianChain3AVX2},
	},
	AVX512: {
		{rademacherChain1AVX512, rademacherChain2AVX512, rademacherChain3AVX512},
		{gaussianChain1AVX512, gaussianChain2AVX512, gaussianChain3AVX512},
	},
}

// chainAsm runs the chain kernel over the whole blocks of src, which
// starts at block ctr, and returns how many elements it did.
func chainAsm(p Impl, d Dist, dst, mid, src []float32, a *[MaxChain]float32, steps int, key Key, ctr uint32) int {
	ks, ok := chainKernels[p]
	if !ok {
		return 0
	}
	n := len(src) &^ 31 // whole vectors pairs on AVX-512 Gaussian, whole words for Rademacher
	if d == Gaussian && p == AVX2 {
		n = len(src) &^ 15
	}
	if n > 0 {
		ks[d][steps-1](dst[:n], mid[:n], src[:n], a, ctr, key.K0, key.K1, key.K2, key.K3)
	}
	return n
}
