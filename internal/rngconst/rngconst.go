// Package rngconst holds the constants that define zofo's random
// directions. kernels/rng/rng.go (the Go reference) and the generators in asm/
// (AVX2, AVX-512, NEON) all read them from here: any change changes every
// path together, and the golden checksum tests in kernels say so.
package rngconst

import "math"

// MulA and MulB are the multipliers of mix32 (Wellons' lowbias32), whose
// shifts are 16, 15, 15.
const (
	MulA = 0x21f0aaad
	MulB = 0x735a2d97
)

// MixShifts are mix32's right shifts, in order.
var MixShifts = [3]uint8{16, 15, 15}

// Coefficients of musl's logf (from FreeBSD's e_logf.c).
const (
	Lg1   float32 = 0.66666662693
	Lg2   float32 = 0.40000972152
	Lg3   float32 = 0.28498786688
	Lg4   float32 = 0.24279078841
	Ln2Hi float32 = 6.9313812256e-01
	Ln2Lo float32 = 9.0580006145e-06
	// SqrtHalfBits offsets logf's exponent split so the mantissa lies in
	// [√2/2, √2).
	SqrtHalfBits = 0x3f3504f3
	HalfPi       = float32(math.Pi / 2)
)

// SinCoef and CosCoef are the Taylor series of sin x / x − 1 over x²·x and
// cos x − 1 over x², highest power first, for Horner's rule on [0, π/2).
var (
	SinCoef = []float32{-1.0 / 39916800, 1.0 / 362880, -1.0 / 5040, 1.0 / 120, -1.0 / 6}
	CosCoef = []float32{1.0 / 479001600, -1.0 / 3628800, 1.0 / 40320, -1.0 / 720, 1.0 / 24, -0.5}
)
