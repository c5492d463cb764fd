//go:build openblas && cgo

package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/zofo/zofo/internal/openblas"
	"github.com/zofo/zofo/kernels"
)

// result is one core's probe: the core OpenBLAS loaded, the geometric mean
// of its one-thread GFLOP/s over the shapes, and whether every product
// agreed with kernels.Gemm.
type result struct {
	core   string
	gflops float64
	right  bool
}

func (r result) line() string { return fmt.Sprintf("%s %g %t", r.core, r.gflops, r.right) }

func parseResult(line string) (result, error) {
	var r result
	if _, err := fmt.Sscanf(line, "%s %g %t", &r.core, &r.gflops, &r.right); err != nil {
		return result{}, fmt.Errorf("probe printed %q: %v", line, err)
	}
	return r, nil
}

func (r result) verdict(taken bool) string {
	switch {
	case !taken:
		return "not taken (OpenBLAS loaded another core)"
	case !r.right:
		return "WRONG: disagrees with kernels.Gemm"
	}
	return "agree with kernels.Gemm"
}

// shape is one GEMM C(m×n) = op(A)·op(B) with inner size k.
type shape struct {
	transA, transB bool
	m, k, n        int
}

// mynetShapes are MyNet's GEMMs at s=1, batch 64: the three forward
// layers, the first layer's weight gradient and a backward.
var mynetShapes = []shape{
	{false, false, 64, 784, 128}, {false, false, 64, 128, 64}, {false, false, 64, 64, 10},
	{true, false, 784, 64, 128}, {false, true, 64, 128, 64},
}

// measure checks and times the core OpenBLAS loaded, on one thread.
func measure() result {
	openblas.SetThreads(1)
	r := result{core: openblas.CoreName(), right: true}
	logSum := 0.0
	for _, s := range mynetShapes {
		g := newOperands(s)
		r.right = r.right && g.agrees()
		logSum += math.Log(g.gflops())
	}
	r.gflops = math.Exp(logSum / float64(len(mynetShapes)))
	return r
}

type operands struct {
	shape
	a, b, c       []float32
	lda, ldb, ldc int
}

func newOperands(s shape) *operands {
	rng := rand.New(rand.NewPCG(1, 2))
	fill := func(n int) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		return x
	}
	g := &operands{shape: s, a: fill(s.m * s.k), b: fill(s.k * s.n), c: make([]float32, s.m*s.n), ldc: s.n}
	g.lda, g.ldb = s.k, s.n
	if s.transA {
		g.lda = s.m
	}
	if s.transB {
		g.ldb = s.k
	}
	return g
}

func (g *operands) blas(c []float32) {
	openblas.Sgemm(g.transA, g.transB, g.m, g.n, g.k, 1, g.a, g.lda, g.b, g.ldb, 0, c, g.ldc)
}

// agrees reports whether OpenBLAS's product is kernels.Gemm's within
// float32 rounding of a k-term sum.
func (g *operands) agrees() bool {
	want := make([]float32, len(g.c))
	kernels.Gemm(g.transA, g.transB, g.m, g.n, g.k, 1, g.a, g.lda, g.b, g.ldb, 0, want, g.ldc)
	g.blas(g.c)
	for i := range want {
		if d := math.Abs(float64(want[i] - g.c[i])); !(d <= 1e-4*float64(g.k)) {
			return false
		}
	}
	return true
}

// gflops times the product for at least 200 ms.
func (g *operands) gflops() float64 {
	g.blas(g.c) // warm the caches and OpenBLAS's buffers
	start, calls := time.Now(), 0
	for time.Since(start) < 200*time.Millisecond {
		for range 10 {
			g.blas(g.c)
		}
		calls += 10
	}
	return 2 * float64(g.m*g.n*g.k*calls) / time.Since(start).Seconds() / 1e9
}
