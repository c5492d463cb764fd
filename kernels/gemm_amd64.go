//go:build !purego

package kernels

func hasStridedKernels(p Impl) bool { return p == AVX2 || p == AVX512 }

// hasMaskedLoads reports whether the micro-kernels read a partial B panel
// in place (AVX-512 masks); AVX2 reads a zero-padded copy.
func hasMaskedLoads(p Impl) bool { return p == AVX512 }

// hasMaskedStores reports whether partial-column tiles are stored in
// place rather than computed aside and merged.
func hasMaskedStores(p Impl) bool { return p == AVX512 || p == AVX2 }

func microKernelAsm(p Impl, k int, a, b operand, c []float32, ldc int, alpha, beta float32, cols int) bool {
	pa, pb, pc := &a.data[0], &b.data[0], &c[0]
	switch {
	case p == AVX512 && a.rowMajor:
		gemmKernelRAVX512(k, pa, a.step, pb, b.step, pc, ldc, alpha, beta, uint16(1)<<cols-1)
	case p == AVX512:
		gemmKernelKAVX512(k, pa, a.step, pb, b.step, pc, ldc, alpha, beta, uint16(1)<<cols-1)
	case p == AVX2 && a.rowMajor:
		gemmKernelRAVX2(k, pa, a.step, pb, b.step, pc, ldc, alpha, beta, cols)
	case p == AVX2:
		gemmKernelKAVX2(k, pa, a.step, pb, b.step, pc, ldc, alpha, beta, cols)
	default:
		return false
	}
	return true
}

// narrowKernelAsm runs the transposed micro-kernel for C of width n on
// rows of C (at most 16), if path p has one (hasNarrowKernel).
func narrowKernelAsm(p Impl, n, k int, a []float32, as int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32, rows int) {
	pa, pb, pc, mask := &a[0], &b[0], &c[0], uint16(1<<rows-1)
	switch {
	case p == AVX512 && n == 10:
		gemmKernelT10AVX512(k, pa, as, pb, ldb, pc, ldc, alpha, beta, mask, rows)
	case p == AVX512 && n == 20:
		gemmKernelT20AVX512(k, pa, as, pb, ldb, pc, ldc, alpha, beta, mask, rows)
	case p == AVX2 && n%10 == 0:
		_ = c[(rows-1)*ldc+n-1]
		for j := 0; j < n; j += 10 { // the kernel is 8 rows by 10 columns
			for r := 0; r < rows; r += 8 {
				gemmKernelT10AVX2(k, &a[r], as, &b[j], ldb, &c[r*ldc+j], ldc, alpha, beta, min(8, rows-r))
			}
		}
	default:
		panic("kernels: no narrow micro-kernel")
	}
}

// ptrOrNil is &x[0], or nil for an empty x (an operand the kernel skips).
func ptrOrNil(x []float32) *float32 {
	if len(x) == 0 {
		return nil
	}
	return &x[0]
}

// hasNarrowKernel reports whether path p has a transposed micro-kernel for
// C of width n (the generator's narrowWidths; AVX2's, 10 wide, twice for 20).
func hasNarrowKernel(p Impl, n int) bool { return (p == AVX512 || p == AVX2) && (n == 10 || n == 20) }

// packT16Asm packs 16 rows of src (row stride ld) k-major into dst, the
// whole multiples of 8 in k with AVX2 transposes, and returns how many k
// it did; src starts at the panel's first element.
func packT16Asm(dst, src []float32, ld, kb int) int {
	n := kb &^ 7
	if !hasAVX2 || n == 0 {
		return 0
	}
	_, _ = dst[16*n-1], src[15*ld+n-1]
	packT16AVX2(&dst[0], &src[0], ld, n)
	return n
}

// fmaPeak runs n iterations of 12 independent vector FMAs on path p and
// returns the flops done (0 if p has no assembly), for the peak benchmark.
func fmaPeak(p Impl, n int) float64 {
	var out [16]float32
	switch p {
	case AVX512:
		fmaPeakAVX512(n, &out)
		return float64(n) * 12 * 16 * 2
	case AVX2:
		fmaPeakAVX2(n, &out)
		return float64(n) * 12 * 8 * 2
	}
	return 0
}
