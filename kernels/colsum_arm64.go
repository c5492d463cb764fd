//go:build !purego

package kernels

// columnSumsAsm sums the columns of x that fill whole vectors, up to four
// vectors per kernel call, and returns how many it did; Go sums the rest.
func columnSumsAsm(p Impl, g, x []float32, rows int) int {
	cols := len(g)
	full := cols &^ 3
	if p != NEON || full == 0 {
		return 0
	}
	_ = x[(rows-1)*cols+cols-1]
	kernels := [...]func(sums, x *float32, rows, ld int){columnSums1NEON, columnSums2NEON, columnSums3NEON, columnSums4NEON}
	for c0 := 0; c0 < full; c0 += 16 {
		kernels[min(16, full-c0)/4-1](&g[c0], &x[c0], rows, cols)
	}
	return full
}
