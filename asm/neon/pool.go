package main

// The 2×2 max-pooling kernels on one output row of windows of c channels,
// as asm/vector/pool.go does them: a window's channels in vectors of 4, a
// last vector that would pass the window's end started at c − 4 instead,
// and windows of fewer than 4 channels done in one vector whose extra
// lanes write garbage that later windows overwrite. Go's assembler has no
// register-offset vector load, so each address is made in R9 first.

// windowLoop loads c (as bytes, to R13) and the window count (R14) from
// the arguments at byte cOff and the next, sets R15 to the byte offset of a window's last
// vector (max(c − 4, 0) floats), and loops over windows and their
// vectors: body works on the vector at byte offset R8 of each
// window start. step advances the pointers to the next window.
func (f *file) windowLoop(cOff int, body func(), step func()) {
	f.line("MOVD c+%d(FP), R13", cOff)
	f.line("LSL $2, R13")
	f.line("MOVD windows+%d(FP), R14", cOff+8)
	f.line("SUBS $16, R13, R15")
	f.line("CSEL LT, ZR, R15, R15")
	f.line("CBZ R14, done")
	f.label("window")
	f.line("MOVD ZR, R8")
	f.label("vector")
	f.line("CMP R15, R8")
	f.line("CSEL GT, R15, R8, R8")
	body()
	f.line("CMP R15, R8")
	f.line("BEQ next")
	f.line("ADD $16, R8")
	f.line("B vector")
	f.label("next")
	step()
	f.line("SUBS $1, R14")
	f.line("BNE window")
	f.label("done")
	f.line("RET")
}

// load reads the vector at byte offset R8 of base (plus c bytes, for the
// right-hand column of a window) into v.
func (f *file) load(v V, base string, right bool) {
	f.line("ADD R8, %s, R9", base)
	if right {
		f.line("ADD R13, R9")
	}
	f.line("VLD1 (R9), [V%d.S4]", v)
}

func (f *file) store(v V, base string, right bool) {
	f.line("ADD R8, %s, R9", base)
	if right {
		f.line("ADD R13, R9")
	}
	f.line("VST1 [V%d.S4], (R9)", v)
}

// advance moves each pointer on by c bytes, twice for the input rows.
func (f *file) advance(outs, rows []string) {
	for _, r := range outs {
		f.line("ADD R13, %s", r)
	}
	for _, r := range rows {
		f.line("ADD R13<<1, %s", r)
	}
}

// maxPool2NEON is max(max(a, cc), max(b, d)) with Go's max: FMAX returns
// +0 for a tie of ±0 and, on a NaN, its first operand if that is NaN, so
// the second argument goes first.
func maxPool2NEON(f *file) {
	f.text("maxPool2NEON", 88, "(out, top, bottom []float32, c, windows int)")
	f.line("MOVD out_base+0(FP), R0")
	f.line("MOVD top_base+24(FP), R1")
	f.line("MOVD bottom_base+48(FP), R2")
	f.windowLoop(72, func() {
		f.load(0, "R1", false)
		f.load(1, "R1", true)
		f.load(2, "R2", false)
		f.load(3, "R2", true)
		f.emit(fmax(0, 2, 0)) // max(a, cc)
		f.emit(fmax(1, 3, 1)) // max(b, d)
		f.emit(fmax(0, 1, 0))
		f.store(0, "R0", false)
	}, func() { f.advance([]string{"R0"}, []string{"R1", "R2"}) })
}

// maxUnpool2NEON stores dy to the first of a, b, cc, d equal to y (FCMEQ:
// false for NaN), d if none is, and +0 to the others.
func maxUnpool2NEON(f *file) {
	f.text("maxUnpool2NEON", 160, "(dxTop, dxBottom, top, bottom, y, dy []float32, c, windows int)")
	for i, arg := range []string{"dxTop_base+0", "dxBottom_base+24", "top_base+48", "bottom_base+72", "y_base+96", "dy_base+120"} {
		f.line("MOVD %s(FP), R%d", arg, i)
	}
	f.windowLoop(144, func() {
		f.load(0, "R4", false) // y
		f.load(1, "R5", false) // dy
		ins := [4]struct {
			base  string
			right bool
		}{{"R2", false}, {"R2", true}, {"R3", false}, {"R3", true}}
		f.line("VEOR V6.B16, V6.B16, V6.B16") // taken
		for i, in := range ins {
			if i < 3 {
				f.load(2, in.base, in.right)
				f.emit(fcmeq(2, 2, 0))
				f.emit(bic(2, 2, 6)) // not taken before
				f.emit(orr(6, 6, 2))
				f.emit(and(3, 1, 2))
			} else {
				f.emit(bic(3, 1, 6))
			}
			out := map[string]string{"R2": "R0", "R3": "R1"}[in.base]
			f.store(3, out, in.right)
		}
	}, func() { f.advance([]string{"R4", "R5"}, []string{"R0", "R1", "R2", "R3"}) })
}
