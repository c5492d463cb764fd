package main

import (
	"fmt"
	"math"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	"github.com/mmcloughlin/avo/reg"

	"github.com/zofo/zofo/asm/internal/isa"
)

// exp64Limit bounds the lanes exp64 takes: |x| ≤ 700 keeps the exponent k
// of Go's reduction within ±1010, so 2^k is a normal double and the
// result neither overflows nor goes subnormal (Go's branches for those are
// left to math.Exp itself).
const exp64Limit = 700

// The constants of Go's math.Exp on amd64 (src/math/exp_amd64.s, from
// Shibata's SLEEF): ln 2 in two parts, and the Taylor coefficients
// 1/2, 1, 2, 1/6, 1/24, 1/120, 1/720, 1/5040, 1/40320.
const (
	log2e = 1.4426950408889634073599246810018920
	ln2U  = 0.69314718055966295651160180568695068359375
	ln2L  = 0.28235290563031577122588448175013436025525412068e-12
)

var taylor = []float64{2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
	8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1, 0.5, 1.0}

// exp64 emits exp64{ISA}(x []float64) int: x[i] = math.Exp(x[i]) in place,
// a vector of doubles at a time, with the instructions Go's math.Exp runs
// on a CPU with FMA (its avxfma branch), lane by lane. It stops before
// the first vector with a lane outside ±exp64Limit (or NaN) and returns
// how many doubles it did; Go's math.Exp does that vector. The softmax
// of every loss took 640 scalar calls per batch of 64.
func exp64(s isa.ISA) {
	name := s.Fn("exp64")
	TEXT(name, NOSPLIT, "func(x []float64) int")
	Pragma("noescape")
	Doc(name+" sets x[i] = math.Exp(x[i]) (Go's FMA form), whole vectors, stopping before one with a lane",
		"outside ±700 or NaN; it returns the count done. len(x) must be a multiple of one vector of doubles.")
	x, n := ptr("x"), length("x")
	lanes := s.Lanes / 2
	done := GP64()
	XORQ(done, done)
	TESTQ(n, n)
	JZ(LabelRef("done"))
	Label("vector")
	v := s.Vec()
	VMOVUPD(Mem{Base: x}, v)
	inRange(s, v)
	JNE(LabelRef("done"))
	expLanes(s, v)
	VMOVUPD(v, Mem{Base: x})
	ADDQ(U8(s.Bytes()), x)
	ADDQ(U8(lanes), done)
	SUBQ(U8(lanes), n)
	JNZ(LabelRef("vector"))
	Label("done")
	Store(done, ReturnIndex(0))
	s.Ret()
}

// inRange sets the flags so that JNE jumps unless every lane of v is
// within ±exp64Limit (NaN is not).
func inRange(s isa.ISA, v reg.VecVirtual) {
	abs, bits := s.Vec(), GP32()
	VANDPD(f64(s, math.Float64frombits(math.MaxInt64)), v, abs)
	if s.Wide() {
		k := K()
		VCMPPD(U8(2), f64(s, exp64Limit), abs, k) // abs ≤ limit, false for NaN
		KMOVB(k, bits)
		CMPL(bits, U32(0xff))
		return
	}
	VCMPPD(U8(2), f64(s, exp64Limit), abs, abs)
	VMOVMSKPD(abs, bits)
	CMPL(bits, U32(0xf))
}

// expLanes replaces each lane x of v with exp(x), in the order of Go's
// avxfma branch: k = round(x·log₂e); r = ((x − k·ln2U) − k·ln2L)/16, each
// subtraction fused; the Taylor polynomial p(r) by FMAs; y = r·p; y ←
// y·(y + 2) three times and y·(y + 2) + 1 fused, squaring e^r four times
// over; then y·2^k.
func expLanes(s isa.ISA, v reg.VecVirtual) {
	t, kd, p := s.Vec(), s.Vec(), s.Vec()
	k, scale := s.Half(), s.Vec()
	VMULPD(f64(s, log2e), v, t)
	if s.Wide() {
		VCVTPD2DQ(t, k)
	} else {
		VCVTPD2DQY(t, k) // Go's name for the ymm source
	}
	VCVTDQ2PD(k, kd)
	VFNMADD231PD(f64(s, ln2U), kd, v)
	VFNMADD231PD(f64(s, ln2L), kd, v)
	VMULPD(f64(s, 0.0625), v, v)
	VMOVUPD(f64(s, taylor[0]), p)
	for _, c := range taylor[1:] {
		VFMADD213PD(f64(s, c), v, p) // p = p·r + c
	}
	VMULPD(p, v, v)
	for range 3 {
		VADDPD(f64(s, 2), v, t)
		VMULPD(t, v, v)
	}
	VADDPD(f64(s, 2), v, t)
	VFMADD213PD(f64(s, 1), t, v) // v = v·t + 1
	VPMOVSXDQ(k, scale)
	VPADDQ(f64bits(s, 1023), scale, scale)
	VPSLLQ(U8(52), scale, scale) // 2^k as a double
	VMULPD(scale, v, v)
}

// f64 is a read-only vector of doubles equal to c.
func f64(s isa.ISA, c float64) Mem { return f64bits(s, math.Float64bits(c)) }

// f64bits is a read-only vector of 64-bit lanes equal to bits.
func f64bits(s isa.ISA, bits uint64) Mem {
	lanes := make([]uint32, s.Lanes)
	for i := 0; i < len(lanes); i += 2 {
		lanes[i], lanes[i+1] = uint32(bits), uint32(bits>>32)
	}
	return s.Table(fmt.Sprintf("q%016x", bits), lanes)
}
