package kernels

import "math"

// Axpy is `for i, v := range x { y[i] += a * v }`; len(y) must be ≥ len(x).
func Axpy(a float32, x, y []float32) { axpy(active, a, x, y) }

// axpyTail is where axpy's assembly stops on every path: the last
// len(x) mod axpyTail elements are Go's, unfused, so the bits do not depend
// on the path's vector width.
const axpyTail = 16

func axpy(p Impl, a float32, x, y []float32) {
	if len(y) < len(x) {
		panic("kernels: Axpy: len(y) < len(x)")
	}
	n := axpyAsm(p, a, x, y)
	axpyGeneric(a, x[n:], y[n:len(x)])
}

// Dot is `for i, v := range x { s += v * y[i] }`, summed in a path-dependent
// order; len(y) must be ≥ len(x).
func Dot(x, y []float32) float32 { return dot(active, x, y) }

func dot(p Impl, x, y []float32) float32 {
	if len(y) < len(x) {
		panic("kernels: Dot: len(y) < len(x)")
	}
	s, n := dotAsm(p, x, y)
	return s + dotGeneric(x[n:], y[n:len(x)])
}

// Scale is `for i := range x { x[i] *= a }`.
func Scale(a float32, x []float32) { scale(active, a, x) }

func scale(p Impl, a float32, x []float32) {
	n := scaleAsm(p, a, x)
	scaleGeneric(a, x[n:])
}

// Add is `for i, v := range x { dst[i] = v + y[i] }`; dst may be x or y.
func Add(dst, x, y []float32) { add(active, dst, x, y) }

func add(p Impl, dst, x, y []float32) {
	checkBinary("kernels: Add: len(dst) or len(y) < len(x)", dst, x, y)
	n := addAsm(p, dst, x, y)
	addGeneric(dst[n:], x[n:], y[n:len(x)])
}

func addReLU(p Impl, dst, x, y []float32) {
	checkBinary("kernels: addReLU: len(dst) or len(y) < len(x)", dst, x, y)
	n := addReLUAsm(p, dst, x, y)
	addReLUGeneric(dst[n:], x[n:], y[n:len(x)])
}

// ReLU is `dst[i] = max(x[i], 0)`, NaN kept; dst may be x.
func ReLU(dst, x []float32) { reluK(active, dst, x) }

func reluK(p Impl, dst, x []float32) {
	if len(dst) < len(x) {
		panic("kernels: ReLU: len(dst) < len(x)")
	}
	n := reluAsm(p, dst, x)
	reluGeneric(dst[n:], x[n:])
}

// ReLUBackward is `dx[i] = dy[i] if y[i] > 0 else 0`, with y the ReLU output;
// dx may be dy.
func ReLUBackward(dx, dy, y []float32) { reluBackward(active, dx, dy, y) }

func reluBackward(p Impl, dx, dy, y []float32) {
	if len(dx) < len(y) || len(dy) < len(y) {
		panic("kernels: ReLUBackward: len(dx) or len(dy) < len(y)")
	}
	n := reluBackwardAsm(p, dx, dy, y)
	reluBackwardGeneric(dx[n:], dy[n:], y[n:])
}

// Sign is `dst[i] = 1 if x[i] > 0, -1 if x[i] < 0, else x[i]` (±0 and NaN
// pass through) and reports whether any x[i] is ±0, which signSGD then
// replaces with random signs.
func Sign(dst, x []float32) (zeros bool) { return sign(active, dst, x) }

func sign(p Impl, dst, x []float32) bool {
	if len(dst) < len(x) {
		panic("kernels: Sign: len(dst) < len(x)")
	}
	n, zeros := signAsm(p, dst, x)
	return signGeneric(dst[n:], x[n:]) || zeros
}

// Mul is `dst[i] = x[i] * y[i]`; dst may be x or y.
func Mul(dst, x, y []float32) { product(active, dst, x, y) }

func product(p Impl, dst, x, y []float32) {
	checkBinary("kernels: Mul: len(dst) or len(y) < len(x)", dst, x, y)
	n := mulAsm(p, dst, x, y)
	mulGeneric(dst[n:], x[n:], y[n:len(x)])
}

func checkBinary(msg string, dst, x, y []float32) {
	if len(dst) < len(x) || len(y) < len(x) {
		panic(msg)
	}
}

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

const signBit = 0x80000000
