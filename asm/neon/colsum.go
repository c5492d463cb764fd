package main

import "fmt"

// columnSumsNEON writes columnSums{vecs}NEON for vecs = 1…4: sums[0:4·vecs]
// = the sums of the first 4·vecs columns of x (rows of ld floats), each
// added up row by row from +0 (FADD keeps the running sum's NaN, as Go's
// reference does). Go sums the columns past the last whole vector.
func columnSumsNEON(f *file) {
	for vecs := 1; vecs <= 4; vecs++ {
		f.text(fmt.Sprintf("columnSums%dNEON", vecs), 32, "(sums, x *float32, rows, ld int)")
		f.line("MOVD sums+0(FP), R0")
		f.line("MOVD x+8(FP), R1")
		f.line("MOVD rows+16(FP), R2")
		f.line("MOVD ld+24(FP), R3")
		f.line("LSL $2, R3")
		for i := 0; i < vecs; i++ {
			f.line("VEOR V%d.B16, V%d.B16, V%d.B16", 16+i, 16+i, 16+i)
		}
		f.line("CBZ R2, done")
		f.label("row")
		f.line("VLD1 (R1), %s", vregs(0, vecs))
		for i := V(0); i < V(vecs); i++ {
			f.emit(fadd(16+i, 16+i, i))
		}
		f.line("ADD R3, R1")
		f.line("SUBS $1, R2")
		f.line("BNE row")
		f.label("done")
		f.line("VST1 %s, (R0)", vregs(16, vecs))
		f.line("RET")
	}
}
