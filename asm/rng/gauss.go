package main

import (
	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
	"github.com/zofo/zofo/asm/internal/vmath"
	rc "github.com/zofo/zofo/internal/rngconst"
)

// gaussian computes Lanes pairs per iteration: AVX2 one 16-element block
// (cos lanes then sin lanes), AVX-512 two blocks, interleaved by VSHUFF32X4.
func gaussian(s isa.ISA, fill bool) {
	fn := name(s, "gaussian", fill)
	TEXT(fn, NOSPLIT, signature(fill, "k0, k1, k2, k3"))
	Pragma("noescape")
	Doc(fn+" is the Gaussian direction kernel for blocks ctr, ctr+1, ...;",
		"len(w) must be a multiple of 2·Lanes.")
	g := gauss{s: s, fill: fill}
	g.run()
}

type gauss struct {
	s     isa.ISA
	fill  bool
	steps int // a chain kernel's steps; 0 for fill and add
	keys  [4]reg.VecVirtual
}

func (g *gauss) run() {
	s := g.s
	for i, k := range []string{"k0", "k1", "k2", "k3"} {
		g.keys[i] = s.SplatGP(Load(Param(k), GP32()))
	}
	io := g.operands()
	n := io.n
	ctr := Load(Param("ctr"), GP32())
	SHLL(U8(3), ctr) // first pair counter: 8 pairs per block
	pc := s.SplatGP(ctr)
	iota := make([]uint32, s.Lanes)
	for j := range iota {
		iota[j] = uint32(j)
	}
	VPADDD(s.Table("iota", iota), pc, pc)
	SHRQ(U8(map[int]uint8{8: 4, 16: 5}[s.Lanes]), n)
	JZ(LabelRef("done"))
	Label("loop")
	r := g.radius(pc)
	cosv, sinv := g.sincos(pc)
	VMULPS(r, cosv, cosv)
	VMULPS(r, sinv, sinv)
	g.store(io, cosv, sinv)
	VPADDD(s.Const(uint32(s.Lanes)), pc, pc)
	io.advance(2 * s.Bytes()) // two vectors out per iteration
	DECQ(n)
	JNZ(LabelRef("loop"))
	Label("done")
	s.Ret()
}

// word is mix32(mix32(pc ^ ka) + kb) on every lane.
func (g *gauss) word(pc reg.VecVirtual, ka, kb reg.VecVirtual) reg.VecVirtual {
	x := g.s.Vec()
	g.s.Xor(ka, pc, x)
	g.mix(x)
	VPADDD(kb, x, x)
	g.mix(x)
	return x
}

func (g *gauss) mix(x reg.VecVirtual) {
	t := g.s.Vec()
	for i, m := range []uint32{rc.MulA, rc.MulB, 0} {
		VPSRLD(U8(rc.MixShifts[i]), x, t)
		g.s.Xor(t, x, x)
		if m != 0 {
			VPMULLD(g.s.Const(m), x, x)
		}
	}
}

// radius is sqrt(−2·logf(u1)), u1 = ((u>>8)+1)·2⁻²⁴, logf as musl's.
func (g *gauss) radius(pc reg.VecVirtual) reg.VecVirtual {
	s := g.s
	c := func(x float32) Mem { return s.Const(f32(x)) }
	u := g.word(pc, g.keys[0], g.keys[1])
	VPSRLD(U8(8), u, u)
	VPADDD(s.Const(1), u, u)
	VCVTDQ2PS(u, u)
	VMULPS(c(0x1p-24), u, u)
	t2 := vmath.Logf(s, u)
	VMULPS(c(-2), t2, t2)
	VSQRTPS(t2, t2)
	return t2
}

// sincos returns cos and sin of 2π·(v>>8)/2²⁴ for v = word(pc, k2, k3).
func (g *gauss) sincos(pc reg.VecVirtual) (cosv, sinv reg.VecVirtual) {
	s := g.s
	v := g.word(pc, g.keys[2], g.keys[3])
	x := s.Vec()
	VPSRLD(U8(8), v, x)
	s.And(s.Const(0x3fffff), x, x)
	VCVTDQ2PS(x, x)
	VMULPS(s.Const(f32(0x1p-22)), x, x)
	VMULPS(s.Const(f32(rc.HalfPi)), x, x)
	x2 := s.Vec()
	VMULPS(x, x, x2)
	sinv = g.horner(x2, rc.SinCoef)
	t := s.Vec()
	VMULPS(x2, x, t)
	VMULPS(sinv, t, t)
	VADDPS(t, x, x) // sin = x + x·x²·P(x²)
	sinv = x
	cosv = g.horner(x2, rc.CosCoef)
	VMULPS(x2, cosv, cosv)
	VADDPS(s.Const(f32(1)), cosv, cosv)
	VPSRLD(U8(30), v, v) // quadrant
	g.quadrant(v, cosv, sinv)
	return cosv, sinv
}

func (g *gauss) horner(x reg.VecVirtual, coef []float32) reg.VecVirtual {
	return vmath.Horner(g.s, x, coef)
}

// quadrant swaps cos and sin for odd q and fixes their signs, with integers.
func (g *gauss) quadrant(q, cosv, sinv reg.VecVirtual) {
	s := g.s
	m, d := s.Vec(), s.Vec()
	VPSLLD(U8(31), q, m)
	VPSRAD(U8(31), m, m)
	s.Xor(sinv, cosv, d)
	s.And(m, d, d)
	s.Xor(d, cosv, cosv)
	s.Xor(d, sinv, sinv)
	VPADDD(s.Const(1), q, m) // cos sign: ((q+1)>>1 & 1) << 31
	VPSRLD(U8(1), m, m)
	VPSLLD(U8(31), m, m)
	s.Xor(m, cosv, cosv)
	VPSRLD(U8(1), q, q) // sin sign: (q>>1) << 31
	VPSLLD(U8(31), q, q)
	s.Xor(q, sinv, sinv)
}

// store writes (or adds alpha times, or chains) the cos lanes then the sin
// lanes of each block.
func (g *gauss) store(io operands, cosv, sinv reg.VecVirtual) {
	s := g.s
	out := []reg.VecVirtual{cosv, sinv}
	if s.Wide() {
		lo, hi := s.Vec(), s.Vec()
		VSHUFF32X4(U8(0x44), sinv, cosv, lo)
		VSHUFF32X4(U8(0xee), sinv, cosv, hi)
		out = []reg.VecVirtual{lo, hi}
	}
	if g.steps > 0 {
		for i, v := range out {
			io.chain(s, i*s.Bytes(), g.steps, func(step int, t reg.VecVirtual) {
				VBROADCASTSS(io.alpha(step), t)
				VMULPS(v, t, t)
			})
		}
		return
	}
	var alpha reg.VecVirtual
	if !g.fill {
		alpha = s.Splat("alpha")
	}
	for i, v := range out {
		m := Mem{Base: io.dst, Disp: i * s.Bytes()}
		if !g.fill {
			VMULPS(alpha, v, v)
			VADDPS(m, v, v)
		}
		VMOVUPS(v, m)
	}
}
