package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
)

// addRows emits addRowsAVX512: dst row r += src row r, rows one after
// another, each as whole vectors then one masked vector. A convolution's
// backward pass adds each output pixel's patch gradient back into its
// input this way (col2im), K rows of K·Cin floats a pixel: one call per
// pixel instead of one kernels.Add (and its Go tail) per row, which was a
// seventh of a MyNetPlus FO step.
func addRows() {
	TEXT("addRowsAVX512", NOSPLIT, "func(dst *float32, ldd int, src *float32, lds int, rows, vecs int, mask uint16)")
	Pragma("noescape")
	Doc("addRowsAVX512 sets dst[r·ldd + i] += src[r·lds + i] for r < rows and i < 16·vecs + popcount(mask);",
		"rows ≥ 1; mask is 1<<(n mod 16) − 1 for a row of n floats. It reads and writes no float past a row's n.")
	dst, src := Load(Param("dst"), GP64()), Load(Param("src"), GP64())
	ldd, lds := Load(Param("ldd"), GP64()), Load(Param("lds"), GP64())
	SHLQ(U8(2), ldd)
	SHLQ(U8(2), lds)
	rows, vecs := Load(Param("rows"), GP64()), Load(Param("vecs"), GP64())
	mask := K()
	KMOVW(Load(Param("mask"), GP32()), mask)
	d, s, i, t := GP64(), GP64(), GP64(), ZMM()
	Label("row")
	MOVQ(dst, d)
	MOVQ(src, s)
	MOVQ(vecs, i)
	TESTQ(i, i)
	JZ(LabelRef("part"))
	Label("vec")
	VMOVUPS(Mem{Base: d}, t)
	VADDPS(Mem{Base: s}, t, t) // dst + src, add's operand order
	VMOVUPS(t, Mem{Base: d})
	ADDQ(U8(64), d)
	ADDQ(U8(64), s)
	DECQ(i)
	JNZ(LabelRef("vec"))
	Label("part")
	KORTESTW(mask, mask)
	JZ(LabelRef("next"))
	VMOVUPS_Z(Mem{Base: d}, mask, t)
	VADDPS_Z(Mem{Base: s}, t, mask, t)
	VMOVUPS(t, mask, Mem{Base: d})
	Label("next")
	ADDQ(ldd, dst)
	ADDQ(lds, src)
	DECQ(rows)
	JNZ(LabelRef("row"))
	VZEROUPPER()
	RET()
}
