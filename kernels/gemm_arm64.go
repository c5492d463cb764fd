//go:build !purego

package kernels

// The NEON micro-kernel reads packed panels only.
func hasStridedKernels(Impl) bool { return false }

func hasMaskedLoads(Impl) bool { return false }

func hasMaskedStores(Impl) bool { return false }

func microKernelAsm(p Impl, k int, a, b operand, c []float32, ldc int, alpha, beta float32, _ int) bool {
	if p != NEON {
		return false
	}
	gemmKernelNEON(k, &a.data[0], a.step, &b.data[0], b.step, &c[0], ldc, alpha, beta)
	return true
}

func packT16Asm([]float32, []float32, int, int) int { return 0 }

func fmaPeak(Impl, int) float64 { return 0 }

// The transposed micro-kernels are amd64 only: NEON uses the usual tiles.
func hasNarrowKernel(Impl, int) bool { return false }

func narrowKernelAsm(Impl, int, int, []float32, int, []float32, int, []float32, int, float32, float32, int) {
	panic("kernels: no narrow micro-kernel")
}
