//go:build purego || !(amd64 || arm64)

package kernels

// No assembly here: the Go reference does every element.

func microKernelAsm(Impl, int, operand, operand, []float32, int, float32, float32, int) bool {
	return false
}

func hasStridedKernels(Impl) bool { return false }

func hasMaskedLoads(Impl) bool { return false }

func hasMaskedStores(Impl) bool { return false }

func fmaPeak(Impl, int) float64 { return 0 }

func packT16Asm([]float32, []float32, int, int) int { return 0 }

// The transposed micro-kernels (AVX2, AVX-512) are amd64 only: elsewhere
// Gemm uses the usual tiles.
func hasNarrowKernel(Impl, int) bool { return false }

func narrowKernelAsm(Impl, int, int, []float32, int, []float32, int, []float32, int, float32, float32, int) {
	panic("kernels: no narrow micro-kernel")
}
