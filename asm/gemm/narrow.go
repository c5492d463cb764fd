package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

// narrowWidths are the C widths (the study's CNNs' output channels) that
// get a transposed micro-kernel. A 16-column tile holds 10 or 20 columns
// in 10 or 20 of its 16 or 32 lanes; the transposed tile puts 16 rows of C
// across the lanes and one column per accumulator, so every lane works.
var narrowWidths = []int{10, 20}

// kernelT emits gemmKernelT{n}AVX512, the tile Cᵀ of a C that is n wide:
// acc[j] holds C[0:16, j]. It is the mode-K kernel with the roles of the
// operands swapped: B element (k, j) is broadcast from b + k·bs + j, the
// rows of A come as vectors, element (r, k) at a + k·as + r under mask (the
// first rows rows), and row r of C is c + r·ldc. Each element of C gets
// the same FMAs in the same k order as in the other kernels, so the same
// bits. The tile is transposed back in registers (AMD's scatters cost
// more than the FMAs of a K of 25) and stored a row of C at a time.
func kernelT(n int) {
	name := fmt.Sprintf("gemmKernelT%d%s", n, isa.AVX512.Name)
	transposed(name, "as int", " is a transposed micro-kernel of Gemm for C of width "+fmt.Sprint(n)+"; see the generator.",
		"k and rows must be at least 1, mask the low rows bits; beta == 0 does not read c.", n, true, false,
		func() loader {
			a, as := Load(Param("a"), GP64()), scaled("as")
			return func(av reg.VecVirtual, mask reg.Register) {
				VMOVUPS_Z(Mem{Base: a}, mask, av)
				ADDQ(as, a)
			}
		})
}

// kernelTO emits gemmKernelTO{n}AVX512, kernelT with A element (r, k) at
// a + off[k] + r: a convolution's patches read straight from its input
// (off[k] is kernel offset k's distance in the image), without im2col.
// It and kernelTH also add the layer's bias and its ReLU when beta is 0
// (biasT): a convolution's output then gets no separate pass for them.
func kernelTO(n int) {
	name := fmt.Sprintf("gemmKernelTO%d%s", n, isa.AVX512.Name)
	transposed(name, "off *int", fmt.Sprintf(" is gemmKernelT%d%s with row k of Aᵀ at a + off[k]; see the generator.", n, isa.AVX512.Name),
		"k and rows must be at least 1, mask the low rows bits; beta == 0 does not read c; "+biasContract, n, true, true,
		func() loader {
			a, off, at := Load(Param("a"), GP64()), Load(Param("off"), GP64()), GP64()
			return func(av reg.VecVirtual, mask reg.Register) {
				MOVQ(Mem{Base: off}, at)
				VMOVUPS_Z(Mem{Base: a, Index: at, Scale: 4}, mask, av)
				ADDQ(U8(8), off)
			}
		})
}

// kernelTH emits gemmKernelTH{n}AVX512, kernelTO with the tile's 16 rows
// in two halves of 8 from two places: lanes 0–7 at a + off[k], lanes 8–15
// at a + half + off[k]: a tile of 16 consecutive output pixels that
// crosses the end of an output row 8 pixels in (rows 8 or 24 wide, the
// study's two convolutions). The pixels are consecutive rows of C, but the
// two rows' inputs are not contiguous.
func kernelTH(n int) {
	name := fmt.Sprintf("gemmKernelTH%d%s", n, isa.AVX512.Name)
	transposed(name, "off *int, half int", fmt.Sprintf(" is gemmKernelTO%d%s with rows 8–15 of the tile at a + half; see the generator.", n, isa.AVX512.Name),
		"k must be at least 1 and rows 16; beta == 0 does not read c; "+biasContract, n, false, true,
		func() loader {
			a, off, at := Load(Param("a"), GP64()), Load(Param("off"), GP64()), GP64()
			a2 := GP64()
			MOVQ(mustAddr("half"), a2)
			LEAQ(Mem{Base: a, Index: a2, Scale: 4}, a2)
			return func(av reg.VecVirtual, _ reg.Register) {
				MOVQ(Mem{Base: off}, at)
				VMOVUPS(Mem{Base: a, Index: at, Scale: 4}, av.AsY())
				VINSERTF32X8(U8(1), Mem{Base: a2, Index: at, Scale: 4}, av, av)
				ADDQ(U8(8), off)
			}
		})
}

// loader emits the load of one vector of A, under mask, and the step to
// the next k.
type loader func(av reg.VecVirtual, mask reg.Register)

// biasContract is the contract of the bias and relu operands.
const biasContract = "with beta == 0, bias (if not nil) is added to each row of C, then ReLU if relu."

// transposed emits one transposed kernel named name, whose A is addressed
// by the parameters aParams (after a *float32): the header, the K loop
// with the loader that setup returns, and the epilogue. masked kernels
// take a mask of the tile's rows (a partial tile); the others are whole.
// biased kernels take a bias and a relu flag (biasT).
func transposed(name, aParams, doc, contract string, n int, masked, biased bool, setup func() loader) {
	s := isa.AVX512
	sig := "func(k int, a *float32, " + aParams + ", b *float32, bs int, c *float32, ldc int, alpha, beta float32"
	if masked {
		sig += ", mask uint16"
	}
	sig += ", rows int"
	if biased {
		sig += ", bias *float32, relu bool"
	}
	TEXT(name, NOSPLIT, sig+")")
	Pragma("noescape")
	Doc(name+doc, contract)
	load := setup()
	var mask reg.Register
	if masked {
		mask = loadMask()
	}
	epilogueT(s, accumulateT(s, n, mask, load), biased, storeTransposed)
}

// storer stores a transposed tile as rows of C, each plus beta·C when beta
// is given; tag keeps its labels apart.
type storer func(acc []reg.VecVirtual, beta reg.VecVirtual, tag string)

// epilogueT scales the transposed tile by alpha and stores it, adding
// beta·C unless beta is zero, and otherwise the bias and ReLU if biased.
func epilogueT(s isa.ISA, acc []reg.VecVirtual, biased bool, store storer) {
	alpha := s.Splat("alpha")
	for _, v := range acc {
		VMULPS(alpha, v, v)
	}
	bits := GP32()
	MOVL(mustAddr("beta"), bits)
	ANDL(U32(0x7fffffff), bits)
	JNZ(LabelRef("withbeta"))
	if biased {
		biasT(s, acc)
	}
	store(acc, nil, "z")
	s.Ret()
	Label("withbeta")
	store(acc, s.Splat("beta"), "b")
	s.Ret()
}

// biasT adds bias[j] to column j of the tile (acc[j]), unless bias is
// nil, then takes max(0, ·) if relu: BiasAddTo's sums and ReLU on the
// stored product (alpha is 1 where they are used), made before the
// transpose so that it is one broadcast add per column, not per row.
func biasT(s isa.ISA, acc []reg.VecVirtual) {
	bias := Load(Param("bias"), GP64())
	TESTQ(bias, bias)
	JZ(LabelRef("biased"))
	for j, v := range acc {
		bj := Mem{Base: bias, Disp: 4 * j}
		if s.Wide() {
			VADDPS_BCST(bj, v, v)
			continue
		}
		t := s.Vec()
		VBROADCASTSS(bj, t)
		VADDPS(t, v, v)
	}
	Label("biased")
	relu := Load(Param("relu"), GP8())
	TESTB(relu, relu)
	JZ(LabelRef("rectified"))
	zero := s.Vec()
	s.Zero(zero)
	for _, v := range acc {
		VMAXPS(v, zero, v) // 0 > v ? 0 : v, so NaN and −0 pass, as relu
	}
	Label("rectified")
}

// accumulateT is the K loop of the transposed kernels: one vector of A
// (loaded and advanced by loadA), n broadcast FMAs (AVX2 broadcasts B into
// a register first: it has no embedded broadcast).
func accumulateT(s isa.ISA, n int, mask reg.Register, loadA loader) []reg.VecVirtual {
	acc := s.Vecs(n)
	for _, v := range acc {
		s.Zero(v)
	}
	k := Load(Param("k"), GP64())
	b, bs := Load(Param("b"), GP64()), scaled("bs")
	Label("loop")
	av := s.Vec()
	loadA(av, mask)
	for j, v := range acc {
		bj := Mem{Base: b, Disp: 4 * j}
		if s.Wide() {
			VFMADD231PS_BCST(bj, av, v)
			continue
		}
		t := s.Vec()
		VBROADCASTSS(bj, t)
		VFMADD231PS(t, av, v)
	}
	ADDQ(bs, b)
	DECQ(k)
	JNZ(LabelRef("loop"))
	return acc
}

// storeTransposed stores the columns in acc, 16 at a time: transposed to
// rows of C, each plus beta·C when beta is given (the two products and one
// add of the other epilogues), for the first rows rows.
func storeTransposed(acc []reg.VecVirtual, beta reg.VecVirtual, tag string) {
	for lo := 0; lo < len(acc); lo += 16 {
		cols := acc[lo:min(lo+16, len(acc))]
		out := transpose16(cols)
		colMask := K()
		m := GP32()
		MOVL(U32(1<<len(cols)-1), m)
		KMOVW(m, colMask)
		c, ldc := Load(Param("c"), GP64()), scaled("ldc")
		rows := Load(Param("rows"), GP64())
		done := fmt.Sprintf("%sdone%d", tag, lo)
		for r, x := range out {
			at := Mem{Base: c, Disp: 4 * lo}
			if beta != nil {
				t := ZMM()
				VMOVUPS_Z(at, colMask, t)
				VMULPS(beta, t, t)
				VADDPS(t, x, x)
			}
			VMOVUPS(x, colMask, at)
			if r < len(out)-1 {
				CMPQ(rows, U8(r+1))
				JE(LabelRef(done))
				ADDQ(ldc, c)
			}
		}
		Label(done)
	}
}

// transpose16 returns the rows of the 16×16 block whose columns are cols
// (missing columns zero): out[r] lane j is cols[j] lane r. Unpacks, then
// shuffles within 128-bit blocks, then two rounds of block shuffles.
func transpose16(cols []reg.VecVirtual) []reg.VecVirtual {
	in := make([]reg.VecVirtual, 16)
	copy(in, cols)
	if len(cols) < 16 {
		zero := ZMM()
		VPXORD(zero, zero, zero)
		for i := len(cols); i < 16; i++ {
			in[i] = zero
		}
	}
	t := make([]reg.VecVirtual, 16) // per block β: pairs of lanes 4β…4β+3
	for i := 0; i < 16; i += 2 {
		t[i], t[i+1] = ZMM(), ZMM()
		VUNPCKLPS(in[i+1], in[i], t[i])
		VUNPCKHPS(in[i+1], in[i], t[i+1])
	}
	u := make([]reg.VecVirtual, 16) // u[4g+q] block β: columns 4g…4g+3 of lane 4β+q
	for g := 0; g < 16; g += 4 {
		for q, src := range [][2]int{{0, 2}, {0, 2}, {1, 3}, {1, 3}} {
			u[g+q] = ZMM()
			VSHUFPS(U8([]uint8{0x44, 0xee}[q%2]), t[g+src[1]], t[g+src[0]], u[g+q])
		}
	}
	out := make([]reg.VecVirtual, 16)
	for q := 0; q < 4; q++ {
		lo01, hi01 := blocks(u[q], u[4+q])    // groups 0 and 1
		lo23, hi23 := blocks(u[8+q], u[12+q]) // groups 2 and 3
		out[q], out[4+q] = blocks2(lo01, lo23)
		out[8+q], out[12+q] = blocks2(hi01, hi23)
	}
	return out
}

// blocks returns [x₀ x₁ y₀ y₁] and [x₂ x₃ y₂ y₃] in 128-bit blocks.
func blocks(x, y reg.VecVirtual) (lo, hi reg.VecVirtual) {
	lo, hi = ZMM(), ZMM()
	VSHUFF32X4(U8(0x44), y, x, lo)
	VSHUFF32X4(U8(0xee), y, x, hi)
	return lo, hi
}

// blocks2 returns [x₀ x₂ y₀ y₂] and [x₁ x₃ y₁ y₃] in 128-bit blocks.
func blocks2(x, y reg.VecVirtual) (even, odd reg.VecVirtual) {
	even, odd = ZMM(), ZMM()
	VSHUFF32X4(U8(0x88), y, x, even)
	VSHUFF32X4(U8(0xdd), y, x, odd)
	return even, odd
}
