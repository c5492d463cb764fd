package kernels

import (
	"math"

	"github.com/zofo/zofo/internal/rngconst"
	"github.com/zofo/zofo/internal/splitmix"
)

// Key selects one random direction: the values z(key, i), i = 0, 1, 2, ...
// A value depends only on the key and i, so any element can be regenerated
// anywhere, in any order, on any path and thread count, with identical bits.
// Counters are 32-bit: Rademacher indices up to 2³⁷, Gaussian up to 2³³.
type Key struct{ K0, K1, K2, K3 uint32 }

// NewKey derives the key of direction (seed, stream). Streams of one seed
// (for example step·q + query) are as unrelated as different seeds.
func NewKey(seed, stream uint64) Key {
	s := seed
	h := splitmix.Next(&s) ^ stream
	a, b := splitmix.Next(&h), splitmix.Next(&h)
	return Key{uint32(a), uint32(a >> 32), uint32(b), uint32(b >> 32)}
}

// mix32 is Wellons' "lowbias32" integer hash, a bijection on uint32 built
// from shifts, xors and 32-bit multiplies: exactly what every SIMD path has.
func mix32(x uint32) uint32 {
	x ^= x >> rngconst.MixShifts[0]
	x *= rngconst.MulA
	x ^= x >> rngconst.MixShifts[1]
	x *= rngconst.MulB
	x ^= x >> rngconst.MixShifts[2]
	return x
}

// word is the keyed 32-bit output for counter c. Two keyed rounds make each
// key's sequence a different permutation, not a shifted copy of another's.
func word(c, ka, kb uint32) uint32 { return mix32(mix32(c^ka) + kb) }

// Dist is the distribution of a random direction.
type Dist uint8

const (
	// Rademacher is ±1 with equal probability: bit i&31 of word(i>>5).
	Rademacher Dist = iota
	// Gaussian is standard normal by Box–Muller. Elements come in blocks of
	// 16: element j<8 of block b is r·cos θ of pair 8b+j, element j+8 is
	// r·sin θ of the same pair, so a SIMD path turns each pair into two values.
	Gaussian
)

func (d Dist) String() string {
	switch d {
	case Rademacher:
		return "rademacher"
	case Gaussian:
		return "gaussian"
	}
	return "Dist(?)"
}

// At regenerates element i of direction key.
func At(d Dist, key Key, i uint64) float32 {
	if d == Rademacher {
		return rademacherAt(key, i)
	}
	return gaussianAt(key, i)
}

const signBit = 0x80000000

func rademacherAt(key Key, i uint64) float32 {
	w := word(uint32(i>>5), key.K0, key.K1)
	return math.Float32frombits(0x3f800000 | (w>>(i&31))<<31)
}

func gaussianAt(key Key, i uint64) float32 {
	c, s := gaussPair(key, uint32(i>>4)*8+uint32(i&7))
	if i&8 == 0 {
		return c
	}
	return s
}

// gaussPair is Box–Muller on the pair counter p. Every float operation is a
// separately rounded float32 op, in the exact order the assembly performs
// them, so that all paths agree to the bit.
func gaussPair(key Key, p uint32) (c, s float32) {
	u, v := word(p, key.K0, key.K1), word(p, key.K2, key.K3)
	u1 := mul(float32(int32(u>>8)+1), 0x1p-24) // (0, 1], exact
	r := float32(math.Sqrt(float64(mul(-2, logf(u1)))))
	cb, sb := sincosQuarter(v)
	return mul(r, math.Float32frombits(cb)), mul(r, math.Float32frombits(sb))
}

// logf is musl's logf for positive normal x, without its special cases.
func logf(x float32) float32 {
	ix := math.Float32bits(x) + (0x3f800000 - rngconst.SqrtHalfBits)
	k := int32(ix>>23) - 0x7f
	ix = ix&0x007fffff + rngconst.SqrtHalfBits
	f := math.Float32frombits(ix) - 1
	s := f / (2 + f)
	z := mul(s, s)
	w := mul(z, z)
	t1 := mul(w, rngconst.Lg2+mul(w, rngconst.Lg4))
	t2 := mul(z, rngconst.Lg1+mul(w, rngconst.Lg3))
	hfsq := mul(mul(0.5, f), f)
	dk := float32(k)
	y := mul(s, hfsq+(t2+t1)) + mul(dk, rngconst.Ln2Lo)
	return (y - hfsq + f) + mul(dk, rngconst.Ln2Hi)
}

// horner evaluates c[0]·xⁿ + … + c[n] with separately rounded steps.
func horner(x float32, c []float32) float32 {
	p := c[0]
	for _, ci := range c[1:] {
		p = mul(p, x) + ci
	}
	return p
}

// sincosQuarter returns the float bits of cos and sin of 2π·(v>>8)/2²⁴:
// quadrant from the top two bits, a Taylor series on [0, π/2) for the rest,
// then a branch-free swap and sign fix that SIMD code does with integers.
func sincosQuarter(v uint32) (cb, sb uint32) {
	q := v >> 30
	x := mul(mul(float32(int32(v>>8&0x3fffff)), 0x1p-22), rngconst.HalfPi)
	x2 := mul(x, x)
	sinx := x + mul(mul(x, x2), horner(x2, rngconst.SinCoef))
	cosx := 1 + mul(x2, horner(x2, rngconst.CosCoef))
	cb, sb = math.Float32bits(cosx), math.Float32bits(sinx)
	swap := (cb ^ sb) & uint32(int32(q<<31)>>31)
	cb, sb = cb^swap, sb^swap
	cb ^= ((q + 1) >> 1 & 1) << 31
	sb ^= q >> 1 << 31
	return cb, sb
}

// mul is the float32 product rounded once, which no compiler may fuse into
// a following add. The float64 product of two float32s is exact, so its
// conversion rounds exactly as a float32 multiply does. (A plain
// float32(x*y) is not enough: Go 1.26 on arm64 still emitted FMADDS for
// x + float32(float32(x*y)*z).)
func mul(x, y float32) float32 { return float32(float64(x) * float64(y)) }

// rademacherGeneric sets w[i] = z(base+i) (fill) or w[i] += alpha·z(base+i).
// Adding ±alpha is exact in one rounding, the same on every path.
func rademacherGeneric(w []float32, alpha float32, key Key, base uint64, fill bool) {
	ab := math.Float32bits(alpha)
	for i := range w {
		bit := rademacherBit(key, base+uint64(i))
		if fill {
			w[i] = math.Float32frombits(0x3f800000 | bit)
		} else {
			w[i] += math.Float32frombits(ab ^ bit)
		}
	}
}

func rademacherBit(key Key, i uint64) uint32 {
	return (word(uint32(i>>5), key.K0, key.K1) >> (i & 31)) << 31
}

// gaussianGeneric sets w[i] = z(base+i) (fill) or w[i] += alpha·z(base+i),
// the product rounded before the add (no FMA) so every path agrees.
func gaussianGeneric(w []float32, alpha float32, key Key, base uint64, fill bool) {
	for i := range w {
		z := gaussianAt(key, base+uint64(i))
		if fill {
			w[i] = z
		} else {
			w[i] += mul(alpha, z)
		}
	}
}
