//go:build !purego

package kernels

// affineBytesAsm converts whole blocks of 8 bytes (four vectors of float64).
func affineBytesAsm(p Impl, dst []float32, src []byte, a, b float64) int {
	n := len(src) &^ 7
	if p != NEON || n == 0 {
		return 0
	}
	affineBytesNEON(dst[:n], src[:n], a, b)
	return n
}

func prefetchAsm(p Impl) bool { return p == NEON }
