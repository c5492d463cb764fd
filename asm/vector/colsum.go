package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

// columnSums emits columnSums{vecs}{ISA}: sums[0:w] = the sums of the first
// w columns of x (rows of ld floats), w = (vecs−1)·Lanes + tail, each
// column added up row by row from +0, as adding the rows one at a time
// does. The last vector is stored under a mask of tail lanes, and read
// under it too but in the first whole rows, which the caller has checked
// can be read a whole vector on: masked loads that cross a cache line are
// slow, and the lanes past tail only add garbage that is never stored.
// A bias gradient of 10 or 20 channels (MyNetPlus) took a Go loop, or a
// kernels.Add call, per row.
func columnSums(s isa.ISA, vecs int) {
	name := s.Fn(fmt.Sprintf("columnSums%d", vecs))
	TEXT(name, NOSPLIT, "func(sums, x *float32, whole, rows, ld, tail int)")
	Pragma("noescape")
	Doc(name+fmt.Sprintf(" sums %d vectors of columns of x, the last one's first tail lanes, row by row.", vecs),
		"tail is 1…Lanes; the first whole rows are read a whole vector past their columns.")
	g, x := Load(Param("sums"), GP64()), Load(Param("x"), GP64())
	whole, rows, ld := Load(Param("whole"), GP64()), Load(Param("rows"), GP64()), Load(Param("ld"), GP64())
	SHLQ(U8(2), ld)
	SUBQ(whole, rows)
	tail := GP64()
	Load(Param("tail"), tail)
	load, store := tailMask(s, tail)
	acc := s.Vecs(vecs)
	for _, v := range acc {
		s.Zero(v)
	}
	last, t := vecs-1, s.Vec()
	at := func(v int) Mem { return Mem{Base: x, Disp: v * s.Bytes()} }
	rowLoop("whole", whole, x, ld, func() { // the lanes past tail add garbage that is never stored
		for v := range acc {
			VADDPS(at(v), acc[v], acc[v])
		}
	})
	rowLoop("masked", rows, x, ld, func() {
		for v := 0; v < last; v++ {
			VADDPS(at(v), acc[v], acc[v])
		}
		load(at(last), t)
		VADDPS(t, acc[last], acc[last])
	})
	for v := 0; v < last; v++ {
		VMOVUPS(acc[v], Mem{Base: g, Disp: v * s.Bytes()})
	}
	store(acc[last], Mem{Base: g, Disp: last * s.Bytes()})
	s.Ret()
}

// rowLoop emits a loop over n rows of x (n may be zero), each row's adds
// from body.
func rowLoop(name string, n, x, ld reg.Register, body func()) {
	TESTQ(n, n)
	JZ(LabelRef(name + "done"))
	Label(name)
	body()
	ADDQ(ld, x)
	DECQ(n)
	JNZ(LabelRef(name))
	Label(name + "done")
}

// tailMask returns a load (masked-off lanes zero) and a store (masked-off
// lanes untouched) of the first tail lanes.
func tailMask(s isa.ISA, tail reg.GPVirtual) (load func(Mem, reg.VecVirtual), store func(reg.VecVirtual, Mem)) {
	if s.Wide() {
		bits, k := GP32(), K()
		MOVL(U32(1), bits)
		SHLXL(tail.As32(), bits, bits)
		DECL(bits)
		KMOVW(bits, k)
		return func(m Mem, dst reg.VecVirtual) { VMOVUPS_Z(m, k, dst) },
			func(src reg.VecVirtual, m Mem) { VMOVUPS(src, k, m) }
	}
	mask := s.Vec()
	VMOVUPS(s.Table("lane0", []uint32{0, 1, 2, 3, 4, 5, 6, 7}), mask)
	VPCMPGTD(mask, s.SplatGP(tail.As32()), mask) // tail > lane
	return func(m Mem, dst reg.VecVirtual) { VMASKMOVPS(m, mask, dst) },
		func(src reg.VecVirtual, m Mem) { VMASKMOVPS(src, mask, m) }
}
