package rng

import (
	"math"

	"github.com/zofo/zofo/internal/rngconst"
	"github.com/zofo/zofo/internal/roundf"
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
	u1 := roundf.Mul(float32(int32(u>>8)+1), 0x1p-24) // (0, 1], exact
	r := float32(math.Sqrt(float64(roundf.Mul(-2, roundf.Logf(u1)))))
	cb, sb := sincosQuarter(v)
	return roundf.Mul(r, math.Float32frombits(cb)), roundf.Mul(r, math.Float32frombits(sb))
}

// sincosQuarter returns the float bits of cos and sin of 2π·(v>>8)/2²⁴:
// quadrant from the top two bits, a Taylor series on [0, π/2) for the rest,
// then a branch-free swap and sign fix that SIMD code does with integers.
func sincosQuarter(v uint32) (cb, sb uint32) {
	q := v >> 30
	x := roundf.Mul(roundf.Mul(float32(int32(v>>8&0x3fffff)), 0x1p-22), rngconst.HalfPi)
	x2 := roundf.Mul(x, x)
	sinx := x + roundf.Mul(roundf.Mul(x, x2), roundf.Horner(x2, rngconst.SinCoef))
	cosx := 1 + roundf.Mul(x2, roundf.Horner(x2, rngconst.CosCoef))
	cb, sb = math.Float32bits(cosx), math.Float32bits(sinx)
	swap := (cb ^ sb) & uint32(int32(q<<31)>>31)
	cb, sb = cb^swap, sb^swap
	cb ^= ((q + 1) >> 1 & 1) << 31
	sb ^= q >> 1 << 31
	return cb, sb
}

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
			w[i] += roundf.Mul(alpha, z)
		}
	}
}
