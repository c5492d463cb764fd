package kernels

import "math"

// The pure-Go references. Each is the meaning of its kernel; the assembly
// handles whole blocks and these finish the tails.

func axpyGeneric(a float32, x, y []float32) {
	for i, v := range x {
		y[i] += a * v
	}
}

func dotGeneric(x, y []float32) float32 {
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

func sumGeneric(x []float32) float32 {
	var s float32
	for _, v := range x {
		s += v
	}
	return s
}

func scaleGeneric(a float32, x []float32) {
	for i := range x {
		x[i] *= a
	}
}

func addGeneric(dst, x, y []float32) {
	for i, v := range x {
		dst[i] = v + y[i]
	}
}

func mulGeneric(dst, x, y []float32) {
	for i, v := range x {
		dst[i] = v * y[i]
	}
}

// relu keeps NaN (0 > NaN is false) so a diverged run stays visibly diverged,
// and matches VMAXPS(0, x), which returns its second operand on NaN.
func relu(v float32) float32 {
	if 0 > v {
		return 0
	}
	return v
}

func addReLUGeneric(dst, x, y []float32) {
	for i, v := range x {
		dst[i] = relu(v + y[i])
	}
}

func reluGeneric(dst, x []float32) {
	for i, v := range x {
		dst[i] = relu(v)
	}
}

func reluBackwardGeneric(dx, dy, y []float32) {
	for i, v := range y {
		if v > 0 {
			dx[i] = dy[i]
		} else {
			dx[i] = 0
		}
	}
}

// signGeneric copies each value's sign bit onto 1.0, keeping ±0 and NaN,
// and reports whether it saw ±0.
func signGeneric(dst, x []float32) (zeros bool) {
	for i, v := range x {
		b := math.Float32bits(v)
		mag := b &^ signBit
		zeros = zeros || mag == 0
		if mag != 0 && mag <= 0x7f800000 {
			dst[i] = math.Float32frombits(b&signBit | 0x3f800000)
		} else {
			dst[i] = v // ±0 stays ±0, NaN stays NaN
		}
	}
	return zeros
}

// goMax is max(a, b) with its NaN defined: b's if b is NaN, else a's. (The
// builtin's NaN bits depend on how it was compiled.)
func goMax(a, b float32) float32 {
	switch {
	case b != b:
		return b
	case a != a:
		return a
	case a == b: // equal, or ±0: +0 unless both are −0
		return math.Float32frombits(math.Float32bits(a) & math.Float32bits(b))
	case a > b:
		return a
	}
	return b
}

// rademacherGeneric sets w[i] = z(base+i) (fill) or w[i] += alpha·z(base+i).
// Adding ±alpha is exact in one rounding, the same on every path.
func rademacherGeneric(w []float32, alpha float32, key Key, base uint64, fill bool) {
	ab := math.Float32bits(alpha)
	for i := range w {
		bit := rademacherBit(key, base+uint64(i))
		if fill {
			w[i] = math.Float32frombits(0x3f800000 | bit)
		} else {
			w[i] += math.Float32frombits(ab ^ bit)
		}
	}
}

func rademacherBit(key Key, i uint64) uint32 {
	return (word(uint32(i>>5), key.K0, key.K1) >> (i & 31)) << 31
}

// gaussianGeneric sets w[i] = z(base+i) (fill) or w[i] += alpha·z(base+i),
// the product rounded before the add (no FMA) so every path agrees.
func gaussianGeneric(w []float32, alpha float32, key Key, base uint64, fill bool) {
	for i := range w {
		z := gaussianAt(key, base+uint64(i))
		if fill {
			w[i] = z
		} else {
			w[i] += mul(alpha, z)
		}
	}
}
