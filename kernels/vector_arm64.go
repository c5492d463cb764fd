//go:build !purego

package kernels

// NEON is baseline on arm64: no runtime check. Kernels handle whole blocks
// of four vectors (16 floats); Go finishes the tails.

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
