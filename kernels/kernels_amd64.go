//go:build !purego

package kernels

import "github.com/klauspost/cpuid/v2"

// Detected once; cpuid also checks that the OS saves the vector state.
var (
	hasAVX2   = cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3)
	hasAVX512 = hasAVX2 && cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512VL)
)

func supported(p Impl) bool {
	switch p {
	case Generic:
		return true
	case AVX2:
		return hasAVX2
	case AVX512:
		return hasAVX512
	}
	return false
}

// whole is the largest multiple of the path's vector width ≤ n: the
// kernels run blocks of four vectors, then single vectors.
func whole(p Impl, n int) int {
	switch p {
	case AVX512:
		return n &^ 15
	case AVX2:
		return n &^ 7
	}
	return 0
}

// axpyAsm leaves the same tail to Go on every path, the last len(x) mod
// 16 elements: the assembly fuses a·x + y and Go's amd64 code does not, so
// a boundary at AVX2's 8 floats would give elements 8 to 15 of a tail
// other bits than AVX-512 does, and every momentum update would drift.
func axpyAsm(p Impl, a float32, x, y []float32) int {
	n := len(x) &^ (axpyTail - 1)
	switch {
	case n == 0:
	case p == AVX512:
		axpyAVX512(a, x[:n], y[:n])
	case p == AVX2:
		axpyAVX2(a, x[:n], y[:n])
	default:
		return 0
	}
	return n
}

// dotAsm and sumAsm run AVX-512's blocks and accumulators on both paths
// (the generator's reduce) and leave the same tail to Go, so their sums
// have the same bits on both.
func dotAsm(p Impl, x, y []float32) (float32, int) {
	var acc [16]float32
	n := whole(AVX512, len(x))
	switch {
	case n == 0:
	case p == AVX512:
		dotAVX512(x[:n], y[:n], &acc)
	case p == AVX2:
		dotAVX2(x[:n], y[:n], &acc)
	default:
		return 0, 0
	}
	return sumGeneric(acc[:]), n
}

func scaleAsm(p Impl, a float32, x []float32) int {
	n := whole(p, len(x))
	switch {
	case n == 0:
	case p == AVX512:
		scaleAVX512(a, x[:n])
	default:
		scaleAVX2(a, x[:n])
	}
	return n
}

func addAsm(p Impl, dst, x, y []float32) int {
	n := whole(p, len(x))
	switch {
	case n == 0:
	case p == AVX512:
		addAVX512(dst[:n], x[:n], y[:n])
	default:
		addAVX2(dst[:n], x[:n], y[:n])
	}
	return n
}

func addReLUAsm(p Impl, dst, x, y []float32) int {
	n := whole(p, len(x))
	switch {
	case n == 0:
	case p == AVX512:
		addReLUAVX512(dst[:n], x[:n], y[:n])
	default:
		addReLUAVX2(dst[:n], x[:n], y[:n])
	}
	return n
}

func reluAsm(p Impl, dst, x []float32) int {
	n := whole(p, len(x))
	switch {
	case n == 0:
	case p == AVX512:
		reluAVX512(dst[:n], x[:n])
	default:
		reluAVX2(dst[:n], x[:n])
	}
	return n
}

func reluBackwardAsm(p Impl, dx, dy, y []float32) int {
	n := whole(p, len(y))
	switch {
	case n == 0:
	case p == AVX512:
		reluBackwardAVX512(dx[:n], dy[:n], y[:n])
	default:
		reluBackwardAVX2(dx[:n], dy[:n], y[:n])
	}
	return n
}

const asmDisabled = false

func signAsm(p Impl, dst, x []float32) (int, bool) {
	var zeros uint32
	n := whole(p, len(x))
	switch {
	case n == 0:
	case p == AVX512:
		signAVX512(dst[:n], x[:n], &zeros)
	default:
		signAVX2(dst[:n], x[:n], &zeros)
	}
	return n, zeros != 0
}

func mulAsm(p Impl, dst, x, y []float32) int {
	n := whole(p, len(x))
	switch {
	case n == 0:
	case p == AVX512:
		mulAVX512(dst[:n], x[:n], y[:n])
	default:
		mulAVX2(dst[:n], x[:n], y[:n])
	}
	return n
}

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

// addRowsAsm does AddRows on AVX-512 (rows, n ≥ 1) and reports whether it
// did.
func addRowsAsm(p Impl, dst []float32, ldd int, src []float32, lds, rows, n int) bool {
	if p != AVX512 {
		return false
	}
	addRowsAVX512(&dst[0], ldd, &src[0], lds, rows, n/16, uint16(1)<<(n%16)-1)
	return true
}
