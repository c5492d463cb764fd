//go:build !purego

package kernels

// exp64Asm runs the path's vector exp over x's whole vectors of doubles
// (8 on AVX-512, 4 on AVX2) until one has a lane it leaves to Go; it
// returns the doubles done and the vector width (0: no vector path).
func exp64Asm(p Impl, x []float64) (done, width int) {
	var run func([]float64) int
	switch p {
	case AVX512:
		run, width = exp64AVX512, 8
	case AVX2:
		run, width = exp64AVX2, 4
	default:
		return 0, 0
	}
	if !expAgrees(p, run) {
		return 0, 0
	}
	if n := len(x) &^ (width - 1); n > 0 {
		done = run(x[:n])
	}
	return done, width
}
