//go:build !purego

package kernels

// affineBytesAsm converts whole half-vectors of bytes: 8 on AVX-512, 4 on
// AVX2 (a vector of float64 each).
func affineBytesAsm(p Impl, dst []float32, src []byte, a, b float64) int {
	switch p {
	case AVX512:
		n := len(src) &^ 7
		if n > 0 {
			affineBytesAVX512(dst[:n], src[:n], a, b)
		}
		return n
	case AVX2:
		n := len(src) &^ 3
		if n > 0 {
			affineBytesAVX2(dst[:n], src[:n], a, b)
		}
		return n
	}
	return 0
}

func prefetchAsm(p Impl) bool { return p != Generic }
