package main

import (
	"math"

	ec "github.com/zofo/zofo/internal/expconst"
)

// crossEntropyColumns is kernels.crossEntropyColumnsGeneric on four
// columns at a time. Registers: the clamp in v20, labels v21, the class
// counter v22, integer 1 in v23, z_y v24, m v25, the sum v26; exp and log
// work in v0–v7.
func crossEntropyColumns(f *file) {
	f.text("crossEntropyColumnsNEON", 88, "(loss []float32, logits []float32, labels []int32, classes int, ld int)")
	f.line("MOVD loss_base+0(FP), R0")
	f.line("MOVD loss_len+8(FP), R2")
	f.line("MOVD logits_base+24(FP), R1")
	f.line("MOVD labels_base+48(FP), R3")
	f.line("MOVD classes+72(FP), R4")
	f.line("MOVD ld+80(FP), R5")
	f.line("LSL $2, R5") // bytes between classes
	f.splat(20, math.Float32bits(ec.Min))
	f.splat(23, 1)
	f.line("LSR $2, R2")
	f.line("CBZ R2, done")
	f.label("column")
	f.line("VLD1 (R3), [V21.S4]")
	f.emit(eor(24, 24, 24))
	f.emit(eor(22, 22, 22))
	f.classLoop("label", 0, func() { // z_y: class c's logit where the label is c
		f.emit(cmeq(1, 21, 22))
		f.emit(bit(24, 0, 1))
		f.emit(add(22, 22, 23))
	})
	f.line("VLD1 (R1), [V25.S4]")
	f.emit(fsub(25, 25, 24))
	f.classLoop("max", 1, func() { // m = max_c (z_c − z_y)
		f.emit(fsub(0, 0, 24))
		f.emit(fmax(25, 25, 0))
	})
	f.emit(eor(26, 26, 26))
	f.classLoop("exp", 0, func() { // Σ_c exp((z_c − z_y) − m)
		f.emit(fsub(0, 0, 24))
		f.emit(fsub(0, 0, 25))
		expNonPositive(f)
		f.emit(fadd(26, 26, 4))
	})
	f.emit(fsub(8, 26, 26)) // 0, or NaN for a NaN sum, which logf's bit split would hide
	f.emit(orr(0, 26, 26))
	logf(f)
	f.emit(fadd(6, 25, 6))
	f.emit(fadd(6, 6, 8))
	f.line("VST1 [V6.S4], (R0)")
	f.line("ADD $16, R0")
	f.line("ADD $16, R1")
	f.line("ADD $16, R3")
	f.line("SUBS $1, R2")
	f.line("BNE column")
	f.label("done")
	f.line("RET")
}

// classLoop runs body over the classes from first, with the four columns'
// logits of each class in v0 (R6 walks the classes, R7 counts them).
func (f *file) classLoop(name string, first int, body func()) {
	f.line("MOVD R1, R6")
	f.line("MOVD R4, R7")
	if first > 0 {
		f.line("ADD R5, R6")
		f.line("SUB $%d, R7", first)
		f.line("CBZ R7, %sdone", name)
	}
	f.label(name)
	f.line("VLD1 (R6), [V0.S4]")
	body()
	f.line("ADD R5, R6")
	f.line("SUBS $1, R7")
	f.line("BNE %s", name)
	f.label(name + "done")
}

// expNonPositive replaces v0 by kernels.expNonPositive of it, in v4.
func expNonPositive(f *file) {
	f.emit(fmax(0, 0, 20)) // the clamp; NaN passes
	f.emit(fmul(1, 0, fk(f, ec.Log2e)))
	f.emit(fcvtn(2, 1)) // k, rounded to nearest even
	f.emit(scvtf(3, 2))
	f.emit(fmul(1, 3, fk(f, ec.Ln2Hi)))
	f.emit(fsub(0, 0, 1))
	f.emit(fmul(1, 3, fk(f, ec.Ln2Lo)))
	f.emit(fsub(0, 0, 1)) // r
	f.emit(fmul(4, fk(f, ec.Coef[0]), 0))
	for i, c := range ec.Coef[1:] {
		f.emit(fadd(4, 4, fk(f, c)))
		if i < len(ec.Coef)-2 {
			f.emit(fmul(4, 4, 0))
		}
	}
	f.emit(fmul(1, 0, 0))
	f.emit(fmul(4, 4, 1))
	f.emit(fadd(4, 4, 0))
	f.emit(fadd(4, 4, fk(f, 1)))
	f.emit(add(2, 2, f.konst(127)))
	f.emit(shl(2, 2, 23))
	f.emit(fmul(4, 4, 2))
}
