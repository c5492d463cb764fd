//go:build !purego

package kernels

// columnSumsAsm sums every column of x into g, up to four vectors of
// columns per kernel call, and returns how many columns it did (all, on
// both paths).
func columnSumsAsm(p Impl, g, x []float32, rows int) int {
	lanes := vectorLanes(p)
	if lanes == 0 {
		return 0
	}
	cols := len(g)
	_ = x[(rows-1)*cols+cols-1]
	for c0 := 0; c0 < cols; c0 += 4 * lanes {
		w := min(4*lanes, cols-c0)
		vecs := (w + lanes - 1) / lanes
		tail := w - (vecs-1)*lanes
		whole := wholeRows(len(x), c0, vecs*lanes, cols, rows)
		columnSumsKernel(p, vecs)(&g[c0], &x[c0], whole, rows, cols, tail)
	}
	return cols
}

// columnSumsKernel is the kernel of path p for vecs vectors of columns.
func columnSumsKernel(p Impl, vecs int) func(sums, x *float32, whole, rows, ld, tail int) {
	if p == AVX512 {
		return [...]func(*float32, *float32, int, int, int, int){columnSums1AVX512, columnSums2AVX512, columnSums3AVX512, columnSums4AVX512}[vecs-1]
	}
	return [...]func(*float32, *float32, int, int, int, int){columnSums1AVX2, columnSums2AVX2, columnSums3AVX2, columnSums4AVX2}[vecs-1]
}
