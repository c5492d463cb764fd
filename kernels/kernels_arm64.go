//go:build !purego

package kernels

// NEON is baseline on arm64: no runtime check. Kernels handle whole blocks
// of four vectors (16 floats); Go finishes the tails.

func supported(p Impl) bool { return p == Generic || p == NEON }

const asmDisabled = false

func whole(p Impl, n int) int {
	if p == NEON {
		return n &^ 15
	}
	return 0
}

func axpyAsm(p Impl, a float32, x, y []float32) int {
	n := whole(p, len(x))
	if n > 0 {
		axpyNEON(a, x[:n], y[:n])
	}
	return n
}

func dotAsm(p Impl, x, y []float32) (float32, int) {
	var acc [16]float32
	n := whole(p, len(x))
	if n > 0 {
		dotNEON(x[:n], y[:n], &acc)
	}
	return sumGeneric(acc[:]), n
}

func scaleAsm(p Impl, a float32, x []float32) int {
	n := whole(p, len(x))
	if n > 0 {
		scaleNEON(a, x[:n])
	}
	return n
}

func addAsm(p Impl, dst, x, y []float32) int {
	n := whole(p, len(x))
	if n > 0 {
		addNEON(dst[:n], x[:n], y[:n])
	}
	return n
}

func addReLUAsm(p Impl, dst, x, y []float32) int {
	n := whole(p, len(x))
	if n > 0 {
		addReLUNEON(dst[:n], x[:n], y[:n])
	}
	return n
}

func reluAsm(p Impl, dst, x []float32) int {
	n := whole(p, len(x))
	if n > 0 {
		reluNEON(dst[:n], x[:n])
	}
	return n
}

func reluBackwardAsm(p Impl, dx, dy, y []float32) int {
	n := whole(p, len(y))
	if n > 0 {
		reluBackwardNEON(dx[:n], dy[:n], y[:n])
	}
	return n
}

func mulAsm(p Impl, dst, x, y []float32) int {
	n := whole(p, len(x))
	if n > 0 {
		mulNEON(dst[:n], x[:n], y[:n])
	}
	return n
}

func signAsm(p Impl, dst, x []float32) (int, bool) {
	var acc [4]uint32
	n := whole(p, len(x))
	if n > 0 {
		signNEON(dst[:n], x[:n], &acc)
	}
	return n, acc != [4]uint32{}
}

// The NEON micro-kernel reads packed panels only.
func hasStridedKernels(Impl) bool { return false }
func hasMaskedLoads(Impl) bool    { return false }
func hasMaskedStores(Impl) bool   { return false }

func microKernelAsm(p Impl, k int, a, b operand, c []float32, ldc int, alpha, beta float32, _ int) bool {
	if p != NEON {
		return false
	}
	gemmKernelNEON(k, &a.data[0], a.step, &b.data[0], b.step, &c[0], ldc, alpha, beta)
	return true
}

func packT16Asm([]float32, []float32, int, int) int { return 0 }

func fmaPeak(Impl, int) float64 { return 0 }

func directionAsm(p Impl, d Dist, w []float32, alpha float32, key Key, ctr uint32, fill bool) int {
	if p != NEON {
		return 0
	}
	n := len(w) &^ (int(blockOf(d)) - 1)
	if n == 0 {
		return 0
	}
	switch {
	case d == Rademacher && fill:
		rademacherFillNEON(w[:n], ctr, key.K0, key.K1)
	case d == Rademacher:
		rademacherAddNEON(w[:n], alpha, ctr, key.K0, key.K1)
	case fill:
		gaussianFillNEON(w[:n], ctr, key.K0, key.K1, key.K2, key.K3)
	default:
		gaussianAddNEON(w[:n], alpha, ctr, key.K0, key.K1, key.K2, key.K3)
	}
	return n
}

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

// exp64Asm: Go's arm64 math.Exp is its own assembly, not the amd64
// algorithm the vector kernels follow, so Go does every element.
func exp64Asm(Impl, []float64) (done, width int) { return 0, 0 }

func channelsFirstAsm(Impl, []float32, []float32, int, int) int      { return 0 }
func addRowsAsm(Impl, []float32, int, []float32, int, int, int) bool { return false }
