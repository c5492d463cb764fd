package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// forEachCase runs f for every path, length and offset round.
func forEachCase(t *testing.T, operands int, f func(t *testing.T, p Impl, ops []*kerneltest.Guarded, r *rand.Rand)) {
	r := rand.New(rand.NewPCG(1, 2))
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, n := range kerneltest.TestLengths(r) {
			rounds := 16
			if n > 300 {
				rounds = 2
			}
			for o := 0; o < rounds; o++ {
				ops := make([]*kerneltest.Guarded, operands)
				for i, off := range kerneltest.Offsets(o, operands) {
					ops[i] = kerneltest.NewGuarded(r, n, off)
				}
				f(t, p, ops, r)
				if t.Failed() {
					t.Fatalf("path %v, n=%d, offsets %v", p, n, kerneltest.Offsets(o, operands))
				}
			}
		}
	})
}

func TestAxpy(t *testing.T) {
	forEachCase(t, 2, func(t *testing.T, p Impl, ops []*kerneltest.Guarded, r *rand.Rand) {
		x, y := ops[0], ops[1]
		a := float32(r.NormFloat64())
		axpy(p, a, x.S(), y.S())
		x.CheckUnchanged(t, "axpy x")
		y.CheckGuards(t, "axpy y")
		for i, got := range y.S() {
			prod := float64(a) * float64(x.Snapshot[i])
			want := float64(y.Snapshot[i]) + prod
			if math.Abs(float64(got)-want) > ulpTol(prod, want) {
				t.Errorf("y[%d] = %v, want %v", i, got, want)
			}
		}
	})
}

func TestDot(t *testing.T) {
	forEachCase(t, 2, func(t *testing.T, p Impl, ops []*kerneltest.Guarded, r *rand.Rand) {
		x, y := ops[0], ops[1]
		var want, mag float64
		for i, v := range x.S() {
			want += float64(v) * float64(y.S()[i])
			mag += math.Abs(float64(v) * float64(y.S()[i]))
		}
		n := float64(len(x.S()))
		if got := dot(p, x.S(), y.S()); math.Abs(float64(got)-want) > 2*n*ulpTol(mag) {
			t.Errorf("dot = %v, want %v ± %v", got, want, 2*n*ulpTol(mag))
		}
		x.CheckUnchanged(t, "dot x")
		y.CheckUnchanged(t, "dot y")
	})
}

// exactCases are the kernels whose every path must match the reference to
// the bit, including ±0, ±Inf and NaN inputs.
var exactCases = []struct {
	name string
	run  func(p Impl, dst, x, y []float32, a float32)
	ref  func(dst, x, y []float32, a float32)
}{
	{"scale", func(p Impl, d, x, _ []float32, a float32) { copy(d, x); scale(p, a, d) },
		func(d, x, _ []float32, a float32) { copy(d, x); scaleGeneric(a, d) }},
	{"add", func(p Impl, d, x, y []float32, _ float32) { add(p, d, x, y) },
		func(d, x, y []float32, _ float32) { addGeneric(d, x, y) }},
	{"addReLU", func(p Impl, d, x, y []float32, _ float32) { addReLU(p, d, x, y) },
		func(d, x, y []float32, _ float32) { addReLUGeneric(d, x, y) }},
	{"relu", func(p Impl, d, x, _ []float32, _ float32) { reluK(p, d, x) },
		func(d, x, _ []float32, _ float32) { reluGeneric(d, x) }},
	{"reluBackward", func(p Impl, d, x, y []float32, _ float32) { reluBackward(p, d, x, y) },
		func(d, x, y []float32, _ float32) { reluBackwardGeneric(d, x, y) }},
	{"mul", func(p Impl, d, x, y []float32, _ float32) { product(p, d, x, y) },
		func(d, x, y []float32, _ float32) { mulGeneric(d, x, y) }},
	{"sign", func(p Impl, d, x, _ []float32, _ float32) { sign(p, d, x) },
		func(d, x, _ []float32, _ float32) { signGeneric(d, x) }},
}

func TestExactKernels(t *testing.T) {
	for _, c := range exactCases {
		t.Run(c.name, func(t *testing.T) {
			forEachCase(t, 3, func(t *testing.T, p Impl, ops []*kerneltest.Guarded, r *rand.Rand) {
				dst, x, y := ops[0], ops[1], ops[2]
				kerneltest.WithSpecials(r, x.S())
				kerneltest.WithSpecials(r, y.S())
				x.Snapshot, y.Snapshot = append([]float32(nil), x.S()...), append([]float32(nil), y.S()...)
				want := make([]float32, len(x.S()))
				a := float32(r.NormFloat64())
				c.ref(want, x.S(), y.S(), a)
				c.run(p, dst.S(), x.S(), y.S(), a)
				x.CheckUnchanged(t, c.name+" x")
				y.CheckUnchanged(t, c.name+" y")
				dst.CheckGuards(t, c.name+" dst")
				for i, got := range dst.S() {
					if !kerneltest.SameBits(got, want[i]) {
						t.Fatalf("%s[%d] = %v (%#x), want %v (%#x)", c.name, i, got, math.Float32bits(got), want[i], math.Float32bits(want[i]))
					}
				}
			})
		})
	}
}

// In-place use (dst aliasing an input) is how nn calls these kernels.
func TestInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	forEachPath(t, func(t *testing.T, p Impl) {
		x := kerneltest.NewGuarded(r, 203, 3).S()
		y := kerneltest.NewGuarded(r, 203, 7).S()
		want := make([]float32, len(x))
		addReLUGeneric(want, x, y)
		addReLU(p, x, x, y)
		for i := range x {
			if !kerneltest.SameBits(x[i], want[i]) {
				t.Fatalf("%v: in-place addReLU[%d] = %v, want %v", p, i, x[i], want[i])
			}
		}
	})
}

func TestBadLengthsPanicBeforeWriting(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(y []float32)
	}{
		{"Axpy", func(y []float32) { Axpy(2, make([]float32, 5), y) }},
		{"Add", func(y []float32) { Add(y, make([]float32, 5), make([]float32, 5)) }},
		{"ReLU", func(y []float32) { ReLU(y, make([]float32, 5)) }},
		{"Gemm", func(y []float32) {
			Gemm(false, false, 2, 2, 2, 1, make([]float32, 4), 2, make([]float32, 4), 2, 0, y, 2)
		}},
	} {
		y := []float32{7, 7, 7}
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				if len(msg) < 9 || msg[:9] != "kernels: " {
					t.Errorf("%s: panic %q, want a kernels: message", c.name, msg)
				}
			}()
			c.f(y)
		}()
		if y[0] != 7 || y[1] != 7 || y[2] != 7 {
			t.Errorf("%s wrote before panicking: %v", c.name, y)
		}
	}
}

// Axpy fuses a·x + y in assembly and not in Go's amd64 tail, so where the
// assembly stops decides bits: on every path it is len mod 16 from the
// end, whatever the vector width. The inputs have 13-bit mantissas, so
// a·x needs 26 bits (fused and unfused differ) and a·x + y is exact in
// float64 (math.FMA then rounds once, as the FMA instruction does).
func TestAxpyTailIsTheSameOnEveryPath(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	short := func() float32 { return float32(r.IntN(1<<13)|1) / (1 << 13) * float32(1+r.IntN(3)) }
	forEachPath(t, func(t *testing.T, p Impl) {
		for n := 0; n <= 50; n++ {
			a, x, y := short(), make([]float32, n), make([]float32, n)
			for i := range x {
				x[i], y[i] = short(), short()/(1<<10)
			}
			got := append([]float32(nil), y...)
			axpy(p, a, x, got)
			for i := range got {
				want := y[i] + a*x[i] // unfused: Go's amd64 code rounds the product first
				if p != Generic && i < n&^(axpyTail-1) {
					want = float32(math.FMA(float64(a), float64(x[i]), float64(y[i])))
				}
				if !kerneltest.SameBits(got[i], want) {
					t.Fatalf("path %v, len %d: y[%d] = %v, want %v", p, n, i, got[i], want)
				}
			}
		}
	})
}

// sumsInBlocksOf16 is Dot (fused; x alone if y is nil) in the order every assembly path
// follows: four accumulators of 16 lanes over blocks of 64, whole vectors
// of 16 into the first, folded (0+1)+(2+3), the 16 lanes summed in order,
// then the last len mod 16 elements in Go.
func sumsInBlocksOf16(x, y []float32) float32 {
	var acc [4][16]float32
	n := len(x) &^ 15
	for i := 0; i < n; i++ {
		u := i / 16 % 4
		if i >= n&^63 {
			u = 0
		}
		a := &acc[u][i%16]
		if y == nil {
			*a += x[i]
		} else {
			*a = float32(math.FMA(float64(x[i]), float64(y[i]), float64(*a)))
		}
	}
	var s float32
	for l := range acc[0] {
		s += (acc[0][l] + acc[1][l]) + (acc[2][l] + acc[3][l])
	}
	var tail float32
	for i := n; i < len(x); i++ {
		if y == nil {
			tail += x[i]
		} else {
			tail += x[i] * y[i]
		}
	}
	return s + tail
}

// Dot associates its terms the same way on both amd64 paths (AVX2
// keeps AVX-512's accumulators as ymm halves), so their bits do not depend
// on which one a CPU has. The dot inputs have 13-bit mantissas and stay small
// enough that math.FMA in float64 rounds once, as the instruction does.
func TestDotAssociatesAsAVX512(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	short := func() float32 { return float32(r.IntN(1<<13)|1) / (1 << 13) }
	forEachPath(t, func(t *testing.T, p Impl) {
		if p != AVX2 && p != AVX512 {
			return // Go's loops sum in order, and NEON in its own 4-lane blocks
		}
		for _, n := range []int{0, 15, 16, 17, 31, 48, 63, 64, 65, 80, 127, 128, 200, 777} {
			x, y := make([]float32, n), make([]float32, n)
			for i := range x {
				x[i], y[i] = short(), short()
			}
			if got, want := dot(p, x, y), sumsInBlocksOf16(x, y); !kerneltest.SameBits(got, want) {
				t.Fatalf("path %v, len %d: dot = %v, want %v", p, n, got, want)
			}
		}
	})
}
