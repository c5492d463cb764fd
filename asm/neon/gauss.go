package main

import (
	"fmt"
	"math"

	rc "github.com/zofo/zofo/internal/rngconst"
)

func fk(f *file, x float32) V { return f.konst(math.Float32bits(x)) }

// Registers: keys v24–v27, pair counters v28, the step 4 in v29, alpha in
// v30, constants through v31, work in v0–v14.

// gaussian computes a 16-element block per iteration as two halves of
// four pairs: cos lanes to w[4h:4h+4], sin lanes to w[8+4h:12+4h].
func gaussian(f *file, fill bool) {
	name, args, sig, ctr := "gaussianAddNEON", 48, "(w []float32, alpha float32, ctr uint32, k0 uint32, k1 uint32, k2 uint32, k3 uint32)", 28
	if fill {
		name, args, sig, ctr = "gaussianFillNEON", 44, "(w []float32, ctr uint32, k0 uint32, k1 uint32, k2 uint32, k3 uint32)", 24
	}
	f.text(name, args, sig)
	if !fill {
		f.splatArg(30, "alpha", 24)
	}
	f.line("MOVD w_base+0(FP), R0")
	f.line("MOVD w_len+8(FP), R2")
	gaussianLoop(f, ctr, func(v V, off int) { gaussStore(f, fill, v, off) }, "R0")
}

// gaussianChain is the chain form (see chainSig): a[step]·z is one rounded
// product and one rounded add, as in gaussStore. Alphas in v15–v17.
func gaussianChain(f *file, steps int) {
	f.text(fmt.Sprintf("gaussianChain%dNEON", steps), chainArgs, chainSig)
	chainPrologue(f, 15, steps)
	gaussianLoop(f, chainCtr, func(v V, off int) {
		f.line("ADD $%d, R7, R10", off)
		f.line("VLD1 (R10), [V14.S4]")
		for step := 0; step < steps; step++ {
			f.emit(fmul(18, v, 15+V(step)))
			f.emit(fadd(14, 14, 18))
			if step == 0 && steps > 1 {
				f.line("ADD $%d, R6, R10", off)
				f.line("VST1 [V14.S4], (R10)")
			}
		}
		f.line("ADD $%d, R0, R10", off)
		f.line("VST1 [V14.S4], (R10)")
	}, "R0", "R6", "R7")
}

// gaussianLoop runs the blocks of the R2 elements (counter argument at
// byte ctr of the frame); store(v, off) writes vector v at byte offset off
// of the block, and ptrs advance by a block per iteration.
func gaussianLoop(f *file, ctr int, store func(v V, off int), ptrs ...string) {
	for i := 0; i < 4; i++ {
		f.line("MOVWU k%d+%d(FP), R9", i, ctr+4+4*i)
		f.line("VDUP R9, V%d.S4", 24+i)
	}
	f.line("MOVWU ctr+%d(FP), R9", ctr)
	f.line("LSLW $3, R9, R9") // 8 pairs per block
	f.line("VDUP R9, V28.S4")
	f.line("MOVD $iota<>(SB), R9")
	f.line("VLD1 (R9), [V31.S4]")
	f.emit(add(28, 28, 31))
	f.splat(29, 4)
	f.line("LSR $4, R2")
	f.line("CBZ R2, done")
	f.label("loop")
	for h := 0; h < 2; h++ {
		radius(f)
		sincos(f)
		f.emit(fmul(11, 6, 11))
		f.emit(fmul(9, 6, 9))
		store(11, 16*h)
		store(9, 32+16*h)
		f.emit(add(28, 28, 29))
	}
	for _, p := range ptrs {
		f.line("ADD $64, %s", p)
	}
	f.line("SUBS $1, R2")
	f.line("BNE loop")
	f.label("done")
	f.line("RET")
}

func gaussStore(f *file, fill bool, v V, off int) {
	f.line("ADD $%d, R0, R10", off)
	if !fill {
		f.emit(fmul(v, v, 30))
		f.line("VLD1 (R10), [V14.S4]")
		f.emit(fadd(v, 14, v))
	}
	f.line("VST1 [V%d.S4], (R10)", v)
}

// word sets d to mix32(mix32(pc ^ ka) + kb), with t scratch.
func word(f *file, d, t, ka, kb V) {
	f.emit(eor(d, 28, ka))
	mix(f, d, t)
	f.emit(add(d, d, kb))
	mix(f, d, t)
}

func mix(f *file, x, t V) {
	for i, m := range []uint32{rc.MulA, rc.MulB, 0} {
		f.emit(ushr(t, x, int(rc.MixShifts[i])))
		f.emit(eor(x, x, t))
		if m != 0 {
			f.emit(mul(x, x, f.konst(m)))
		}
	}
}

// radius leaves sqrt(−2·logf(u1)) in v6.
func radius(f *file) {
	word(f, 0, 1, 24, 25)
	f.emit(ushr(0, 0, 8))
	f.emit(add(0, 0, f.konst(1)))
	f.emit(scvtf(0, 0))
	f.emit(fmul(0, 0, fk(f, 0x1p-24)))
	logf(f)
	f.emit(fmul(6, 6, fk(f, -2)))
	f.emit(fsqrt(6, 6))
}

// logf replaces v0's lanes (positive normal floats) by musl's logf of
// them (kernels.logf) in v6; it uses v0–v7.
func logf(f *file) {
	f.emit(add(0, 0, f.konst(0x3f800000-rc.SqrtHalfBits)))
	f.emit(ushr(1, 0, 23))
	f.emit(sub(1, 1, f.konst(0x7f)))
	f.emit(scvtf(1, 1)) // dk
	f.emit(and(0, 0, f.konst(0x007fffff)))
	f.emit(add(0, 0, f.konst(rc.SqrtHalfBits)))
	f.emit(fsub(0, 0, fk(f, 1))) // f
	f.emit(fadd(2, 0, fk(f, 2)))
	f.emit(fdiv(2, 0, 2)) // s = f/(2+f)
	f.emit(fmul(3, 2, 2)) // z
	f.emit(fmul(4, 3, 3)) // w
	f.emit(fmul(5, 4, fk(f, rc.Lg4)))
	f.emit(fadd(5, 5, fk(f, rc.Lg2)))
	f.emit(fmul(5, 4, 5)) // t1
	f.emit(fmul(6, 4, fk(f, rc.Lg3)))
	f.emit(fadd(6, 6, fk(f, rc.Lg1)))
	f.emit(fmul(6, 3, 6)) // t2
	f.emit(fadd(6, 6, 5)) // R
	f.emit(fmul(7, 0, fk(f, 0.5)))
	f.emit(fmul(7, 7, 0)) // hfsq
	f.emit(fadd(6, 7, 6))
	f.emit(fmul(6, 2, 6))
	f.emit(fmul(5, 1, fk(f, rc.Ln2Lo)))
	f.emit(fadd(6, 6, 5))
	f.emit(fsub(6, 6, 7))
	f.emit(fadd(6, 6, 0))
	f.emit(fmul(5, 1, fk(f, rc.Ln2Hi)))
	f.emit(fadd(6, 6, 5))
}

// sincos leaves cos in v11 and sin in v9, quadrant-corrected.
func sincos(f *file) {
	word(f, 8, 9, 26, 27)
	f.emit(ushr(9, 8, 8))
	f.emit(and(9, 9, f.konst(0x3fffff)))
	f.emit(scvtf(9, 9))
	f.emit(fmul(9, 9, fk(f, 0x1p-22)))
	f.emit(fmul(9, 9, fk(f, rc.HalfPi))) // x
	f.emit(fmul(10, 9, 9))               // x²
	horner(f, 11, rc.SinCoef)
	f.emit(fmul(12, 10, 9))
	f.emit(fmul(12, 11, 12))
	f.emit(fadd(9, 12, 9)) // sin
	horner(f, 11, rc.CosCoef)
	f.emit(fmul(11, 10, 11))
	f.emit(fadd(11, fk(f, 1), 11)) // cos
	f.emit(ushr(8, 8, 30))         // quadrant
	f.emit(shl(12, 8, 31))
	f.emit(sshr(12, 12, 31))
	f.emit(eor(13, 9, 11))
	f.emit(and(13, 13, 12))
	f.emit(eor(11, 11, 13))
	f.emit(eor(9, 9, 13))
	f.emit(add(12, 8, f.konst(1)))
	f.emit(ushr(12, 12, 1))
	f.emit(shl(12, 12, 31))
	f.emit(eor(11, 11, 12))
	f.emit(ushr(8, 8, 1))
	f.emit(shl(8, 8, 31))
	f.emit(eor(9, 9, 8))
}

// horner evaluates the polynomial coef in x² (v10) into d.
func horner(f *file, d V, coef []float32) {
	f.emit(fmul(d, fk(f, coef[0]), 10))
	for i, c := range coef[1:] {
		f.emit(fadd(d, d, fk(f, c)))
		if i < len(coef)-2 {
			f.emit(fmul(d, d, 10))
		}
	}
}
