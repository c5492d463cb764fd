// Package kerneltest holds what the kernel packages' tests share: operands
// placed at every offset inside NaN guards, the lengths and offsets that
// cover every tail, special values, and one subtest per kernel path.
package kerneltest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// GuardBits is a NaN with a payload no kernel produces, written around and
// between operands to catch out-of-bounds reads (a NaN would show in a
// result) and writes (the payload would change).
const GuardBits = 0x7fc0dead

const guardLen = 16

// Guarded is an operand placed at an offset inside a larger NaN-filled
// buffer, so every unaligned start is exercised.
type Guarded struct {
	buf      []float32
	off, n   int
	Snapshot []float32 // the operand as made
}

// NewGuarded is n normal values at offset off, guarded on both sides.
func NewGuarded(r *rand.Rand, n, off int) *Guarded {
	g := &Guarded{buf: make([]float32, guardLen+off+n+guardLen), off: guardLen + off, n: n}
	for i := range g.buf {
		g.buf[i] = math.Float32frombits(GuardBits)
	}
	for i := range g.S() {
		g.S()[i] = float32(r.NormFloat64())
	}
	g.Snapshot = append([]float32(nil), g.S()...)
	return g
}

// S is the operand.
func (g *Guarded) S() []float32 { return g.buf[g.off : g.off+g.n] }

// CheckGuards fails if anything outside the operand changed.
func (g *Guarded) CheckGuards(t *testing.T, what string) {
	t.Helper()
	for i, v := range g.buf {
		if (i < g.off || i >= g.off+g.n) && math.Float32bits(v) != GuardBits {
			t.Fatalf("%s: wrote outside its operand at buffer index %d (operand [%d,%d))", what, i, g.off, g.off+g.n)
		}
	}
}

// CheckUnchanged fails if an input operand was modified.
func (g *Guarded) CheckUnchanged(t *testing.T, what string) {
	t.Helper()
	g.CheckGuards(t, what)
	for i, v := range g.S() {
		if math.Float32bits(v) != math.Float32bits(g.Snapshot[i]) {
			t.Fatalf("%s: input changed at %d: %v -> %v", what, i, g.Snapshot[i], v)
		}
	}
}

// WithSpecials sprinkles ±0, ±Inf and NaN into x, for exact kernels.
func WithSpecials(r *rand.Rand, x []float32) {
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-40}
	for i := range x {
		if r.IntN(8) == 0 {
			x[i] = specials[r.IntN(len(specials))]
		}
	}
}

// TestLengths is every length 0…4W+3 for the widest block W, powers of two
// ±1, and seeded random lengths.
func TestLengths(r *rand.Rand) []int {
	var out []int
	for n := 0; n <= 4*64+3; n++ {
		out = append(out, n)
	}
	for k := 9; k <= 14; k++ {
		out = append(out, 1<<k-1, 1<<k, 1<<k+1)
	}
	for i := 0; i < 8; i++ {
		out = append(out, r.IntN(5000))
	}
	return out
}

// Offsets gives operand i its own start offset in 0…15 for round o.
func Offsets(o, operands int) []int {
	out := make([]int, operands)
	for i := range out {
		out[i] = (o + 5*i) % 16
	}
	return out
}

// SameBits reports whether a and b are the same float32 bits.
func SameBits(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }

// FirstDiff is the first index where a and b differ in their bits, or −1.
func FirstDiff(a, b []float32) int {
	for i := range a {
		if !SameBits(a[i], b[i]) {
			return i
		}
	}
	return -1
}

// ForEachPath runs f as one subtest per path, named by the path, so that
// -run 'TestAxpy/avx512' picks one.
func ForEachPath[P fmt.Stringer](t *testing.T, paths []P, f func(t *testing.T, p P)) {
	t.Helper()
	for _, p := range paths {
		t.Run(p.String(), func(t *testing.T) { f(t, p) })
	}
}
