package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// guardBits is a NaN with a payload no kernel produces, written around and
// between operands to catch out-of-bounds reads (a NaN would show in a
// result) and writes (the payload would change).
const guardBits = 0x7fc0dead

const guardLen = 16

// guarded is an operand placed at an offset inside a larger NaN-filled
// buffer, so every unaligned start is exercised.
type guarded struct {
	buf       []float32
	off, n    int
	want      []float32 // expected contents after the call (nil: unchanged)
	snapshot  []float32
	immutable bool
}

func newGuarded(r *rand.Rand, n, off int) *guarded {
	g := &guarded{buf: make([]float32, guardLen+off+n+guardLen), off: guardLen + off, n: n}
	for i := range g.buf {
		g.buf[i] = math.Float32frombits(guardBits)
	}
	for i := range g.s() {
		g.s()[i] = float32(r.NormFloat64())
	}
	g.snapshot = append([]float32(nil), g.s()...)
	return g
}

func (g *guarded) s() []float32 { return g.buf[g.off : g.off+g.n] }

// checkGuards fails if anything outside the operand changed.
func (g *guarded) checkGuards(t *testing.T, what string) {
	t.Helper()
	for i, v := range g.buf {
		if (i < g.off || i >= g.off+g.n) && math.Float32bits(v) != guardBits {
			t.Fatalf("%s: wrote outside its operand at buffer index %d (operand [%d,%d))", what, i, g.off, g.off+g.n)
		}
	}
}

// checkUnchanged fails if an input operand was modified.
func (g *guarded) checkUnchanged(t *testing.T, what string) {
	t.Helper()
	g.checkGuards(t, what)
	for i, v := range g.s() {
		if math.Float32bits(v) != math.Float32bits(g.snapshot[i]) {
			t.Fatalf("%s: input changed at %d: %v -> %v", what, i, g.snapshot[i], v)
		}
	}
}

// withSpecials sprinkles ±0, ±Inf and NaN into x, for exact kernels.
func withSpecials(r *rand.Rand, x []float32) {
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 1e-40}
	for i := range x {
		if r.IntN(8) == 0 {
			x[i] = specials[r.IntN(len(specials))]
		}
	}
}

// testLengths is every length 0…4W+3 for the widest block W, powers of two
// ±1, and seeded random lengths.
func testLengths(r *rand.Rand) []int {
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

// offsets gives operand i its own start offset in 0…15 for round o.
func offsets(o, operands int) []int {
	out := make([]int, operands)
	for i := range out {
		out[i] = (o + 5*i) % 16
	}
	return out
}

func sameBits(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }

// ulpTol is the derived error bound of the roundings of terms: 2⁻²⁴ of
// each magnitude, plus 2⁻¹⁴⁹ (half the smallest subnormal, twice) for
// results that underflow.
func ulpTol(terms ...float64) float64 {
	var s float64
	for _, t := range terms {
		s += math.Abs(t)*0x1p-24 + 0x1p-149
	}
	return s
}

func sortFloats(x []float64) { slices.Sort(x) }

func newRand(seed int64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 99)) }
