package kernels

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/zofo/zofo/internal/host"
	"github.com/zofo/zofo/internal/team"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// TestMain prints benchfmt metadata before any benchmark line: the
// direction of the custom units and file-level configuration keys.
func TestMain(m *testing.M) {
	header := []string{"Unit flop/s better=higher", "Unit params/s better=higher", "Unit MAC/s better=higher",
		fmt.Sprintf("kernels-active: %v", Active()), fmt.Sprintf("kernels-available: %v", Available())}
	host.RunTests(m, append(header, benchConfig...)...)
}

// benchConfig holds extra file-level keys (the OpenBLAS core, when built in).
var benchConfig []string

type gemmFunc func(threads int, g *gemmArgs)

type gemmImpl struct {
	name string
	run  gemmFunc
}

// gemmImpls lists our paths and the baselines: gonum always, OpenBLAS with
// -tags openblas.
func gemmImpls() []gemmImpl {
	var out []gemmImpl
	for _, p := range Available() {
		out = append(out, gemmImpl{p.String(), func(threads int, g *gemmArgs) { gemm(p, threads, g) }})
	}
	out = append(out, gemmImpl{"gonum", func(threads int, g *gemmArgs) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(threads)) // gonum splits over GOMAXPROCS
		gonum.Implementation{}.Sgemm(blasT(g.transA), blasT(g.transB), g.m, g.n, g.k, g.alpha,
			g.a, g.lda, g.b, g.ldb, g.beta, g.c, g.ldc)
	}})
	return append(out, extraGemm...)
}

var extraGemm []gemmImpl

func blasT(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// gemmShapes are MyNet's (batch 64): the three forward layers, the
// first layer's weight gradient (TN) and a backward NT, plus 1024³; then
// MyNetPlus's convolutions, which take the transposed micro-kernels: the
// first layer's forward (colsᵀ of 63 images: 64 would put its rows 4 KiB
// apart, which the layer pads away), the second's forward on one
// 256-pixel gather block, and its weight gradient over 64 images.
var gemmShapes = []struct {
	op      string
	m, k, n int
}{
	{"NN", 64, 784, 128}, {"NN", 64, 128, 64}, {"NN", 64, 64, 10},
	{"TN", 784, 64, 128}, {"NT", 64, 128, 64}, {"NN", 1024, 1024, 1024},
	{"TN", 63 * 576, 25, 10}, {"NN", 256, 250, 20}, {"TN", 250, 4096, 20},
}

func newGemm(op string, m, k, n int) *gemmArgs {
	r := rand.New(rand.NewPCG(1, 1))
	mat := func(rows, cols int) ([]float32, int) {
		x := make([]float32, rows*cols)
		for i := range x {
			x[i] = r.Float32() - 0.5
		}
		return x, cols
	}
	g := &gemmArgs{transA: op[0] == 'T', transB: op[1] == 'T', m: m, n: n, k: k, alpha: 1}
	g.a, g.lda = mat(dimsRows(g.transA, m, k), dimsCols(g.transA, m, k))
	g.b, g.ldb = mat(dimsRows(g.transB, k, n), dimsCols(g.transB, k, n))
	g.c, g.ldc = mat(m, n)
	return g
}

func BenchmarkGemm(b *testing.B) {
	for _, s := range gemmShapes {
		threads := []int{1, 2} // MyNet's shapes too: what --threads 2 gains or costs per call
		for _, impl := range gemmImpls() {
			for _, t := range threads {
				name := fmt.Sprintf("impl=%s/shape=%dx%dx%d/op=%s/threads=%d", impl.name, s.m, s.k, s.n, s.op, t)
				b.Run(name, func(b *testing.B) {
					g := newGemm(s.op, s.m, s.k, s.n)
					for b.Loop() {
						impl.run(t, g)
					}
					b.ReportMetric(2*float64(s.m*s.n*s.k)*float64(b.N)/b.Elapsed().Seconds(), "flop/s")
				})
			}
		}
	}
}

// BenchmarkFMAPeak is the measured FMA ceiling the GEMM figures are read
// against (two 256-bit FMA pipes on Zen 4: 32 flop/cycle).
func BenchmarkFMAPeak(b *testing.B) {
	for _, p := range Available() {
		if fmaPeak(p, 1) == 0 {
			continue
		}
		b.Run("impl="+p.String(), func(b *testing.B) {
			var flops float64
			for b.Loop() {
				flops += fmaPeak(p, 1<<16)
			}
			b.ReportMetric(flops/b.Elapsed().Seconds(), "flop/s")
		})
	}
}

func BenchmarkVector(b *testing.B) {
	const n = 100_000
	x, y := make([]float32, n), make([]float32, n)
	for _, p := range Available() {
		b.Run("impl="+p.String()+"/op=axpy/n=1e5", func(b *testing.B) {
			b.SetBytes(12 * n)
			for b.Loop() {
				axpy(p, 0.5, x, y)
			}
		})
		b.Run("impl="+p.String()+"/op=dot/n=1e5", func(b *testing.B) {
			b.SetBytes(8 * n)
			for b.Loop() {
				dot(p, x, y)
			}
		})
	}
}

// BenchmarkCrossCore is the price of data moving between the cores: one
// goroutine rewrites 440 KB (a MyNet s=1's θ), then sums it itself
// (where=local) or has a worker on the other core sum it (where=remote).
// On the 2-vCPU machine remote took 7–9× local (35–42 µs against 5),
// which is why two threads help only where each core keeps to its data.
func BenchmarkCrossCore(b *testing.B) {
	buf := make([]float32, 110_000)
	for _, where := range []string{"local", "remote"} {
		b.Run("where="+where, func(b *testing.B) {
			var s float32
			for b.Loop() {
				Scale(1.0000001, buf)
				if where == "local" {
					s += Dot(buf, buf)
					continue
				}
				team.Parallel(2, func(i int) {
					if i == 1 {
						s += Dot(buf, buf)
					}
				})
			}
			b.ReportMetric(float64(4*len(buf))*float64(b.N)/b.Elapsed().Seconds(), "B/s")
		})
	}
}
