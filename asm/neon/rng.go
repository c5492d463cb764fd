package main

import (
	"fmt"
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
	f.line("MOVD w_base+0(FP), R0")
	f.line("MOVD w_len+8(FP), R2")
	rademacherLoop(f, ctr, func() {
		f.emit(eor(16, 16, 30))
		if !fill {
			f.line("VLD1 (R0), [V17.S4]")
			f.emit(fadd(16, 17, 16))
		}
		f.line("VST1.P [V16.S4], 16(R0)")
	})
}

// The chain kernels: x = src; x += a[0]·z, stored to mid; x += a[1]·z, …;
// x stored to dst. Each step is the add kernel's rounding. The frame:
// dst, mid, src slices, a *[3]float32 at 72, ctr at 80, k0–k3 after it.
const (
	chainSig  = "(dst []float32, mid []float32, src []float32, a *[3]float32, ctr uint32, k0 uint32, k1 uint32, k2 uint32, k3 uint32)"
	chainArgs = 100
	chainCtr  = 80
)

// chainPrologue loads dst (R0), mid (R6), src (R7), the length (R2) and
// the steps coefficients into v[first], v[first+1], ….
func chainPrologue(f *file, first V, steps int) {
	f.line("MOVD a+72(FP), R9")
	for i := 0; i < steps; i++ {
		f.line("VLD1R (R9), [V%d.S4]", first+V(i))
		f.line("ADD $4, R9")
	}
	f.line("MOVD dst_base+0(FP), R0")
	f.line("MOVD mid_base+24(FP), R6")
	f.line("MOVD src_base+48(FP), R7")
	f.line("MOVD src_len+56(FP), R2")
}

// rademacherChain is the chain form: alpha·z is a[step] with z's sign bit
// XORed in (alphas in v0–v2), exact as in the add kernel.
func rademacherChain(f *file, steps int) {
	f.text(fmt.Sprintf("rademacherChain%dNEON", steps), chainArgs, chainSig)
	chainPrologue(f, 0, steps)
	rademacherLoop(f, chainCtr, func() {
		f.line("VLD1.P 16(R7), [V17.S4]")
		for step := 0; step < steps; step++ {
			f.emit(eor(18, 16, V(step)))
			f.emit(fadd(17, 17, 18))
			if step == 0 && steps > 1 {
				f.line("VST1.P [V17.S4], 16(R6)")
			}
		}
		f.line("VST1.P [V17.S4], 16(R0)")
	})
}

// rademacherLoop runs the 32-element blocks of the R2 elements (counter
// argument at byte ctr of the frame, keys after it); for each of the eight
// vectors it leaves z's sign bits in v16 and calls lane.
func rademacherLoop(f *file, ctr int, lane func()) {
	f.splat(29, 0x80000000)
	f.line("MOVD $radshift<>(SB), R9")
	f.line("VLD1.P 64(R9), %s", vregs(20, 4))
	f.line("VLD1 (R9), %s", vregs(24, 4))
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
		lane()
	}
	f.line("ADDW $1, R3, R3")
	f.line("SUBS $1, R2")
	f.line("BNE loop")
	f.label("done")
	f.line("RET")
}
