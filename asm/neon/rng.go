package main

import (
	"math"

	rc "github.com/zofo/zofo/internal/rngconst"
)

// radShifts moves bit j of a block's word to bit 31 of lane j.
func radShifts() []uint32 {
	out := make([]uint32, 32)
	for j := range out {
		out[j] = uint32(31 - j)
	}
	return out
}

// mixW is mix32 on a 32-bit general register x, with t and m scratch.
func (f *file) mixW(x, t, m string) {
	for i, k := range []uint32{rc.MulA, rc.MulB, 0} {
		f.line("LSRW $%d, %s, %s", rc.MixShifts[i], x, t)
		f.line("EORW %s, %s, %s", t, x, x)
		if k != 0 {
			f.line("MOVW $0x%08x, %s", k, m)
			f.line("MULW %s, %s, %s", m, x, x)
		}
	}
}

// rademacher handles 32-element blocks: one word per block (in R10),
// spread over eight vectors by per-lane USHL.
func rademacher(f *file, fill bool) {
	name, args, sig, ctr := "rademacherAddNEON", 40, "(w []float32, alpha float32, ctr uint32, k0 uint32, k1 uint32)", 28
	if fill {
		name, args, sig, ctr = "rademacherFillNEON", 36, "(w []float32, ctr uint32, k0 uint32, k1 uint32)", 24
	}
	f.text(name, args, sig)
	if fill {
		f.splat(30, math.Float32bits(1))
	} else {
		f.splatArg(30, "alpha", 24)
	}
	f.splat(29, 0x80000000)
	f.line("MOVD $radshift<>(SB), R9")
	f.line("VLD1.P 64(R9), %s", vregs(20, 4))
	f.line("VLD1 (R9), %s", vregs(24, 4))
	f.line("MOVD w_base+0(FP), R0")
	f.line("MOVD w_len+8(FP), R2")
	f.line("MOVWU ctr+%d(FP), R3", ctr)
	f.line("MOVWU k0+%d(FP), R4", ctr+4)
	f.line("MOVWU k1+%d(FP), R5", ctr+8)
	f.line("LSR $5, R2")
	f.line("CBZ R2, done")
	f.label("loop")
	f.line("EORW R4, R3, R10")
	f.mixW("R10", "R11", "R12")
	f.line("ADDW R5, R10, R10")
	f.mixW("R10", "R11", "R12")
	f.line("VDUP R10, V28.S4")
	for v := V(0); v < 8; v++ {
		f.emit(ushl(16, 28, 20+v))
		f.emit(and(16, 16, 29))
		f.emit(eor(16, 16, 30))
		if !fill {
			f.line("VLD1 (R0), [V17.S4]")
			f.emit(fadd(16, 17, 16))
		}
		f.line("VST1.P [V16.S4], 16(R0)")
	}
	f.line("ADDW $1, R3, R3")
	f.line("SUBS $1, R2")
	f.line("BNE loop")
	f.label("done")
	f.line("RET")
}
