// Command rng generates the counter-based random-direction kernels of
// package rng (fill, fused perturb and chain, Rademacher and Gaussian). Every
// float operation mirrors kernels/rng/rng.go one for one, with no FMA, so all
// paths produce identical bits.
package main

import (
	"math"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
	rc "github.com/zofo/zofo/internal/rngconst"
)

func main() {
	ConstraintExpr("!purego")
	for _, s := range isa.All {
		for _, fill := range []bool{true, false} {
			rademacher(s, fill)
			gaussian(s, fill)
		}
		for steps := 1; steps <= maxSteps; steps++ {
			rademacherChain(s, steps)
			gaussianChain(s, steps)
		}
	}
	Generate()
}

func name(s isa.ISA, dist string, fill bool) string {
	if fill {
		return s.Fn(dist + "Fill")
	}
	return s.Fn(dist + "Add")
}

func signature(fill bool, keys string) string {
	if fill {
		return "func(w []float32, ctr uint32, " + keys + " uint32)"
	}
	return "func(w []float32, alpha float32, ctr uint32, " + keys + " uint32)"
}

// value is the vector XORed with a direction's sign bits: 1.0 to fill,
// alpha to perturb (w ± alpha is then one exactly rounded add).
func value(s isa.ISA, fill bool) reg.VecVirtual {
	if fill {
		v := s.Vec()
		VMOVUPS(s.Const(math.Float32bits(1)), v)
		return v
	}
	return s.Splat("alpha")
}

func f32(x float32) uint32 { return math.Float32bits(x) }

// mixGP is mix32 on a general register.
func mixGP(x reg.GPVirtual) {
	t := GP32()
	for i, m := range []uint32{rc.MulA, rc.MulB, 0} {
		MOVL(x, t)
		SHRL(U8(rc.MixShifts[i]), t)
		XORL(t, x)
		if m != 0 {
			IMUL3L(U32(m), x, x)
		}
	}
}

// rademacher handles 32-element blocks: one word per block, lane j's sign
// is bit j of the word, moved to bit 31 by a per-lane variable shift.
func rademacher(s isa.ISA, fill bool) {
	fn := name(s, "rademacher", fill)
	TEXT(fn, NOSPLIT, signature(fill, "k0, k1"))
	Pragma("noescape")
	Doc(fn+" is the Rademacher direction kernel for counters ctr, ctr+1, ...;",
		"len(w) must be a multiple of 32.")
	val := value(s, fill)
	sign := s.Vec()
	VMOVUPS(s.Const(0x80000000), sign)
	vecs := 32 / s.Lanes
	w, n := Load(Param("w").Base(), GP64()), Load(Param("w").Len(), GP64())
	ctr, k0, k1 := Load(Param("ctr"), GP32()), Load(Param("k0"), GP32()), Load(Param("k1"), GP32())
	SHRQ(U8(5), n)
	JZ(LabelRef("done"))
	Label("loop")
	bits := s.SplatGP(rademacherWord(ctr, k0, k1))
	for v := 0; v < vecs; v++ {
		t := s.Vec()
		VPSLLVD(shifts(s, v), bits, t)
		s.And(sign, t, t)
		s.Xor(val, t, t)
		m := Mem{Base: w, Disp: v * s.Bytes()}
		if !fill {
			VADDPS(m, t, t)
		}
		VMOVUPS(t, m)
	}
	ADDQ(U32(128), w)
	INCL(ctr)
	DECQ(n)
	JNZ(LabelRef("loop"))
	Label("done")
	s.Ret()
}

// shifts is the table moving bit (v·Lanes + j) of lane j to bit 31.
func shifts(s isa.ISA, v int) Mem {
	lanes := make([]uint32, s.Lanes)
	for j := range lanes {
		lanes[j] = uint32(31 - (v*s.Lanes + j))
	}
	return s.Table("shift"+string(rune('a'+v)), lanes)
}
