// Command vector generates the AVX2 and AVX-512 vector kernels of package
// kernels: axpy, dot, scale, add, addReLU, mul, relu, reluBackward, sign (whole blocks of four vectors), crossEntropyColumns
// (one vector of columns at a time), the 2×2 max-pooling of a row of
// windows (pool.go), column sums (colsum.go), the bytes-to-float32
// normalization and cache-line prefetch that gather MNIST batches
// (bytes.go), and math.Exp on vectors of doubles for the softmax
// (exp64.go), and rows added into strided rows for col2im (rows.go,
// AVX-512 only). Go finishes the tail.
package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

func main() {
	ConstraintExpr("!purego")
	for _, s := range isa.All {
		axpy(s)
		dot(s)
		scale(s)
		add(s, "add", false)
		add(s, "addReLU", true)
		mul(s)
		relu(s)
		reluBackward(s)
		sign(s)
		crossEntropyColumns(s)
		maxPool2(s)
		maxUnpool2(s)
		for vecs := 1; vecs <= 4; vecs++ {
			columnSums(s, vecs)
		}
		affineBytes(s)
		exp64(s)
	}
	prefetchLines()
	addRows()
	Generate()
}

func begin(s isa.ISA, name, sig, doc string) {
	TEXT(s.Fn(name), NOSPLIT, sig)
	Pragma("noescape")
	Doc(s.Fn(name)+" is "+doc, "len must be a multiple of one vector.")
}

func ptr(name string) reg.Register { return Load(Param(name).Base(), GP64()) }

func length(name string) reg.Register { return Load(Param(name).Len(), GP64()) }

func at(p reg.Register, disp int) Mem { return Mem{Base: p, Disp: disp} }

func axpy(s isa.ISA) {
	begin(s, "axpy", "func(a float32, x, y []float32)", "y[i] += a*x[i] with FMA.")
	a := s.Splat("a")
	x, y, n := ptr("x"), ptr("y"), length("x")
	t := s.Vecs(4)
	s.Blocks(n, []reg.Register{x, y}, func(u, d int) {
		VMOVUPS(at(y, d), t[u])
		VFMADD231PS(at(x, d), a, t[u])
		VMOVUPS(t[u], at(y, d))
	})
	s.Ret()
}

// reduce emits four accumulators, folded ((0+1)+(2+3)) and stored to *acc
// for Go to sum lane by lane in a fixed order. The accumulators are
// AVX-512's whatever the path: AVX2 keeps each as two ymm halves and walks
// x in AVX-512's blocks, so every lane sums the same elements in the same
// order and Dot and Sum give the same bits on both paths.
func reduce(s isa.ISA, name, sig, doc string) {
	begin(s, name, sig, doc)
	halves := isa.AVX512.Lanes / s.Lanes
	acc := make([][]reg.VecVirtual, 4) // acc[u][h]: lanes h·s.Lanes… of AVX-512's accumulator u
	for u := range acc {
		acc[u] = s.Vecs(halves)
		for _, v := range acc[u] {
			s.Zero(v)
		}
	}
	x, n := ptr("x"), length("x")
	ptrs := []reg.Register{x}
	var y reg.Register
	if name == "dot" {
		y = ptr("y")
		ptrs = append(ptrs, y)
	}
	isa.AVX512.Blocks(n, ptrs, func(u, d int) {
		for h, a := range acc[u] {
			disp := d + h*s.Bytes()
			if y == nil {
				VADDPS(at(x, disp), a, a)
				continue
			}
			t := s.Vec()
			VMOVUPS(at(x, disp), t)
			VFMADD231PS(at(y, disp), t, a)
		}
	})
	out := Load(Param("acc"), GP64())
	for h := range acc[0] {
		VADDPS(acc[1][h], acc[0][h], acc[0][h])
		VADDPS(acc[3][h], acc[2][h], acc[2][h])
		VADDPS(acc[2][h], acc[0][h], acc[0][h])
		VMOVUPS(acc[0][h], at(out, h*s.Bytes()))
	}
	s.Ret()
}

func dot(s isa.ISA) {
	reduce(s, "dot", "func(x, y []float32, acc *[16]float32)", "the lane sums of x[i]*y[i] stored to acc.")
}

func scale(s isa.ISA) {
	begin(s, "scale", "func(a float32, x []float32)", "x[i] *= a.")
	a := s.Splat("a")
	x, n := ptr("x"), length("x")
	t := s.Vecs(4)
	s.Blocks(n, []reg.Register{x}, func(u, d int) {
		VMULPS(at(x, d), a, t[u])
		VMOVUPS(t[u], at(x, d))
	})
	s.Ret()
}

func add(s isa.ISA, name string, withReLU bool) {
	doc := "dst[i] = x[i] + y[i]."
	if withReLU {
		doc = "dst[i] = max(x[i] + y[i], 0), NaN kept."
	}
	binary(s, name, doc, VADDPS, withReLU)
}

func mul(s isa.ISA) { binary(s, "mul", "dst[i] = x[i] * y[i].", VMULPS, false) }

// binary is dst[i] = op(x[i], y[i]), then max(·, 0) withReLU.
func binary(s isa.ISA, name, doc string, op func(...Op), withReLU bool) {
	begin(s, name, "func(dst, x, y []float32)", doc)
	dst, x, y, n := ptr("dst"), ptr("x"), ptr("y"), length("x")
	var zero reg.VecVirtual
	if withReLU {
		zero = s.Vec()
		s.Zero(zero)
	}
	t := s.Vecs(4)
	s.Blocks(n, []reg.Register{dst, x, y}, func(u, d int) {
		VMOVUPS(at(x, d), t[u])
		op(at(y, d), t[u], t[u])
		if withReLU {
			VMAXPS(t[u], zero, t[u]) // 0 > t ? 0 : t, so NaN passes
		}
		VMOVUPS(t[u], at(dst, d))
	})
	s.Ret()
}

func relu(s isa.ISA) {
	begin(s, "relu", "func(dst, x []float32)", "dst[i] = max(x[i], 0), NaN kept.")
	dst, x, n := ptr("dst"), ptr("x"), length("x")
	zero := s.Vec()
	s.Zero(zero)
	t := s.Vecs(4)
	s.Blocks(n, []reg.Register{dst, x}, func(u, d int) {
		VMAXPS(at(x, d), zero, t[u])
		VMOVUPS(t[u], at(dst, d))
	})
	s.Ret()
}

const cmpLT = 0x11 // _CMP_LT_OQ: false for NaN

func reluBackward(s isa.ISA) {
	begin(s, "reluBackward", "func(dx, dy, y []float32)", "dx[i] = dy[i] if y[i] > 0 else 0.")
	dx, dy, y, n := ptr("dx"), ptr("dy"), ptr("y"), length("y")
	zero := s.Vec()
	s.Zero(zero)
	t := s.Vecs(4)
	s.Blocks(n, []reg.Register{dx, dy, y}, func(u, d int) {
		if s.Wide() {
			k := K()
			VCMPPS(U8(cmpLT), at(y, d), zero, k)
			VMOVUPS_Z(at(dy, d), k, t[u])
		} else {
			VCMPPS(U8(cmpLT), at(y, d), zero, t[u])
			VANDPS(at(dy, d), t[u], t[u])
		}
		VMOVUPS(t[u], at(dx, d))
	})
	s.Ret()
}

// Comparison predicates of VCMPPS.
const (
	cmpEQ    = 0x00 // _CMP_EQ_OQ: false for NaN
	cmpUnord = 0x03 // _CMP_UNORD_Q: true if either is NaN
	cmpNEQ   = 0x0c // _CMP_NEQ_OQ: false for NaN
)

// goMax is max(x, y) as Go computes it, in a new register: +0 for a tie
// of ±0, y if it is NaN, else x if it is. VMAXPS returns its second
// operand on a NaN or a tie, so two of them and an AND make it.
func goMax(s isa.ISA, x, y reg.VecVirtual) reg.VecVirtual {
	r, t := s.Vec(), s.Vec()
	VMAXPS(y, x, r) // x > y ? x : y
	VMAXPS(x, y, t) // y > x ? y : x
	s.And(t, r, r)
	whereNaN(s, x, r)
	whereNaN(s, y, r)
	return r
}

// whereNaN sets the lanes of dst where v is NaN to v.
func whereNaN(s isa.ISA, v, dst reg.VecVirtual) {
	if s.Wide() {
		k := K()
		VCMPPS(U8(cmpUnord), v, v, k)
		VBLENDMPS(v, dst, k, dst)
		return
	}
	m := s.Vec()
	VCMPPS(U8(cmpUnord), v, v, m)
	VBLENDVPS(m, v, dst, dst)
}

// sign is 1.0 with x's sign bit where x is neither ±0 nor NaN, else x;
// it also ORs together the lanes' x == ±0 tests and stores the result
// to *zeros (a lane bit mask), so signSGD learns whether any gradient is
// zero without a second pass.
func sign(s isa.ISA) {
	begin(s, "sign", "func(dst, x []float32, zeros *uint32)",
		"dst[i] = ±1 with x[i]'s sign, or x[i] if it is ±0 or NaN; *zeros is nonzero if any x[i] is ±0.")
	dst, x, n := ptr("dst"), ptr("x"), length("x")
	zero := s.Vec()
	s.Zero(zero)
	var anyZero reg.Register
	var acc reg.VecVirtual
	if s.Wide() {
		anyZero = K()
		KXORW(anyZero, anyZero, anyZero)
	} else {
		acc = s.Vec()
		s.Zero(acc)
	}
	s.Blocks(n, []reg.Register{dst, x}, func(_, d int) {
		xv, unit := s.Vec(), s.Vec()
		VMOVUPS(at(x, d), xv)
		s.And(s.Const(0x80000000), xv, unit)
		VORPS(s.Const(0x3f800000), unit, unit) // ±1.0
		if s.Wide() {
			nonzero, isZero := K(), K()
			VCMPPS(U8(cmpEQ), zero, xv, isZero)
			KORW(isZero, anyZero, anyZero)
			VCMPPS(U8(cmpNEQ), zero, xv, nonzero)
			VBLENDMPS(unit, xv, nonzero, xv)
		} else {
			nonzero, isZero := s.Vec(), s.Vec()
			VCMPPS(U8(cmpEQ), zero, xv, isZero)
			VORPS(isZero, acc, acc)
			VCMPPS(U8(cmpNEQ), zero, xv, nonzero)
			VBLENDVPS(nonzero, unit, xv, xv)
		}
		VMOVUPS(xv, at(dst, d))
	})
	out := GP32()
	if s.Wide() {
		KMOVW(anyZero, out)
	} else {
		VMOVMSKPS(acc, out)
	}
	MOVL(out, Mem{Base: Load(Param("zeros"), GP64())})
	s.Ret()
}
