//go:build !purego

package kernels

// vectorLanes is the float32 lanes of path p's vectors, 0 without assembly.
func vectorLanes(p Impl) int {
	if p == NEON {
		return 4
	}
	return 0
}

// maxPool2Asm does the first n windows (poolRow checks they fit).
func maxPool2Asm(p Impl, out, top, bottom []float32, c, n int) {
	if n > 0 {
		maxPool2NEON(out, top, bottom, c, n)
	}
}

func maxUnpool2Asm(p Impl, dxTop, dxBottom, top, bottom, y, dy []float32, c int) int {
	n := poolWindows(len(y), c, vectorLanes(p))
	if n > 0 {
		maxUnpool2NEON(dxTop, dxBottom, top, bottom, y, dy, c, n)
	}
	return n
}
