//go:build !purego

package kernels

// narrowOffsetAsm is narrowKernelAsm with row k of Aᵀ at a[off[k]:] and
// alpha 1; with beta 0 it adds bias (unless nil) to each row of C, then
// ReLU if relu.
func narrowOffsetAsm(p Impl, n int, a []float32, off []int, b []float32, ldb int, c []float32, ldc int, beta float32, rows int, bias []float32, relu bool) {
	pa, po, pb, pc, mask, pbias := &a[0], &off[0], &b[0], &c[0], uint16(1<<rows-1), ptrOrNil(bias)
	switch {
	case p == AVX512 && n == 10:
		gemmKernelTO10AVX512(len(off), pa, po, pb, ldb, pc, ldc, 1, beta, mask, rows, pbias, relu)
	case p == AVX512 && n == 20:
		gemmKernelTO20AVX512(len(off), pa, po, pb, ldb, pc, ldc, 1, beta, mask, rows, pbias, relu)
	case p == AVX2 && n%10 == 0:
		_ = c[(rows-1)*ldc+n-1]
		for j := 0; j < n; j += 10 { // the kernel is 8 rows by 10 columns
			if pbias != nil {
				pbias = &bias[j]
			}
			for r := 0; r < rows; r += 8 {
				gemmKernelTO10AVX2(len(off), &a[r], po, &b[j], ldb, &c[r*ldc+j], ldc, 1, beta, min(8, rows-r), pbias, relu)
			}
		}
	default:
		panic("kernels: no narrow micro-kernel")
	}
}

// narrowHalvesAsm is narrowOffsetAsm for 16 rows and beta 0, rows 8–15 of
// the tile read half further on.
func narrowHalvesAsm(p Impl, n int, a []float32, off []int, half int, b []float32, ldb int, c []float32, ldc int, bias []float32, relu bool) {
	pa, po, pb, pc, pbias := &a[0], &off[0], &b[0], &c[0], ptrOrNil(bias)
	switch {
	case p == AVX512 && n == 10:
		gemmKernelTH10AVX512(len(off), pa, po, half, pb, ldb, pc, ldc, 1, 0, 16, pbias, relu)
	case p == AVX512 && n == 20:
		gemmKernelTH20AVX512(len(off), pa, po, half, pb, ldb, pc, ldc, 1, 0, 16, pbias, relu)
	case p == AVX2: // two tiles of 8 rows
		narrowOffsetAsm(p, n, a, off, b, ldb, c, ldc, 0, 8, bias, relu)
		narrowOffsetAsm(p, n, a[half:], off, b, ldb, c[8*ldc:], ldc, 0, 8, bias, relu)
	default:
		panic("kernels: no narrow micro-kernel")
	}
}

// hasTapsKernel reports whether path p has ConvTapsGrad's kernel for K×K
// filters (the generator's tapsSizes) and cout outputs (one vector).
func hasTapsKernel(p Impl, k, cout int) bool {
	return p == AVX512 && (k == 3 || k == 5) && cout >= 1 && cout <= 16
}

// tapsKernelAsm runs convTaps{K} on the pixels whose offsets in x are off.
func tapsKernelAsm(p Impl, k int, x []float32, off []int, w int, dy []float32, cout int, dw []float32, beta float32) {
	px, po, pdy, pdw, mask := &x[0], &off[0], &dy[0], &dw[0], uint16(1<<cout-1)
	switch {
	case p == AVX512 && k == 3:
		convTaps3AVX512(len(off), px, po, w, pdy, cout, pdw, beta, mask)
	case p == AVX512 && k == 5:
		convTaps5AVX512(len(off), px, po, w, pdy, cout, pdw, beta, mask)
	default:
		panic("kernels: no taps kernel")
	}
}
