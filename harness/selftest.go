package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/klauspost/cpuid/v2"

	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/kernels/rng"
)

// shape is one GEMM of MyNet at batch 64, named as in the kernel benchmarks.
type shape struct {
	name           string
	transA, transB bool
	m, k, n        int
}

var mynetShapes = []shape{
	{"fc1 forward 64x784x128 NN", false, false, 64, 784, 128},
	{"fc2 forward 64x128x64 NN", false, false, 64, 128, 64},
	{"fc3 forward 64x64x10 NN", false, false, 64, 64, 10},
	{"fc1 weight grad 784x64x128 TN", true, false, 784, 64, 128},
	{"backward 64x128x64 NT", false, true, 64, 128, 64},
}

func selftest(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("selftest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	benchtime := fs.Duration("benchtime", 300*time.Millisecond, "minimum time per measurement (> 0)")
	if code := parseFlags(fs, args); code != 0 {
		return max(code, 0)
	}
	if *benchtime <= 0 {
		fmt.Fprintf(stderr, "harness selftest: --benchtime must be > 0, got %v\n", *benchtime)
		return exitUsage
	}
	fmt.Fprintf(stdout, "cpu:       %s (%d usable cores)\n", cpuid.CPU.BrandName, runtime.NumCPU())
	fmt.Fprintf(stdout, "features:  %s\n", strings.Join(cpuid.CPU.FeatureSet(), " "))
	fmt.Fprintf(stdout, "paths:     %v (set %s to force one)\n", kernels.Available(), kernels.EnvVar)
	fmt.Fprintf(stdout, "selected:  %v\n\n", kernels.Active())
	fmt.Fprintf(stdout, "%-32s %12s\n", "GEMM, 1 thread", "GFLOP/s")
	for _, s := range mynetShapes {
		fmt.Fprintf(stdout, "%-32s %12.1f\n", s.name, gemmRate(s, *benchtime)/1e9)
	}
	fmt.Fprintf(stdout, "\n%-32s %12s\n", "direction, 1e6 params", "params/s")
	for _, d := range []rng.Dist{rng.Rademacher, rng.Gaussian} {
		fmt.Fprintf(stdout, "%-32s %12.3g\n", "perturb "+d.String(), perturbRate(d, *benchtime))
	}
	return 0
}

// measure runs f until at least d has passed and returns calls per second.
func measure(d time.Duration, f func()) float64 {
	f() // warm caches and the workspace pool
	n := 0
	start := time.Now()
	for time.Since(start) < d {
		f()
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

func gemmRate(s shape, d time.Duration) float64 {
	a := make([]float32, s.m*s.k)
	b := make([]float32, s.k*s.n)
	c := make([]float32, s.m*s.n)
	for i := range a {
		a[i] = float32(i%7) - 3
	}
	for i := range b {
		b[i] = float32(i%5) - 2
	}
	lda, ldb := s.k, s.n
	if s.transA {
		lda = s.m
	}
	if s.transB {
		ldb = s.k
	}
	calls := measure(d, func() {
		kernels.Gemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, s.n)
	})
	return calls * 2 * float64(s.m*s.n*s.k)
}

func perturbRate(dist rng.Dist, d time.Duration) float64 {
	w := make([]float32, 1_000_000)
	key := rng.NewKey(1, 1)
	return measure(d, func() { rng.Perturb(dist, w, 1e-3, key, 0) }) * float64(len(w))
}
