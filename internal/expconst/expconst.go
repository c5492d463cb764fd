// Package expconst holds the constants of the float32 exp that
// kernels.CrossEntropyColumns uses (Cephes' expf): kernels/columns.go (the
// Go reference) and the generators in asm/ (AVX2, AVX-512, NEON) read them
// from here, so the paths cannot drift apart.
package expconst

import "math"

// exp(r) ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2, P's coefficients highest power
// first, after x = k·ln2 + r with ln2 split into an exact high part and
// the rest; inputs below Min are clamped (exp(−87) is still normal).
var Coef = []float32{1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1}

const (
	Ln2Hi float32 = 0.693359375
	Ln2Lo float32 = -2.12194440e-4
	Log2e float32 = math.Log2E
	Min   float32 = -87
)
