// Package vmath emits float32 elementary functions for the avo generators,
// one instruction per operation of their Go references in package kernels
// (every product rounded before its add, no FMA), so every path computes
// the same bits.
package vmath

import (
	"math"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
	rc "github.com/zofo/zofo/internal/rngconst"
)

// Float is a read-only vector with every lane x.
func Float(s isa.ISA, x float32) Mem { return s.Const(math.Float32bits(x)) }

// Logf returns musl's logf of u's lanes (positive normal floats), as
// kernels.logf; u is overwritten.
func Logf(s isa.ISA, u reg.VecVirtual) reg.VecVirtual {
	// Split into k and f = m − 1 with m in [√2/2, √2).
	VPADDD(s.Const(0x3f800000-rc.SqrtHalfBits), u, u)
	dk := s.Vec()
	VPSRLD(U8(23), u, dk)
	VPSUBD(s.Const(0x7f), dk, dk)
	VCVTDQ2PS(dk, dk)
	s.And(s.Const(0x007fffff), u, u)
	VPADDD(s.Const(rc.SqrtHalfBits), u, u)
	f := u
	VSUBPS(Float(s, 1), f, f)
	sv, z, w := s.Vec(), s.Vec(), s.Vec()
	VADDPS(Float(s, 2), f, sv)
	VDIVPS(sv, f, sv) // s = f/(2+f)
	VMULPS(sv, sv, z)
	VMULPS(z, z, w)
	t1, t2 := s.Vec(), s.Vec()
	VMULPS(Float(s, rc.Lg4), w, t1)
	VADDPS(Float(s, rc.Lg2), t1, t1)
	VMULPS(w, t1, t1)
	VMULPS(Float(s, rc.Lg3), w, t2)
	VADDPS(Float(s, rc.Lg1), t2, t2)
	VMULPS(z, t2, t2)
	VADDPS(t1, t2, t2) // R = t2 + t1
	hfsq := s.Vec()
	VMULPS(Float(s, 0.5), f, hfsq)
	VMULPS(f, hfsq, hfsq)
	VADDPS(hfsq, t2, t2) // hfsq + R
	VMULPS(sv, t2, t2)   // y = s·(hfsq + R)
	VMULPS(Float(s, rc.Ln2Lo), dk, t1)
	VADDPS(t1, t2, t2)
	VSUBPS(hfsq, t2, t2)
	VADDPS(f, t2, t2)
	VMULPS(Float(s, rc.Ln2Hi), dk, t1)
	VADDPS(t1, t2, t2)
	return t2
}

// Horner returns c[0]·xⁿ + … + c[n] with separately rounded steps.
func Horner(s isa.ISA, x reg.VecVirtual, coef []float32) reg.VecVirtual {
	p := s.Vec()
	VMULPS(Float(s, coef[0]), x, p)
	for i, ci := range coef[1:] {
		VADDPS(Float(s, ci), p, p)
		if i < len(coef)-2 {
			VMULPS(x, p, p)
		}
	}
	return p
}
