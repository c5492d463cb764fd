package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

// narrowCols2 is the C width of the AVX2 transposed kernel: ten
// accumulators and the vectors they need fit AVX2's 16 registers, and a C
// 20 wide is two calls.
const narrowCols2 = 10

// kernelT2 emits gemmKernelT10AVX2, the AVX2 form of kernelT: the tile is
// 8 rows of C by 10 columns, acc[j] holding C[0:8, j]. Row r of A comes as
// a vector (a + k·as + r, the first rows rows, under a lane mask), B element
// (k, j) is broadcast from b + k·bs + j. Each element of C gets the FMAs of
// the other kernels in the same k order, so the same bits, and every FMA
// works on 8 columns' worth of lanes where a 16-column tile of a C 10 wide
// leaves 6 of 16 idle (MyNetPlus's first convolution, whose K of 25 made
// the usual tiles' epilogue cost more than their FMAs).
func kernelT2() {
	name := fmt.Sprintf("gemmKernelT%d%s", narrowCols2, isa.AVX2.Name)
	transposed2(name, "as int", " is a transposed micro-kernel of Gemm for 8 rows of a C 10 wide; see the generator.",
		"k must be at least 1 and rows 1 to 8; beta == 0 does not read c.", false,
		func(mask reg.VecVirtual) loader {
			a, as := Load(Param("a"), GP64()), scaled("as")
			return func(av reg.VecVirtual, _ reg.Register) {
				VMASKMOVPS(Mem{Base: a}, mask, av)
				ADDQ(as, a)
			}
		})
}

// kernelTO2 emits gemmKernelTO10AVX2, kernelT2 with A element (r, k) at
// a + off[k] + r, and the bias and ReLU in the epilogue when beta is 0: the
// AVX2 form of kernelTO, which ConvPlanes and ConvPatchesGrad call twice
// for 16 rows (a tile that crosses an output row's end is two of them).
func kernelTO2() {
	name := fmt.Sprintf("gemmKernelTO%d%s", narrowCols2, isa.AVX2.Name)
	transposed2(name, "off *int", fmt.Sprintf(" is gemmKernelT%d%s with row k of Aᵀ at a + off[k]; see the generator.", narrowCols2, isa.AVX2.Name),
		"k must be at least 1 and rows 1 to 8; beta == 0 does not read c; "+biasContract, true,
		func(mask reg.VecVirtual) loader {
			a, off, at := Load(Param("a"), GP64()), Load(Param("off"), GP64()), GP64()
			return func(av reg.VecVirtual, _ reg.Register) {
				MOVQ(Mem{Base: off}, at)
				VMASKMOVPS(Mem{Base: a, Index: at, Scale: 4}, mask, av)
				ADDQ(U8(8), off)
			}
		})
}

// transposed2 emits one AVX2 transposed kernel: the header, the mask of
// the tile's rows, the K loop with the loader that setup returns for that
// mask, and the epilogue (biased: with the bias and ReLU of biasT).
func transposed2(name, aParams, doc, contract string, biased bool, setup func(mask reg.VecVirtual) loader) {
	s := isa.AVX2
	sig := "func(k int, a *float32, " + aParams + ", b *float32, bs int, c *float32, ldc int, alpha, beta float32, rows int"
	if biased {
		sig += ", bias *float32, relu bool"
	}
	TEXT(name, NOSPLIT, sig+")")
	Pragma("noescape")
	Doc(name+doc, contract)
	rows := GP64()
	MOVQ(mustAddr("rows"), rows)
	mask := s.Vec()
	VMOVUPS(s.Table("lane0", lanes(0, 8)), mask)
	VPCMPGTD(mask, s.SplatGP(rows.As32()), mask) // rows > lane
	epilogueT(s, accumulateT(s, narrowCols2, nil, setup(mask)), biased, storeT2)
}

// storeT2 stores the 8×10 tile in acc as rows of C, each plus beta·C when
// beta is given, for the first rows rows: columns 0–7 from an 8×8
// transpose, columns 8 and 9 as a pair of floats from their interleave.
func storeT2(acc []reg.VecVirtual, beta reg.VecVirtual, tag string) {
	lo, hi := YMM(), YMM()
	VUNPCKLPS(acc[9], acc[8], lo) // rows 0, 1 | 4, 5 of columns 8, 9
	VUNPCKHPS(acc[9], acc[8], hi) // rows 2, 3 | 6, 7
	out := transpose8(acc[:8])
	c, ldc := Load(Param("c"), GP64()), scaled("ldc")
	rows := Load(Param("rows"), GP64())
	done := tag + "done"
	for r, x := range out {
		if beta != nil {
			t := YMM()
			VMOVUPS(Mem{Base: c}, t)
			VMULPS(beta, t, t)
			VADDPS(t, x, x)
		}
		VMOVUPS(x, Mem{Base: c})
		storePair(pairOfRow(r, lo, hi), beta, Mem{Base: c, Disp: 4 * 8})
		if r < len(out)-1 {
			CMPQ(rows, U8(r+1))
			JE(LabelRef(done))
			ADDQ(ldc, c)
		}
	}
	Label(done)
}

// pairOfRow moves row r's columns 8 and 9 into the low 64 bits of an xmm.
func pairOfRow(r int, lo, hi reg.VecVirtual) reg.VecVirtual {
	src := []reg.VecVirtual{lo, hi}[r/2%2]
	x := XMM()
	if r >= 4 {
		VEXTRACTF128(U8(1), src, x)
	} else {
		VMOVAPS(src.AsX(), x)
	}
	if r%2 == 1 {
		VMOVHLPS(x, x, x)
	}
	return x
}

// storePair stores the low two floats of x at m, plus beta·C's two there
// when beta is given (the same two products and one add as the rest).
func storePair(x, beta reg.VecVirtual, m Mem) {
	if beta != nil {
		t := XMM()
		VMOVSD(m, t)
		VMULPS(beta.AsX(), t, t)
		VADDPS(t, x, x)
	}
	VMOVLPS(x, m)
}
