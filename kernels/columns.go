package kernels

import (
	"math"

	"github.com/zofo/zofo/internal/expconst"
	"github.com/zofo/zofo/internal/roundf"
)

// CrossEntropyColumns writes loss[j] = −log softmax(z_j)[labels[j]] for
// the n columns of a class-major matrix, z_j[c] = logits[c·ld + j] for
// c < classes. Coordinate-wise estimation scores many perturbed copies of
// a few rows; laid out a copy per column, every step below is one vector
// operation over columns, with no horizontal reduction.
//
// Each column is computed as m + log Σ_c exp(d_c − m), d_c = z_c − z_y and
// m = max_c d_c (so m is 0 when the label wins, and the loss is then the
// log of a sum in [1, classes], exact to a few float32 ulps of 1). exp and
// log are float32 polynomials with every product rounded before its add,
// so every path gives the same bits. A NaN or infinite logit gives NaN
// (a diverged run shows as one), except −Inf off the label, which adds
// nothing, as in softmax.
func CrossEntropyColumns(loss, logits []float32, classes, n, ld int, labels []int32) {
	crossEntropyColumns(active, loss, logits, classes, n, ld, labels)
}

func crossEntropyColumns(p Impl, loss, logits []float32, classes, n, ld int, labels []int32) {
	if classes < 1 || n < 0 || ld < n || len(loss) < n || len(labels) < n ||
		(n > 0 && len(logits) < (classes-1)*ld+n) {
		panic("kernels: CrossEntropyColumns: bad classes, n, ld, or a short slice")
	}
	for _, y := range labels[:n] {
		if y < 0 || int(y) >= classes {
			panic("kernels: CrossEntropyColumns: label out of range")
		}
	}
	done := crossEntropyColumnsAsm(p, loss, logits, classes, n, ld, labels)
	crossEntropyColumnsGeneric(loss, logits, classes, done, n, ld, labels)
}

// crossEntropyColumnsGeneric computes columns from through n−1, in the
// order of operations the vector paths use.
func crossEntropyColumnsGeneric(loss, logits []float32, classes, from, n, ld int, labels []int32) {
	for j := from; j < n; j++ {
		zy := logits[int(labels[j])*ld+j]
		m := logits[j] - zy
		for c := 1; c < classes; c++ {
			m = maxPropagating(m, logits[c*ld+j]-zy)
		}
		var s float32
		for c := range classes {
			s += expNonPositive((logits[c*ld+j] - zy) - m)
		}
		loss[j] = (m + roundf.Logf(s)) + (s - s) // s − s: NaN for a NaN s, which logf's bit split would hide
	}
}

// maxPropagating is max(a, b), NaN if b is NaN (as x86's MAXPS with b in
// its second source, and NEON's FMAX).
func maxPropagating(a, b float32) float32 {
	if a > b {
		return a
	}
	return b
}

// expNonPositive is exp(x) for x ≤ 0, clamped below at expconst.Min (the sums
// it feeds are at least 1, so the clamp changes nothing they keep).
func expNonPositive(x float32) float32 {
	if x < expconst.Min { // false for NaN, which flows through
		x = expconst.Min
	}
	k := float32(math.RoundToEven(float64(roundf.Mul(x, expconst.Log2e))))
	r := (x - roundf.Mul(k, expconst.Ln2Hi)) - roundf.Mul(k, expconst.Ln2Lo)
	p := (roundf.Mul(roundf.Horner(r, expconst.Coef), roundf.Mul(r, r)) + r) + 1
	scale := math.Float32frombits(uint32(int32(k)+127) << 23)
	return roundf.Mul(p, scale)
}
