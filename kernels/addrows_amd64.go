//go:build !purego

package kernels

// addRowsAsm does AddRows on AVX-512 (rows, n ≥ 1) and reports whether it
// did.
func addRowsAsm(p Impl, dst []float32, ldd int, src []float32, lds, rows, n int) bool {
	if p != AVX512 {
		return false
	}
	addRowsAVX512(&dst[0], ldd, &src[0], lds, rows, n/16, uint16(1)<<(n%16)-1)
	return true
}
