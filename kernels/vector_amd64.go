//go:build !purego

package kernels

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
