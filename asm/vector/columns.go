package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
	"github.com/zofo/zofo/asm/internal/vmath"
	ec "github.com/zofo/zofo/internal/expconst"
)

// crossEntropyColumns is kernels.crossEntropyColumnsGeneric on Lanes
// columns at a time: three passes over the classes (the label's logit, the
// largest difference m, the sum of exponentials), then m + log(sum).
func crossEntropyColumns(s isa.ISA) {
	begin(s, "crossEntropyColumns", "func(loss, logits []float32, labels []int32, classes, ld int)",
		"the cross-entropy of each column of the class-major logits (see CrossEntropyColumns).")
	loss, logits, labels := ptr("loss"), ptr("logits"), ptr("labels")
	n, classes := length("loss"), Load(Param("classes"), GP64())
	stride := Load(Param("ld"), GP64())
	SHLQ(U8(2), stride) // bytes between classes
	floor := s.Vec()
	VMOVUPS(vmath.Float(s, ec.Min), floor)
	shift := map[int]uint8{8: 3, 16: 4}[s.Lanes]
	SHRQ(U8(shift), n)
	JZ(LabelRef("done"))
	Label("column")
	lab := s.Vec()
	VMOVUPS(Mem{Base: labels}, lab) // the int32 labels, as bits
	zy := labelLogit(s, logits, lab, classes, stride)
	m := largestDifference(s, logits, zy, classes, stride)
	sum := expSum(s, logits, zy, m, floor, classes, stride)
	nan := s.Vec()
	VSUBPS(sum, sum, nan) // 0, or NaN for a NaN sum, which logf's bit split would hide
	VADDPS(vmath.Logf(s, sum), m, m)
	VADDPS(nan, m, m)
	VMOVUPS(m, Mem{Base: loss})
	for _, p := range []reg.Register{loss, logits, labels} {
		ADDQ(U8(s.Bytes()), p)
	}
	DECQ(n)
	JNZ(LabelRef("column"))
	Label("done")
	s.Ret()
}

// classLoop emits a loop over the classes from first, with p at class
// first's logits of the columns; body reads them at Mem{Base: p}.
func classLoop(name string, logits, classes, stride reg.Register, first int, body func(p reg.Register)) {
	p, c := GP64(), GP64()
	MOVQ(logits, p)
	MOVQ(classes, c)
	for range first {
		ADDQ(stride, p)
		DECQ(c)
	}
	TESTQ(c, c)
	JZ(LabelRef(name + "done"))
	Label(name)
	body(p)
	ADDQ(stride, p)
	DECQ(c)
	JNZ(LabelRef(name))
	Label(name + "done")
}

// labelLogit is z_y: each lane takes class c's logit where its label is c.
func labelLogit(s isa.ISA, logits reg.Register, lab reg.VecVirtual, classes, stride reg.Register) reg.VecVirtual {
	zy, class, z := s.Vec(), s.Vec(), s.Vec()
	s.Zero(zy)
	s.Zero(class)
	classLoop("label", logits, classes, stride, 0, func(p reg.Register) {
		VMOVUPS(Mem{Base: p}, z)
		if s.Wide() {
			k := K()
			VPCMPEQD(class, lab, k)
			VBLENDMPS(z, zy, k, zy)
		} else {
			mask := s.Vec()
			VPCMPEQD(class, lab, mask)
			VBLENDVPS(mask, z, zy, zy)
		}
		VPADDD(s.Const(1), class, class)
	})
	return zy
}

// largestDifference is m = max_c (z_c − z_y), NaN kept from each z_c.
func largestDifference(s isa.ISA, logits reg.Register, zy reg.VecVirtual, classes, stride reg.Register) reg.VecVirtual {
	m, d := s.Vec(), s.Vec()
	VMOVUPS(Mem{Base: logits}, m)
	VSUBPS(zy, m, m)
	classLoop("max", logits, classes, stride, 1, func(p reg.Register) {
		VMOVUPS(Mem{Base: p}, d)
		VSUBPS(zy, d, d)
		VMAXPS(d, m, m) // m > d ? m : d, so a NaN d passes
	})
	return m
}

// expSum is Σ_c exp((z_c − z_y) − m).
func expSum(s isa.ISA, logits reg.Register, zy, m, floor reg.VecVirtual, classes, stride reg.Register) reg.VecVirtual {
	sum, x := s.Vec(), s.Vec()
	s.Zero(sum)
	classLoop("exp", logits, classes, stride, 0, func(p reg.Register) {
		VMOVUPS(Mem{Base: p}, x)
		VSUBPS(zy, x, x)
		VSUBPS(m, x, x)
		VADDPS(expNonPositive(s, x, floor), sum, sum)
	})
	return sum
}

// expNonPositive is kernels.expNonPositive: clamp, x = k·ln2 + r, the
// polynomial, then 2^k built in the exponent field.
func expNonPositive(s isa.ISA, x, floor reg.VecVirtual) reg.VecVirtual {
	VMAXPS(x, floor, x) // floor > x ? floor : x, so NaN passes
	k, kf, t := s.Vec(), s.Vec(), s.Vec()
	VMULPS(vmath.Float(s, ec.Log2e), x, t)
	VCVTPS2DQ(t, k) // round to nearest even
	VCVTDQ2PS(k, kf)
	VMULPS(vmath.Float(s, ec.Ln2Hi), kf, t)
	VSUBPS(t, x, x)
	VMULPS(vmath.Float(s, ec.Ln2Lo), kf, t)
	VSUBPS(t, x, x) // r
	p := vmath.Horner(s, x, ec.Coef)
	VMULPS(x, x, t)
	VMULPS(t, p, p)
	VADDPS(x, p, p)
	VADDPS(vmath.Float(s, 1), p, p)
	VPADDD(s.Const(127), k, k)
	VPSLLD(U8(23), k, k)
	VMULPS(k, p, p)
	return p
}
