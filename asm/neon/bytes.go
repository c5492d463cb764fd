package main

import "fmt"

// Widening, conversion and float64 instructions for affineBytesNEON.
var (
	fcvtl2   = wide(0x4e617800, "fcvtl2", "2d", "4s")
	fcvtlLow = wide(0x0e617800, "fcvtl", "2d", "2s")
	fcvtnLow = wide(0x0e616800, "fcvtn", "2s", "2d")
	fcvtn2   = wide(0x4e616800, "fcvtn2", "4s", "2d")
	uxtlB    = wide(0x2f08a400, "uxtl", "8h", "8b")
	uxtlH    = wide(0x2f10a400, "uxtl", "4s", "4h")
	uxtl2H   = wide(0x6f10a400, "uxtl2", "4s", "8h")
	ucvtf    = two(0x6e21d800, "ucvtf", "")
	fmla2d   = three(0x4e60cc00, "fmla", "2d")
)

// wide is an "op vd.<to>, vn.<from>" instruction that changes the lanes'
// width.
func wide(base uint32, mnemonic, to, from string) func(d, n V) inst {
	return func(d, n V) inst {
		return inst{base | uint32(n)<<5 | uint32(d), fmt.Sprintf("%s v%d.%s, v%d.%s", mnemonic, d, to, n, from)}
	}
}

// affineBytes writes affineBytesNEON: dst[i] = float32(a·src[i] + b), 8
// bytes at a time. Bytes widen to uint32 and convert to float32 exactly,
// then to float64 exactly; FMLA adds x·a to a copy of b rounding once, as
// math.FMA does; FCVTN rounds to nearest, as float32() does.
func affineBytes(f *file) {
	f.text("affineBytesNEON", 64, "(dst []float32, src []byte, a, b float64)")
	f.line("MOVD dst_base+0(FP), R0")
	f.line("MOVD src_base+24(FP), R1")
	f.line("MOVD src_len+32(FP), R2")
	f.line("FMOVD a+48(FP), F29")
	f.line("VDUP V29.D[0], V29.D2")
	f.line("FMOVD b+56(FP), F30")
	f.line("VDUP V30.D[0], V30.D2")
	f.line("LSR $3, R2")
	f.line("CBZ R2, done")
	f.label("loop")
	f.line("VLD1.P 8(R1), [V0.B8]")
	f.emit(uxtlB(0, 0))
	f.emit(uxtlH(1, 0))
	f.emit(uxtl2H(2, 0))
	f.emit(ucvtf(1, 1))
	f.emit(ucvtf(2, 2))
	for i, half := range []V{1, 1, 2, 2} {
		x, acc := V(3+i), V(7+i)
		if i%2 == 0 {
			f.emit(fcvtlLow(x, half))
		} else {
			f.emit(fcvtl2(x, half))
		}
		f.emit(orr(acc, 30, 30)) // acc = b
		f.emit(fmla2d(acc, x, 29))
	}
	f.emit(fcvtnLow(11, 7))
	f.emit(fcvtn2(11, 8))
	f.emit(fcvtnLow(12, 9))
	f.emit(fcvtn2(12, 10))
	f.line("VST1.P [V11.S4, V12.S4], 32(R0)")
	f.line("SUBS $1, R2")
	f.line("BNE loop")
	f.label("done")
	f.line("RET")

	f.text("prefetchLines", 16, "(p *byte, lines int)")
	f.line("MOVD p+0(FP), R0")
	f.line("MOVD lines+8(FP), R1")
	f.label("line")
	f.line("PRFM (R0), PLDL1KEEP")
	f.line("ADD $64, R0")
	f.line("SUBS $1, R1")
	f.line("BNE line")
	f.line("RET")
}
