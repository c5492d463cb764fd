package rng

import (
	"fmt"
	"testing"

	"github.com/zofo/zofo/kernels"
)

var directionSizes = []struct {
	name string
	n    int
}{{"1e5", 100_000}, {"1e6", 1_000_000}}

// BenchmarkPerturb is w += alpha·z for one direction, beside a plain copy
// of the same size (BenchmarkCopy): both read and write every parameter.
func BenchmarkPerturb(b *testing.B) {
	key := NewKey(1, 2)
	for _, sz := range directionSizes {
		for _, d := range dists {
			for _, p := range kernels.Available() {
				b.Run(fmt.Sprintf("impl=%v/dist=%v/n=%s", p, d, sz.name), func(b *testing.B) {
					w := make([]float32, sz.n)
					b.SetBytes(int64(8 * sz.n))
					for b.Loop() {
						direction(p, d, w, 1e-3, key, 0, false)
					}
					b.ReportMetric(float64(sz.n)*float64(b.N)/b.Elapsed().Seconds(), "params/s")
				})
			}
		}
	}
}

// BenchmarkChain is a central-difference step's three coefficients on θ:
// as three Perturb passes (passes=3) and as one Chain (passes=1).
func BenchmarkChain(b *testing.B) {
	key := NewKey(1, 2)
	a := []float32{1e-3, -2e-3, 1e-3 - 1e-4}
	for _, sz := range directionSizes {
		for _, d := range dists {
			w := make([]float32, sz.n)
			run := func(name string, step func()) {
				b.Run(fmt.Sprintf("impl=%v/dist=%v/n=%s/%s", active, d, sz.name, name), func(b *testing.B) {
					for b.Loop() {
						step()
					}
					b.ReportMetric(float64(sz.n)*float64(b.N)/b.Elapsed().Seconds(), "params/s")
				})
			}
			run("passes=3", func() {
				for _, c := range a {
					Perturb(d, w, c, key, 0)
				}
			})
			run("passes=1", func() { Chain(d, w, w, a, key, 0) })
		}
	}
}

// BenchmarkPerturbParallel is the active path's Perturb over 1 and 2
// goroutines: what a ZO step's passes gain from the second core.
func BenchmarkPerturbParallel(b *testing.B) {
	key := NewKey(1, 2)
	for _, sz := range directionSizes {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("threads=%d/n=%s", threads, sz.name), func(b *testing.B) {
				w := make([]float32, sz.n)
				for b.Loop() {
					PerturbParallel(threads, Rademacher, w, 1e-3, key, 0)
				}
				b.ReportMetric(float64(sz.n)*float64(b.N)/b.Elapsed().Seconds(), "params/s")
			})
		}
	}
}

// BenchmarkChainRows is a 64-column tile of a 128-wide layer (784 rows),
// the per-row route, against Chain on as many contiguous elements: the
// fixed cost per row that tiles narrower than their layer pay.
func BenchmarkChainRows(b *testing.B) {
	w := make([]float32, 784*128)
	a := []float32{1e-3, -2e-3, 1e-3}
	b.Run("rows", func(b *testing.B) {
		for b.Loop() {
			ChainRows(Rademacher, w[64:], 128, w[64:], 128, 784, 64, a, Key{}, 64)
		}
	})
	b.Run("contiguous", func(b *testing.B) {
		for b.Loop() {
			Chain(Rademacher, w[:784*64], w[:784*64], a, Key{}, 0)
		}
	})
}

func BenchmarkCopy(b *testing.B) {
	for _, sz := range directionSizes {
		b.Run("n="+sz.name, func(b *testing.B) {
			src, dst := make([]float32, sz.n), make([]float32, sz.n)
			b.SetBytes(int64(8 * sz.n))
			for b.Loop() {
				copy(dst, src)
			}
			b.ReportMetric(float64(sz.n)*float64(b.N)/b.Elapsed().Seconds(), "params/s")
		})
	}
}
