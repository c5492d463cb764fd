//go:build !purego

package kernels

// vectorLanes is the float32 lanes of path p's vectors, 0 without assembly.
func vectorLanes(p Impl) int {
	switch p {
	case AVX512:
		return 16
	case AVX2:
		return 8
	}
	return 0
}

// maxPool2Asm does the first n windows (poolRow checks they fit).
func maxPool2Asm(p Impl, out, top, bottom []float32, c, n int) {
	switch {
	case n == 0:
	case p == AVX512:
		maxPool2AVX512(out, top, bottom, c, n)
	default:
		maxPool2AVX2(out, top, bottom, c, n)
	}
}

func maxUnpool2Asm(p Impl, dxTop, dxBottom, top, bottom, y, dy []float32, c int) int {
	n := poolWindows(len(y), c, vectorLanes(p))
	switch {
	case n == 0:
	case p == AVX512:
		maxUnpool2AVX512(dxTop, dxBottom, top, bottom, y, dy, c, n)
	default:
		maxUnpool2AVX2(dxTop, dxBottom, top, bottom, y, dy, c, n)
	}
	return n
}
