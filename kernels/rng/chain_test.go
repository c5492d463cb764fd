package rng

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
	"github.com/zofo/zofo/internal/roundf"
)

// chainWant is the reference: src[i] + a[0]·z, then + a[1]·z, …, each
// product and add rounded, z from At; mid is the point after the first.
func chainWant(d Dist, key Key, base uint64, src []float32, a []float32) (dst, mid []float32) {
	dst, mid = make([]float32, len(src)), make([]float32, len(src))
	for i, x := range src {
		z := At(d, key, base+uint64(i))
		for s, c := range a {
			x += roundf.Mul(c, z)
			if s == 0 {
				mid[i] = x
			}
		}
		dst[i] = x
	}
	return dst, mid
}

var chainCoefSets = [][]float32{{-0.37}, {1e-3, -2e-3}, {1e-3, -2e-3, 0.2}}

// Every path, length, base, offset and step count gives the reference's
// bits in dst and mid, leaves src and the guards around all three alone,
// and in place (dst = mid = src) gives the same bits.
func TestChainMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	bases := []uint64{0, 1, 15, 16, 31, 32, 33, 1 << 33, 1<<37 - 40}
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, d := range dists {
			for i, n := range kerneltest.TestLengths(r) {
				base := bases[i%len(bases)]
				if i%3 == 0 {
					base = r.Uint64N(1 << 30)
				}
				key := NewKey(r.Uint64(), r.Uint64())
				a := chainCoefSets[i%len(chainCoefSets)]
				checkChain3(t, p, d, key, base, a, r, n, i)
			}
		}
	})
}

func checkChain3(t *testing.T, p Impl, d Dist, key Key, base uint64, a []float32, r *rand.Rand, n, round int) {
	t.Helper()
	off := kerneltest.Offsets(round, 3)
	src, dst, mid := kerneltest.NewGuarded(r, n, off[0]), kerneltest.NewGuarded(r, n, off[1]), kerneltest.NewGuarded(r, n, off[2])
	kerneltest.WithSpecials(r, src.S())
	src.Snapshot = slices.Clone(src.S())
	co, steps := chainCoefs(a)
	chain(p, d, dst.S(), mid.S(), src.S(), co, steps, key, base)
	wantDst, wantMid := chainWant(d, key, base, src.S(), a)
	src.CheckUnchanged(t, "chain src")
	dst.CheckGuards(t, "chain dst")
	mid.CheckGuards(t, "chain mid")
	what := func(s string) string { return p.String() + " " + d.String() + " " + s }
	expectBits(t, what("dst"), dst.S(), wantDst)
	if steps > 1 {
		expectBits(t, what("mid"), mid.S(), wantMid)
	}
	chain(p, d, src.S(), src.S(), src.S(), co, steps, key, base)
	src.CheckGuards(t, "chain in place")
	expectBits(t, what("in place"), src.S(), wantDst)
}

func expectBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if !kerneltest.SameBits(got[i], want[i]) {
			t.Fatalf("%s: n %d: [%d] = %v, want %v", what, len(want), i, got[i], want[i])
		}
	}
}

// Chain gives the bits of the Perturb passes it replaces, ChainPair those
// of Chain(a1) and Chain(a1, a2), and ChainParallel those of Chain at
// every thread count, around the split threshold.
func TestChainAgreesWithPerturb(t *testing.T) {
	key := NewKey(5, 6)
	for _, d := range dists {
		for _, n := range []int{0, 77, minPerturbChunk*2 - 1, 3*minPerturbChunk + 77} {
			for _, base := range []uint64{0, 5, 32 * 1000} {
				src := make([]float32, n)
				for i := range src {
					src[i] = float32(i%97)*0.01 - 0.4
				}
				a := []float32{1e-3, -2e-3, 1e-3 - 0.05}
				want := slices.Clone(src)
				for _, c := range a {
					Perturb(d, want, c, key, base)
				}
				got := make([]float32, n)
				Chain(d, got, src, a, key, base)
				expectBits(t, d.String()+" Chain vs Perturb", got, want)
				for threads := 1; threads <= 4; threads++ {
					got := slices.Clone(src)
					ChainParallel(threads, d, got, got, a, key, base)
					expectBits(t, d.String()+" ChainParallel", got, want)
				}
				pa, pb := make([]float32, n), make([]float32, n)
				ChainPair(d, pa, pb, src, a[0], a[1], key, base)
				wantA := make([]float32, n)
				Chain(d, wantA, src, a[:1], key, base)
				wantB := make([]float32, n)
				Chain(d, wantB, src, a[:2], key, base)
				expectBits(t, d.String()+" ChainPair a", pa, wantA)
				expectBits(t, d.String()+" ChainPair b", pb, wantB)
			}
		}
	}
}

// Bad arguments panic with the kernel's name rather than write past dst.
func TestChainRejectsBadArguments(t *testing.T) {
	for name, f := range map[string]func(){
		"no coefficients":   func() { Chain(Rademacher, make([]float32, 4), make([]float32, 4), nil, Key{}, 0) },
		"four coefficients": func() { Chain(Rademacher, make([]float32, 4), make([]float32, 4), make([]float32, 4), Key{}, 0) },
		"short dst":         func() { Chain(Gaussian, make([]float32, 3), make([]float32, 4), []float32{1}, Key{}, 0) },
		"short pair side": func() {
			ChainPair(Gaussian, make([]float32, 4), make([]float32, 3), make([]float32, 4), 1, 2, Key{}, 0)
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// ChainRows and ChainPairRows give, row by row, the reference's bits with
// row r's counters starting at base + r*lds, on every path, for blocks
// on and off the block boundaries (the direct and the per-row routes),
// and leave the gaps between dst rows alone.
func TestChainRowsMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	shapes := []struct{ rows, cols, lds, ldd int }{
		{3, 64, 128, 64}, {5, 32, 96, 40}, {4, 10, 10, 10}, {7, 48, 64, 48}, {2, 96, 224, 100}, {1, 0, 5, 1}, {0, 32, 32, 32},
		{6, 128, 128, 128}, {3, 37, 37, 37}, // whole rows: one span
	}
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, d := range dists {
			for i, sh := range shapes {
				for _, base := range []uint64{0, 16, 32 * 7, 5} {
					src := make([]float32, max(sh.rows*sh.lds, 1))
					for j := range src {
						src[j] = float32(r.NormFloat64())
					}
					key := NewKey(uint64(i), base)
					a := chainCoefSets[i%len(chainCoefSets)]
					co, steps := chainCoefs(a)
					sentinel := float32(-7.5)
					dst, mid := make([]float32, max(sh.rows*sh.ldd, 1)), make([]float32, max(sh.rows*sh.ldd, 1))
					for j := range dst {
						dst[j], mid[j] = sentinel, sentinel
					}
					chainRows(p, d, dst, mid, sh.ldd, src, sh.lds, sh.rows, sh.cols, co, steps, key, base)
					for row := 0; row < sh.rows; row++ {
						wantDst, wantMid := chainWant(d, key, base+uint64(row*sh.lds), src[row*sh.lds:][:sh.cols], a)
						what := p.String() + " " + d.String() + " rows"
						expectBits(t, what+" dst", dst[row*sh.ldd:][:sh.cols], wantDst)
						if steps > 1 {
							expectBits(t, what+" mid", mid[row*sh.ldd:][:sh.cols], wantMid)
						}
						for j := sh.cols; j < sh.ldd && row*sh.ldd+j < len(dst); j++ {
							if dst[row*sh.ldd+j] != sentinel || mid[row*sh.ldd+j] != sentinel {
								t.Fatalf("%v %v %+v: wrote the gap after row %d", p, d, sh, row)
							}
						}
					}
				}
			}
		}
	})
}

// The exported forms check their shapes and agree with the reference.
func TestChainRowsExported(t *testing.T) {
	src := make([]float32, 4*64)
	for i := range src {
		src[i] = float32(i) * 0.01
	}
	key := NewKey(1, 1)
	a, b := make([]float32, 4*32), make([]float32, 4*32)
	ChainPairRows(Gaussian, a, b, 32, src[32:], 64, 4, 32, 0.1, -0.2, key, 32)
	for row := 0; row < 4; row++ {
		wantB, wantA := chainWant(Gaussian, key, 32+uint64(row*64), src[32+row*64:][:32], []float32{0.1, -0.2})
		expectBits(t, "ChainPairRows a", a[row*32:][:32], wantA)
		expectBits(t, "ChainPairRows b", b[row*32:][:32], wantB)
	}
	ChainRows(Gaussian, a, 32, src[32:], 64, 4, 32, []float32{0.1, -0.2}, key, 32)
	expectBits(t, "ChainRows", a, b)
	defer func() {
		if recover() == nil {
			t.Error("a block wider than dst's leading dimension did not panic")
		}
	}()
	ChainRows(Gaussian, a, 16, src, 64, 4, 32, []float32{0.1}, key, 0)
}
