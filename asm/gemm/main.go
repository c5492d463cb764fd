// Command gemm generates the GEMM micro-kernels of package kernels:
// C[0:mr, 0:16] = alpha·Σₖ A[:,k]⊗B[k,:] + beta·C, reading A and B in place
// or from packed panels (the strides say which).
//
// AVX-512: mr = 16, one zmm accumulator per row, A broadcast straight from
// memory by the FMA (embedded broadcast). AVX2: mr = 6, two ymm per row, 12
// accumulators, the most that leave room for B and a broadcast in 16
// registers. Zen 4 has two 256-bit FMA pipes with 4-cycle latency, so both
// keep at least 8 independent FMAs in flight.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

const nr = 16

func main() {
	ConstraintExpr("!purego")
	for _, rowMajor := range []bool{false, true} {
		kernel(isa.AVX2, 6, rowMajor)
		kernel(isa.AVX512, 16, rowMajor)
	}
	for _, n := range narrowWidths {
		kernelT(n)
		kernelTO(n)
		kernelTH(n)
	}
	kernelT2()
	kernelTO2()
	for _, k := range tapsSizes {
		kernelTaps(k)
	}
	for _, s := range isa.All {
		fmaPeak(s)
	}
	packT16()
	channelsFirst()
	channelsFirst2()
	Generate()
}

// kernel emits gemmKernel{K,R}{ISA}. B element (k, j) is at b + k·bs + j.
// Mode K: A element (r, k) is at a + k·as + r (a packed micro-panel, or Aᵀ
// read in place). Mode R: at a + r·as + k (A read in place, row-major),
// through base pointers to every third row, each row being base + 0, as or
// 2·as. On AVX-512 a column mask lets partial tiles run in place too.
func kernel(s isa.ISA, mr int, rowMajor bool) {
	mode := map[bool]string{false: "K", true: "R"}[rowMajor]
	name := s.Fn("gemmKernel" + mode)
	sig := "func(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32"
	if s.Wide() {
		sig += ", mask uint16"
	} else {
		sig += ", cols int"
	}
	TEXT(name, NOSPLIT, sig+")")
	Pragma("noescape")
	Doc(name+" is a micro-kernel of Gemm; see the generator for the layouts.",
		"k must be at least 1; beta == 0 does not read c.")
	var mask reg.Register
	if s.Wide() {
		mask = loadMask()
	}
	prefetchC(mr)
	acc := accumulate(s, mr, rowMajor, mask)
	if !s.Wide() {
		partialEpilogue(s, acc)
	}
	epilogue(s, acc, "withbeta", plainRows(mask))
}

func loadMask() reg.Register {
	mask := K()
	KMOVW(Load(Param("mask"), GP32()), mask)
	return mask
}

// accumulate emits the K loop: acc[r] = Σₖ A[r,k]·B[k,:] for mr rows, B
// loaded under mask (nil: whole vectors).
func accumulate(s isa.ISA, mr int, rowMajor bool, mask reg.Register) [][]reg.VecVirtual {
	vecs := nr / s.Lanes
	acc := make([][]reg.VecVirtual, mr)
	for r := range acc {
		acc[r] = s.Vecs(vecs)
		for _, v := range acc[r] {
			s.Zero(v)
		}
	}
	k := Load(Param("k"), GP64())
	b, bs := Load(Param("b"), GP64()), scaled("bs")
	rows := aRowsFor(mr, rowMajor)
	Label("loop")
	bv := s.Vecs(vecs)
	for v := range bv {
		load(Mem{Base: b, Disp: v * s.Bytes()}, mask, bv[v])
	}
	for r := 0; r < mr; r++ {
		fmaRow(s, rows.at(r), bv, acc[r])
	}
	rows.advance()
	ADDQ(bs, b)
	DECQ(k)
	JNZ(LabelRef("loop"))
	return acc
}

// prefetchC starts loading the C tile (both lines of a row that may
// straddle two) so the epilogue does not wait on it: with 4 KiB rows the
// tile lives in L2 or beyond after the previous K block.
func prefetchC(mr int) {
	c, ldc := Load(Param("c"), GP64()), scaled("ldc")
	for r := 0; r < mr; r++ {
		PREFETCHT0(Mem{Base: c})
		PREFETCHT0(Mem{Base: c, Disp: 4*nr - 4})
		ADDQ(ldc, c)
	}
}

// scaled loads an element-count parameter as a byte count.
func scaled(name string) reg.GPVirtual {
	r := GP64()
	MOVQ(mustAddr(name), r)
	SHLQ(U8(2), r)
	return r
}

func mustAddr(name string) Mem {
	b, err := Param(name).Resolve()
	if err != nil {
		panic(err)
	}
	return b.Addr
}

// aRows addresses the mr values of A for the current k.
type aRows struct {
	rowMajor bool
	as       reg.GPVirtual
	bases    []reg.GPVirtual
}

func aRowsFor(mr int, rowMajor bool) aRows {
	r := aRows{rowMajor: rowMajor, as: scaled("as")}
	a := GP64()
	MOVQ(mustAddr("a"), a)
	r.bases = []reg.GPVirtual{a}
	if !rowMajor {
		return r
	}
	as3 := GP64()
	LEAQ(Mem{Base: r.as, Index: r.as, Scale: 2}, as3)
	for j := 3; j < mr; j += 3 {
		p := GP64()
		LEAQ(Mem{Base: r.bases[len(r.bases)-1], Index: as3, Scale: 1}, p)
		r.bases = append(r.bases, p)
	}
	return r
}

func (r aRows) at(row int) Mem {
	if !r.rowMajor {
		return Mem{Base: r.bases[0], Disp: 4 * row}
	}
	m := Mem{Base: r.bases[row/3]}
	if off := row % 3; off > 0 {
		m.Index, m.Scale = r.as, uint8(off)
	}
	return m
}

func (r aRows) advance() {
	if !r.rowMajor {
		ADDQ(r.as, r.bases[0])
		return
	}
	for _, p := range r.bases {
		ADDQ(U8(4), p)
	}
}

// load is a vector load, masked to the tile's columns on AVX-512 (masked
// lanes are neither read nor faulted on).
func load(m Mem, mask reg.Register, dst reg.VecVirtual) {
	if mask != nil {
		VMOVUPS_Z(m, mask, dst)
		return
	}
	VMOVUPS(m, dst)
}

func store(x reg.VecVirtual, mask reg.Register, m Mem) {
	if mask != nil {
		VMOVUPS(x, mask, m)
		return
	}
	VMOVUPS(x, m)
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
// edge tiles round identically. rows loads and stores C (masked or not);
// label names the beta branch.
func epilogue(s isa.ISA, acc [][]reg.VecVirtual, label string, rows rowIO) {
	alpha := s.Splat("alpha")
	for _, row := range acc {
		for _, v := range row {
			VMULPS(alpha, v, v)
		}
	}
	c := Load(Param("c"), GP64())
	ldc := scaled("ldc")
	// beta == 0 (either sign) has no bits but the sign; NaN is not zero.
	bits := GP32()
	MOVL(mustAddr("beta"), bits)
	ANDL(U32(0x7fffffff), bits)
	JNZ(LabelRef(label))
	storeRows(s, acc, c, ldc, nil, rows)
	s.Ret()
	Label(label)
	storeRows(s, acc, c, ldc, s.Splat("beta"), rows)
	s.Ret()
}

// rowIO loads and stores vector v of a row of C.
type rowIO struct {
	load  func(m Mem, v int, dst reg.VecVirtual)
	store func(x reg.VecVirtual, v int, m Mem)
}

// plainRows is rowIO for whole tiles, masked by AVX-512's column mask
// when there is one.
func plainRows(mask reg.Register) rowIO {
	return rowIO{
		load:  func(m Mem, _ int, dst reg.VecVirtual) { load(m, mask, dst) },
		store: func(x reg.VecVirtual, _ int, m Mem) { store(x, mask, m) },
	}
}

// partialEpilogue is the AVX2 epilogue of a tile narrower than 16
// columns (B zero-padded): VMASKMOVPS keeps the other columns of C
// untouched. AMD's masked stores are slow (microcoded; twelve of them
// cost more than a K of 25), so only the vector that holds the tile's last
// column is masked: with 8 or more columns the first vector is stored
// whole, with fewer the second is not stored at all. Full tiles skip it.
func partialEpilogue(s isa.ISA, acc [][]reg.VecVirtual) {
	cols := GP64()
	MOVQ(mustAddr("cols"), cols)
	CMPQ(cols, U8(nr))
	JE(LabelRef("full"))
	n := s.SplatGP(cols.As32())
	masks := s.Vecs(2)
	for v, m := range masks {
		VMOVUPS(s.Table(fmt.Sprintf("lane%d", v), lanes(8*v, 8)), m)
		VPCMPGTD(m, n, m) // cols > lane
	}
	CMPQ(cols, U8(s.Lanes))
	JB(LabelRef("narrow"))
	epilogue(s, acc, "partialbeta", maskedFrom(1, masks))
	Label("narrow")
	first := make([][]reg.VecVirtual, len(acc))
	for r, row := range acc {
		first[r] = row[:1]
	}
	epilogue(s, first, "narrowbeta", maskedFrom(0, masks))
	Label("full")
}

// maskedFrom is rowIO with vectors before first whole and the others
// under their masks.
func maskedFrom(first int, masks []reg.VecVirtual) rowIO {
	return rowIO{
		load: func(m Mem, v int, dst reg.VecVirtual) {
			if v < first {
				VMOVUPS(m, dst)
				return
			}
			VMASKMOVPS(m, masks[v], dst)
		},
		store: func(x reg.VecVirtual, v int, m Mem) {
			if v < first {
				VMOVUPS(x, m)
				return
			}
			VMASKMOVPS(x, masks[v], m)
		},
	}
}

// lanes is first, first+1, …: n lane indices.
func lanes(first, n int) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = uint32(first + i)
	}
	return out
}

func storeRows(s isa.ISA, acc [][]reg.VecVirtual, c, ldc reg.Register, beta reg.VecVirtual, rows rowIO) {
	for r, row := range acc {
		for v, x := range row {
			m := Mem{Base: c, Disp: v * s.Bytes()}
			if beta != nil {
				t := s.Vec()
				rows.load(m, v, t)
				VMULPS(beta, t, t)
				VADDPS(t, x, x)
			}
			rows.store(x, v, m)
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
	Doc(s.Fn("fmaPeak") + " runs n×12 independent vector FMAs and stores one lane sum to out.")
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

// packT16 packs 16 rows of a row-major matrix k-major (a 16-row A panel
// for AVX-512, or a 16-column panel of Bᵀ): 8×8 blocks transposed in
// registers, 8 loads, 24 shuffles and 8 stores per 64 floats. (A gather
// per k, one instruction, measured no faster than scalar Go here.)
func packT16() {
	TEXT("packT16AVX2", NOSPLIT, "func(dst, src *float32, ld, kb int)")
	Pragma("noescape")
	Doc("packT16AVX2 is `for k < kb, r < 16: dst[16*k+r] = src[r*ld+k]`; kb a multiple of 8, ≥ 8.")
	dst, kb := Load(Param("dst"), GP64()), Load(Param("kb"), GP64())
	ld := scaled("ld")
	ld3 := GP64()
	LEAQ(Mem{Base: ld, Index: ld, Scale: 2}, ld3)
	bases := make([]reg.GPVirtual, 4) // rows 0, 4, 8, 12
	bases[0] = GP64()
	MOVQ(mustAddr("src"), bases[0])
	for i := 1; i < 4; i++ {
		bases[i] = GP64()
		LEAQ(Mem{Base: bases[i-1], Index: ld, Scale: 4}, bases[i])
	}
	SHRQ(U8(3), kb)
	Label("loop")
	for h := 0; h < 2; h++ {
		rows := make([]reg.VecVirtual, 8)
		for i := range rows {
			rows[i] = YMM()
			m := Mem{Base: bases[2*h+i/4]}
			switch i % 4 {
			case 1, 2:
				m.Index, m.Scale = ld, uint8(i%4)
			case 3:
				m.Index, m.Scale = ld3, 1
			}
			VMOVUPS(m, rows[i])
		}
		for k, col := range transpose8(rows) {
			VMOVUPS(col, Mem{Base: dst, Disp: 64*k + 32*h})
		}
	}
	for _, b := range bases {
		ADDQ(U8(32), b)
	}
	ADDQ(U32(8*64), dst)
	DECQ(kb)
	JNZ(LabelRef("loop"))
	VZEROUPPER()
	RET()
}

// transpose8 returns the columns of the 8×8 block held in rows.
func transpose8(r []reg.VecVirtual) []reg.VecVirtual {
	t := make([]reg.VecVirtual, 8)
	for i := 0; i < 8; i += 2 {
		t[i], t[i+1] = YMM(), YMM()
		VUNPCKLPS(r[i+1], r[i], t[i])
		VUNPCKHPS(r[i+1], r[i], t[i+1])
	}
	u := make([]reg.VecVirtual, 8)
	for _, q := range []int{0, 4} {
		for i, pair := range [][2]int{{0, 2}, {0, 2}, {1, 3}, {1, 3}} {
			u[q+i] = YMM()
			VSHUFPS(U8([]uint8{0x44, 0xee}[i%2]), t[q+pair[1]], t[q+pair[0]], u[q+i])
		}
	}
	out := make([]reg.VecVirtual, 8)
	for i := 0; i < 4; i++ {
		out[i], out[i+4] = YMM(), YMM()
		VPERM2F128(U8(0x20), u[4+i], u[i], out[i])
		VPERM2F128(U8(0x31), u[4+i], u[i], out[i+4])
	}
	return out
}
