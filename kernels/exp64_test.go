package kernels

import (
	"math"
	"testing"
)

// Every path's Exp64 is math.Exp's bits: random points over ±750 (past
// the vector range, into overflow and subnormal results), softmax's
// [−40, 0], the edges ±700 and their neighbours, ±0, ±Inf, NaN and a
// subnormal, one vector of them at a time or mixed in, every length
// 0–40 and 1000.
func TestExp64IsMathExp(t *testing.T) {
	r := newRand(43)
	specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324,
		700, -700, math.Nextafter(700, 800), math.Nextafter(-700, -800), 709.78, -745.1, -708.5}
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, n := range append(seq(40), 1000) {
			for trial := range 4 {
				x := make([]float64, n)
				for i := range x {
					switch {
					case trial == 1:
						x[i] = -40 * r.Float64()
					case trial == 2 && r.IntN(9) == 0:
						x[i] = specials[r.IntN(len(specials))]
					default:
						x[i] = 1500*r.Float64() - 750
					}
				}
				got := append([]float64(nil), x...)
				exp64(p, got)
				for i, v := range x {
					if want := math.Exp(v); math.Float64bits(got[i]) != math.Float64bits(want) {
						t.Fatalf("%v, %d values: exp(%v) = %v (%#x), want %v (%#x)", p, n, v, got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
					}
				}
			}
		}
	})
}

// The x86 vector paths agree with this build's math.Exp, so they run: a
// disagreement would leave everything to math.Exp, still right but slow.
func TestExp64VectorPathsRun(t *testing.T) {
	forEachPath(t, func(t *testing.T, p Impl) {
		x := make([]float64, 64)
		for i := range x {
			x[i] = -float64(i) / 3
		}
		done, width := exp64Asm(p, x)
		if width > 0 && done != len(x) {
			t.Errorf("%v: the vector exp did %d of %d in-range values", p, done, len(x))
		}
		if (p == AVX2 || p == AVX512) && width == 0 {
			t.Errorf("%v: no vector exp (it disagrees with math.Exp on the sample)", p)
		}
	})
}

// A vector with a lane out of range stops the kernel before it, whatever
// the lane.
func TestExp64StopsBeforeOutOfRange(t *testing.T) {
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, bad := range []float64{math.NaN(), math.Inf(-1), 700.5, -701} {
			for at := range 24 {
				x := make([]float64, 24)
				x[at] = bad
				done, width := exp64Asm(p, x)
				if width > 0 && done != at/width*width {
					t.Fatalf("%v: %v at %d: did %d", p, bad, at, done)
				}
			}
		}
	})
}
