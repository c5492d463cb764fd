package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

// tapsSizes are the filter sizes K of a single-channel convolution that
// get a weight-gradient kernel: K·K accumulators (25 for MyNetPlus's first
// layer) must fit in the 32 zmm registers with the gradient vector.
var tapsSizes = []int{3, 5}

// kernelTaps emits convTaps{K}AVX512, the weight gradient of a valid
// single-channel K×K convolution over one K block of output pixels:
// dW[t] = Σₖ dy[k]·x[off[k] + ky·w + kx] (+ dW[t] if beta is 1) for tap
// t = ky·K + kx, acc[t] holding the output channels across its lanes
// (under mask). It is the product colsᵀ·dY that Gemm computes, without
// colsᵀ: each element gets the same FMAs in the same k order, the same
// epilogue, so the same bits.
func kernelTaps(k int) {
	name := fmt.Sprintf("convTaps%d%s", k, isa.AVX512.Name)
	TEXT(name, NOSPLIT, "func(pixels int, x *float32, off *int, w int, dy *float32, cout int, dw *float32, beta float32, mask uint16)")
	Pragma("noescape")
	Doc(name+" adds one K block of a single-channel convolution's weight gradient; see the generator.",
		"pixels must be at least 1; beta is 0 (dw not read) or 1.")
	mask := loadMask()
	acc := isa.AVX512.Vecs(k * k)
	for _, v := range acc {
		isa.AVX512.Zero(v)
	}
	rowStep := make([]reg.Register, k) // ky·w in bytes; row 0 needs none
	w := scaled("w")
	for ky := 1; ky < k; ky++ {
		rowStep[ky] = GP64()
		MOVQ(w, rowStep[ky])
		if ky > 1 {
			ADDQ(rowStep[ky-1], rowStep[ky])
		}
	}
	n, x, off := Load(Param("pixels"), GP64()), Load(Param("x"), GP64()), Load(Param("off"), GP64())
	dy, cout := Load(Param("dy"), GP64()), scaled("cout")
	at, base := GP64(), GP64()
	Label("pixel")
	MOVQ(Mem{Base: off}, at)
	LEAQ(Mem{Base: x, Index: at, Scale: 4}, base)
	g := ZMM()
	VMOVUPS_Z(Mem{Base: dy}, mask, g)
	for t, v := range acc {
		ky, kx := t/k, t%k
		tap := Mem{Base: base, Disp: 4 * kx}
		if ky > 0 {
			tap.Index, tap.Scale = rowStep[ky], 1
		}
		VFMADD231PS_BCST(tap, g, v)
	}
	ADDQ(U8(8), off)
	ADDQ(cout, dy)
	DECQ(n)
	JNZ(LabelRef("pixel"))
	tapsEpilogue(acc, cout, mask)
}

// tapsEpilogue stores acc[t] to dw + t·cout under mask, plus dW unless
// beta is zero: Gemm's epilogue with alpha 1 and beta 0 or 1.
func tapsEpilogue(acc []reg.VecVirtual, cout, mask reg.Register) {
	dw := Load(Param("dw"), GP64())
	bits := GP32()
	MOVL(mustAddr("beta"), bits)
	ANDL(U32(0x7fffffff), bits)
	JNZ(LabelRef("add"))
	for _, v := range acc {
		VMOVUPS(v, mask, Mem{Base: dw})
		ADDQ(cout, dw)
	}
	isa.AVX512.Ret()
	Label("add")
	for _, v := range acc {
		t := ZMM()
		VMOVUPS_Z(Mem{Base: dw}, mask, t)
		VADDPS(t, v, v)
		VMOVUPS(v, mask, Mem{Base: dw})
		ADDQ(cout, dw)
	}
	isa.AVX512.Ret()
}
