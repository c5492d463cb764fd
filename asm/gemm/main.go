// Command gemm generates the GEMM micro-kernels of package kernels:
// C[0:mr, 0:16] = alpha·Σₖ a[k]⊗b[k] + beta·C, with a packed k-major (mr
// floats per k) and b packed k-major (16 floats per k).
//
// AVX-512: mr = 16, one zmm accumulator per row, A broadcast straight from
// memory by the FMA (embedded broadcast). AVX2: mr = 6, two ymm per row, 12
// accumulators, the most that leave room for B and a broadcast in 16
// registers. Zen 4 has two 256-bit FMA pipes with 4-cycle latency, so both
// keep at least 8 independent FMAs in flight.
package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

const nr = 16

func main() {
	ConstraintExpr("!purego")
	kernel(isa.AVX2, 6)
	kernel(isa.AVX512, 16)
	for _, s := range isa.All {
		fmaPeak(s)
	}
	Generate()
}

func kernel(s isa.ISA, mr int) {
	TEXT(s.Fn("gemmKernel"), NOSPLIT, "func(k int, a, b, c *float32, ldc int, alpha, beta float32)")
	Pragma("noescape")
	Doc(s.Fn("gemmKernel")+" is the micro-kernel of Gemm; see the generator for the layout.",
		"k must be at least 1; beta == 0 does not read c.")
	vecs := nr / s.Lanes // vectors per row
	acc := make([][]reg.VecVirtual, mr)
	for r := range acc {
		acc[r] = s.Vecs(vecs)
		for _, v := range acc[r] {
			s.Zero(v)
		}
	}
	k := Load(Param("k"), GP64())
	a, b := Load(Param("a"), GP64()), Load(Param("b"), GP64())
	Label("loop")
	bv := s.Vecs(vecs)
	for v := range bv {
		VMOVUPS(Mem{Base: b, Disp: v * s.Bytes()}, bv[v])
	}
	for r := 0; r < mr; r++ {
		fmaRow(s, Mem{Base: a, Disp: 4 * r}, bv, acc[r])
	}
	ADDQ(U32(4*mr), a)
	ADDQ(U32(4*nr), b)
	DECQ(k)
	JNZ(LabelRef("loop"))
	epilogue(s, acc)
}

// fmaRow adds a[r]·b to one row of accumulators.
func fmaRow(s isa.ISA, ar Mem, bv, acc []reg.VecVirtual) {
	if s.Wide() {
		for v := range bv {
			VFMADD231PS_BCST(ar, bv[v], acc[v])
		}
		return
	}
	t := s.Vec()
	VBROADCASTSS(ar, t)
	for v := range bv {
		VFMADD231PS(bv[v], t, acc[v])
	}
}

// epilogue stores alpha·acc (beta == 0) or alpha·acc + beta·C, as two
// products and one add: the Go edge-tile merge does the same, so full and
// edge tiles round identically.
func epilogue(s isa.ISA, acc [][]reg.VecVirtual) {
	alpha := s.Splat("alpha")
	for _, row := range acc {
		for _, v := range row {
			VMULPS(alpha, v, v)
		}
	}
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldc)
	// beta == 0 (either sign) has no bits but the sign; NaN is not zero.
	b, err := Param("beta").Resolve()
	if err != nil {
		panic(err)
	}
	bits := GP32()
	MOVL(b.Addr, bits)
	ANDL(U32(0x7fffffff), bits)
	JNZ(LabelRef("withbeta"))
	storeRows(s, acc, c, ldc, nil)
	s.Ret()
	Label("withbeta")
	storeRows(s, acc, c, ldc, s.Splat("beta"))
	s.Ret()
}

func storeRows(s isa.ISA, acc [][]reg.VecVirtual, c, ldc reg.Register, beta reg.VecVirtual) {
	for r, row := range acc {
		for v, x := range row {
			m := Mem{Base: c, Disp: v * s.Bytes()}
			if beta != nil {
				t := s.Vec()
				VMULPS(m, beta, t)
				VADDPS(t, x, x)
			}
			VMOVUPS(x, m)
		}
		if r < len(acc)-1 {
			ADDQ(ldc, c)
		}
	}
}

// peakChains independent FMA chains cover the 4-cycle latency of both FMA
// pipes three times over, so the loop runs at the FMA throughput limit.
const peakChains = 12

// fmaPeak measures this core's FMA throughput for the benchmarks' "% of
// peak" figures: n iterations of peakChains register-only FMAs.
func fmaPeak(s isa.ISA) {
	TEXT(s.Fn("fmaPeak"), NOSPLIT, "func(n int, out *[16]float32)")
	Pragma("noescape")
	Doc(s.Fn("fmaPeak")+" runs n×12 independent vector FMAs and stores one lane sum to out.")
	acc := s.Vecs(peakChains)
	x := s.Vec()
	VMOVUPS(s.Const(0x3f7fffff), x) // just under 1: the chains stay finite
	for _, v := range acc {
		VMOVUPS(x, v)
	}
	n := Load(Param("n"), GP64())
	Label("loop")
	for _, v := range acc {
		VFMADD213PS(x, x, v) // v = x·v + x
	}
	DECQ(n)
	JNZ(LabelRef("loop"))
	for _, v := range acc[1:] {
		VADDPS(v, acc[0], acc[0])
	}
	VMOVUPS(acc[0], Mem{Base: Load(Param("out"), GP64())})
	s.Ret()
}
