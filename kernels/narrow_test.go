package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// narrowCases are GEMMs the transposed micro-kernels take: C 10 or 20
// wide, B not transposed; K in one block or several; every row count mod 16,
// A in place (Aᵀ given) or packed, and the epilogue's alpha/beta forms.
func narrowCases() []gemmCase {
	var out []gemmCase
	i := 0
	for _, n := range []int{10, 20} {
		for _, m := range []int{1, 7, 15, 16, 17, 31, 40, 100, 577} {
			for _, k := range []int{1, 2, 25, 250, 256, 257, 700} {
				out = append(out, gemmCase{tA: i%2 == 1, m: m, n: n, k: k,
					alpha: []float32{1, 0.5, -2}[i%3], beta: []float32{0, 1, -0.5, 0}[i%4], pad: i % 3})
				i++
			}
		}
	}
	return out
}

// The transposed kernels give the bits of the usual tiles, which TestGemm
// checks against a float64 reference; C's padding keeps its guards.
func TestNarrowGemmSameBits(t *testing.T) {
	forEachPath(t, func(t *testing.T, p Impl) {
		r := rand.New(rand.NewPCG(11, 12))
		tested := false
		for _, c := range narrowCases() {
			a, lda, b, ldb, c0, ldc := c.inputs(r)
			g := gemmArgs{c.tA, c.tB, c.m, c.n, c.k, c.alpha, c.beta, a, b, nil, lda, ldb, ldc}
			all := region{0, c.m, 0, c.n}
			if !narrow(p, &g, all) {
				continue
			}
			tested = true
			ws := new(workspace)
			g.c = append([]float32(nil), c0...)
			gemmNarrow(p, &g, all, ws)
			got := g.c
			g.c = append([]float32(nil), c0...)
			gemmTiles(p, &g, all, ws)
			if i := kerneltest.FirstDiff(g.c, got); i >= 0 {
				t.Fatalf("%+v path %v: C[%d] = %v, the tiles give %v", c, p, i, got[i], g.c[i])
			}
			c.check(t, a, lda, b, ldb, c0, got, ldc)
		}
		if !tested && (p == AVX512 || p == AVX2) {
			t.Fatal("no case reached the transposed kernels")
		}
	})
}

// BenchmarkNarrowGemm times the GEMMs of gemmShapes whose C is 10 or 20
// wide (MyNet's last layer, MyNetPlus's convolutions) on the transposed
// micro-kernels against the usual 16-column tiles, on the paths that have
// both, one thread.
func BenchmarkNarrowGemm(b *testing.B) {
	for _, s := range gemmShapes {
		for _, p := range Available() {
			g := newGemm(s.op, s.m, s.k, s.n)
			all := region{0, s.m, 0, s.n}
			if !narrow(p, g, all) {
				continue
			}
			for _, tiles := range []string{"transposed", "usual"} {
				name := fmt.Sprintf("impl=%s/shape=%dx%dx%d/op=%s/tiles=%s", p, s.m, s.k, s.n, s.op, tiles)
				b.Run(name, func(b *testing.B) {
					ws := new(workspace)
					for b.Loop() {
						if tiles == "transposed" {
							gemmNarrow(p, g, all, ws)
						} else {
							gemmTiles(p, g, all, ws)
						}
					}
					b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds(), "flop/s")
				})
			}
		}
	}
}
