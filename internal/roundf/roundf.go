// Package roundf is float32 arithmetic rounded at every step, in the
// order the assembly kernels perform it, so that a Go reference and every
// SIMD path agree to the bit: the kernels' softmax and the random
// directions' Box–Muller share it.
package roundf

import (
	"math"

	"github.com/zofo/zofo/internal/rngconst"
)

// Mul is the float32 product rounded once, which no compiler may fuse into
// a following add. The float64 product of two float32s is exact, so its
// conversion rounds exactly as a float32 multiply does. (A plain
// float32(x*y) is not enough: Go 1.26 on arm64 still emitted FMADDS for
// x + float32(float32(x*y)*z).)
func Mul(x, y float32) float32 { return float32(float64(x) * float64(y)) }

// Logf is musl's logf for positive normal x, without its special cases.
func Logf(x float32) float32 {
	ix := math.Float32bits(x) + (0x3f800000 - rngconst.SqrtHalfBits)
	k := int32(ix>>23) - 0x7f
	ix = ix&0x007fffff + rngconst.SqrtHalfBits
	f := math.Float32frombits(ix) - 1
	s := f / (2 + f)
	z := Mul(s, s)
	w := Mul(z, z)
	t1 := Mul(w, rngconst.Lg2+Mul(w, rngconst.Lg4))
	t2 := Mul(z, rngconst.Lg1+Mul(w, rngconst.Lg3))
	hfsq := Mul(Mul(0.5, f), f)
	dk := float32(k)
	y := Mul(s, hfsq+(t2+t1)) + Mul(dk, rngconst.Ln2Lo)
	return (y - hfsq + f) + Mul(dk, rngconst.Ln2Hi)
}

// Horner evaluates c[0]·xⁿ + … + c[n] with separately rounded steps.
func Horner(x float32, c []float32) float32 {
	p := c[0]
	for _, ci := range c[1:] {
		p = Mul(p, x) + ci
	}
	return p
}
