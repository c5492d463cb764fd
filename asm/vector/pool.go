package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

// The 2×2 max-pooling kernels take one output row of NHWC windows: window
// o of c channels reads a = top[2oc:], b = top[2oc+c:], cc = bottom[2oc:]
// and d = bottom[2oc+c:]. Each window is done in vectors of channels; a
// last vector that would pass the window's end starts at c − Lanes
// instead, doing again some channels with the same result. A window of
// fewer channels than a vector is done in one, whose extra lanes write
// garbage into later windows that those windows then overwrite. So
// windows go in order, b after a and d after cc, and the caller leaves
// max(c, Lanes) floats of room after window o's outputs (kernels.poolWindows).

// windowArgs loads the kernel's c (as bytes) and window count, and the
// byte offset of the last vector of a window: max(c − Lanes, 0) floats.
func windowArgs(s isa.ISA) (cb, windows, last reg.Register) {
	cb, windows, last = Load(Param("c"), GP64()), Load(Param("windows"), GP64()), GP64()
	SHLQ(U8(2), cb)
	zero := GP64()
	XORQ(zero, zero)
	MOVQ(cb, last)
	SUBQ(U32(s.Bytes()), last)
	CMOVQLT(zero, last)
	return cb, windows, last
}

// windowLoop emits the loop over windows and, inside, over a window's
// vectors: body(off) works on the vector at byte offset off of each
// window start. step advances the pointers from one window to the next.
func windowLoop(windows, last reg.Register, s isa.ISA, body func(off reg.Register), step func()) {
	TESTQ(windows, windows)
	JZ(LabelRef("done"))
	off := GP64()
	Label("window")
	XORQ(off, off)
	Label("vector")
	CMPQ(off, last)
	CMOVQGT(last, off)
	body(off)
	CMPQ(off, last)
	JEQ(LabelRef("next"))
	ADDQ(U32(s.Bytes()), off)
	JMP(LabelRef("vector"))
	Label("next")
	step()
	DECQ(windows)
	JNZ(LabelRef("window"))
	Label("done")
	s.Ret()
}

func idx(base, off reg.Register) Mem { return Mem{Base: base, Index: off, Scale: 1} }

// maxPool2 is out = max(max(a, cc), max(b, d)), Go's max at each step.
func maxPool2(s isa.ISA) {
	TEXT(s.Fn("maxPool2"), NOSPLIT, "func(out, top, bottom []float32, c, windows int)")
	Pragma("noescape")
	Doc(s.Fn("maxPool2")+" writes the maxima of windows 2×2 windows of c channels (see kernels.MaxPool2Rows).",
		"It writes up to max(c, Lanes) floats from each window's outputs on.")
	out, top, bottom := ptr("out"), ptr("top"), ptr("bottom")
	cb, windows, last := windowArgs(s)
	topB, bottomB := GP64(), GP64()
	LEAQ(idx(top, cb), topB)
	LEAQ(idx(bottom, cb), bottomB)
	windowLoop(windows, last, s, func(off reg.Register) {
		a, b, cc, d := s.Vec(), s.Vec(), s.Vec(), s.Vec()
		VMOVUPS(idx(top, off), a)
		VMOVUPS(idx(bottom, off), cc)
		VMOVUPS(idx(topB, off), b)
		VMOVUPS(idx(bottomB, off), d)
		VMOVUPS(goMax(s, goMax(s, a, cc), goMax(s, b, d)), idx(out, off))
	}, func() {
		ADDQ(cb, out)
		for _, p := range []reg.Register{top, topB, bottom, bottomB} {
			ADDQ(cb, p)
			ADDQ(cb, p)
		}
	})
}

// maxUnpool2 routes dy to each window's first input equal to its maximum
// y (a, b, cc, then d, as for a NaN), zero to the other three.
func maxUnpool2(s isa.ISA) {
	TEXT(s.Fn("maxUnpool2"), NOSPLIT, "func(dxTop, dxBottom, top, bottom, y, dy []float32, c, windows int)")
	Pragma("noescape")
	Doc(s.Fn("maxUnpool2")+" routes dy through windows 2×2 windows of c channels (see kernels.MaxUnpool2Row).",
		"It writes up to max(c, Lanes) floats from each window's gradients on.")
	dxTop, dxBottom, top, bottom := ptr("dxTop"), ptr("dxBottom"), ptr("top"), ptr("bottom")
	y, dy := ptr("y"), ptr("dy")
	cb, windows, last := windowArgs(s)
	dxTopB, dxBottomB, topB, bottomB := GP64(), GP64(), GP64(), GP64()
	for i, p := range []reg.Register{dxTop, dxBottom, top, bottom} {
		LEAQ(idx(p, cb), []reg.Register{dxTopB, dxBottomB, topB, bottomB}[i])
	}
	windowLoop(windows, last, s, func(off reg.Register) {
		v, g := s.Vec(), s.Vec()
		VMOVUPS(idx(y, off), v)
		VMOVUPS(idx(dy, off), g)
		route(s, v, g, [4]Mem{idx(top, off), idx(topB, off), idx(bottom, off), idx(bottomB, off)},
			[4]Mem{idx(dxTop, off), idx(dxTopB, off), idx(dxBottom, off), idx(dxBottomB, off)})
	}, func() {
		ADDQ(cb, y)
		ADDQ(cb, dy)
		for _, p := range []reg.Register{dxTop, dxTopB, dxBottom, dxBottomB, top, topB, bottom, bottomB} {
			ADDQ(cb, p)
			ADDQ(cb, p)
		}
	})
}

// route stores g to dst[i] for the first in[i] equal to v (the last if
// none is), +0 to the others, in the order of dst: a, b, cc, d.
func route(s isa.ISA, v, g reg.VecVirtual, in, dst [4]Mem) {
	if s.Wide() {
		taken := K()
		KXORW(taken, taken, taken)
		for i := 0; i < 4; i++ {
			k, t := K(), s.Vec()
			if i < 3 {
				VCMPPS(U8(cmpEQ), in[i], v, k)
				KANDNW(k, taken, k) // k &^ taken
				KORW(k, taken, taken)
			} else {
				KNOTW(taken, k)
			}
			VMOVUPS_Z(g, k, t)
			VMOVUPS(t, dst[i])
		}
		return
	}
	taken, t := s.Vec(), s.Vec()
	s.Zero(taken)
	for i := 0; i < 4; i++ {
		if i < 3 {
			m := s.Vec()
			VCMPPS(U8(cmpEQ), in[i], v, m)
			VANDNPS(m, taken, m) // m &^ taken
			VORPS(m, taken, taken)
			VANDPS(g, m, t)
		} else {
			VANDNPS(g, taken, t) // g &^ taken
		}
		VMOVUPS(t, dst[i])
	}
}
