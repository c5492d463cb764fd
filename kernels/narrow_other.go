//go:build purego || !amd64

package kernels

// The transposed micro-kernels (AVX2, AVX-512) and the taps kernels
// (AVX-512) are amd64 only: elsewhere Gemm uses the usual tiles, and
// ConvPlanes, ConvPatchesGrad and ConvTapsGrad report false.

func hasNarrowKernel(Impl, int) bool { return false }

func narrowKernelAsm(Impl, int, int, []float32, int, []float32, int, []float32, int, float32, float32, int) {
	panic("kernels: no narrow micro-kernel")
}

func narrowOffsetAsm(Impl, int, []float32, []int, []float32, int, []float32, int, float32, int, []float32, bool) {
	panic("kernels: no narrow micro-kernel")
}

func narrowHalvesAsm(Impl, int, []float32, []int, int, []float32, int, []float32, int, []float32, bool) {
	panic("kernels: no narrow micro-kernel")
}

func hasTapsKernel(Impl, int, int) bool { return false }

func tapsKernelAsm(Impl, int, []float32, []int, int, []float32, int, []float32, float32) {
	panic("kernels: no taps kernel")
}
