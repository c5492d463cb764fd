package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"

	"github.com/zofo/zofo/asm/internal/isa"
)

// affineBytes emits affineBytes{ISA}: dst[i] = float32(a·src[i] + b), the
// product and sum in one float64 FMA, Lanes/2 bytes at a time (a vector of
// doubles). Each step is exact or rounds once as Go's does: the byte to
// int32 and to float64 exactly, the FMA once, VCVTPD2PS to nearest as
// float32() does. MNIST is kept as bytes, a quarter of the memory a
// random batch reads, and normalized here while it is gathered.
func affineBytes(s isa.ISA) {
	name := s.Fn("affineBytes")
	TEXT(name, NOSPLIT, "func(dst []float32, src []byte, a, b float64)")
	Pragma("noescape")
	Doc(name+" sets dst[i] = float32(a·src[i] + b) with one float64 FMA.",
		"len(src) must be a multiple of half a vector (8 bytes on AVX-512, 4 on AVX2).")
	dst, src, n := ptr("dst"), ptr("src"), length("src")
	unit := s.Lanes / 2
	a, b := s.SplatFloat64("a"), s.SplatFloat64("b")
	ints, doubles, floats := s.Half(), s.Vec(), s.Half()
	SHRQ(U8(map[int]uint8{4: 2, 8: 3}[unit]), n)
	JZ(LabelRef("done"))
	Label("loop")
	VPMOVZXBD(Mem{Base: src}, ints)
	VCVTDQ2PD(ints, doubles)
	VFMADD213PD(b, a, doubles) // a·x + b, rounded once
	if s.Wide() {
		VCVTPD2PS(doubles, floats)
	} else {
		VCVTPD2PSY(doubles, floats) // Go's name for the ymm source
	}
	VMOVUPS(floats, Mem{Base: dst})
	ADDQ(U8(unit), src)
	ADDQ(U8(4*unit), dst)
	DECQ(n)
	JNZ(LabelRef("loop"))
	Label("done")
	s.Ret()
}

// prefetchLines emits prefetchLines(p, lines): a PREFETCHT0 of each of the
// lines cache lines from p (baseline x86, no vector state). A gather of
// random rows asks for them all before it copies any: one row's misses
// then overlap the others' instead of waiting in turn.
func prefetchLines() {
	TEXT("prefetchLines", NOSPLIT, "func(p *byte, lines int)")
	Pragma("noescape")
	Doc("prefetchLines asks for the lines cache lines from p (lines ≥ 1) to be loaded.")
	p, n := Load(Param("p"), GP64()), Load(Param("lines"), GP64())
	Label("line")
	PREFETCHT0(Mem{Base: p})
	ADDQ(U8(64), p)
	DECQ(n)
	JNZ(LabelRef("line"))
	RET()
}
