package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

type gemmCase struct {
	tA, tB      bool
	m, n, k     int
	alpha, beta float32
	pad         int // extra leading-dimension columns, filled with guards
}

// testMatrix makes a rows×cols matrix with leading dimension cols+pad; the
// padding holds guard NaNs.
func testMatrix(r *rand.Rand, rows, cols, pad int) ([]float32, int) {
	ld := max(cols+pad, 1)
	x := make([]float32, rows*ld)
	for i := range x {
		if i%ld < cols {
			x[i] = float32(r.NormFloat64())
		} else {
			x[i] = math.Float32frombits(kerneltest.GuardBits)
		}
	}
	return x, ld
}

func dims(trans bool, rows, cols int) (int, int) {
	if trans {
		return cols, rows
	}
	return rows, cols
}

func (c gemmCase) inputs(r *rand.Rand) (a []float32, lda int, b []float32, ldb int, cm []float32, ldc int) {
	a, lda = testMatrix(r, dimsRows(c.tA, c.m, c.k), dimsCols(c.tA, c.m, c.k), c.pad)
	b, ldb = testMatrix(r, dimsRows(c.tB, c.k, c.n), dimsCols(c.tB, c.k, c.n), c.pad)
	cm, ldc = testMatrix(r, c.m, c.n, c.pad)
	if c.beta == 0 {
		for i := range cm { // beta == 0 must not read C
			if i%ldc < c.n {
				cm[i] = float32(math.NaN())
			}
		}
	}
	return
}

func dimsRows(t bool, r, c int) int { x, _ := dims(t, r, c); return x }
func dimsCols(t bool, r, c int) int { _, y := dims(t, r, c); return y }

func at(x []float32, ld int, trans bool, i, j int) float64 {
	if trans {
		return float64(x[j*ld+i])
	}
	return float64(x[i*ld+j])
}

// check compares C with a float64 reference within 2·k·2⁻²⁴ of the
// magnitude of the terms, and checks the padding guards.
func (c gemmCase) check(t *testing.T, a []float32, lda int, b []float32, ldb int, c0, got []float32, ldc int) {
	t.Helper()
	for i := 0; i < c.m; i++ {
		for j := 0; j < ldc; j++ {
			v := got[i*ldc+j]
			if j >= c.n {
				if math.Float32bits(v) != kerneltest.GuardBits {
					t.Fatalf("%+v: wrote padding C[%d][%d]", c, i, j)
				}
				continue
			}
			var want, mag float64
			for p := 0; p < c.k; p++ {
				prod := at(a, lda, c.tA, i, p) * at(b, ldb, c.tB, p, j)
				want += prod
				mag += math.Abs(prod)
			}
			want *= float64(c.alpha)
			mag *= math.Abs(float64(c.alpha))
			if c.beta != 0 {
				want += float64(c.beta) * float64(c0[i*ldc+j])
				mag += math.Abs(float64(c.beta) * float64(c0[i*ldc+j]))
			}
			if tol := 2 * float64(c.k+2) * 0x1p-24 * mag; !(math.Abs(float64(v)-want) <= tol) {
				t.Fatalf("%+v: C[%d][%d] = %v, want %v ± %v", c, i, j, v, want, tol)
			}
		}
	}
}

func gemmCases(r *rand.Rand) []gemmCase {
	var out []gemmCase
	ks := []int{0, 1, 2, 3, 17, 255, 256, 257, 600}
	for i := 0; i < 160; i++ {
		c := gemmCase{tA: i&1 != 0, tB: i&2 != 0, m: r.IntN(40), n: r.IntN(40), k: ks[i%len(ks)],
			alpha: float32(r.NormFloat64()), beta: []float32{0, 1, -0.5}[i%3], pad: r.IntN(3)}
		switch {
		case i%17 == 0:
			c.alpha = 0
		case i%5 == 0: // the epilogue's shortcuts: alpha 1, beta 0 or 1
			c.alpha = 1
		}
		out = append(out, c)
	}
	// MyNet shapes, and N wider than one nc block.
	out = append(out, gemmCase{m: 64, n: 128, k: 784, alpha: 1}, gemmCase{tB: true, m: 64, n: 64, k: 128, alpha: 1},
		gemmCase{tA: true, m: 784, n: 128, k: 64, alpha: 1, beta: 1}, gemmCase{m: 64, n: 10, k: 64, alpha: 1},
		gemmCase{m: 33, n: 1100, k: 300, alpha: 0.5, beta: 2, pad: 1},
		// Leading dimension 1024 (4 KiB rows) takes the packed paths.
		gemmCase{m: 37, n: 45, k: 300, alpha: 1, beta: 1, pad: 1024 - 300},
		gemmCase{tA: true, m: 40, n: 300, k: 50, alpha: -1, pad: 1024 - 300})
	return append(out, narrowCases()...)
}

func TestGemm(t *testing.T) {
	forEachPath(t, func(t *testing.T, p Impl) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, c := range gemmCases(r) {
			a, lda, b, ldb, c0, ldc := c.inputs(r)
			got := append([]float32(nil), c0...)
			g := gemmArgs{c.tA, c.tB, c.m, c.n, c.k, c.alpha, c.beta, a, b, got, lda, ldb, ldc}
			g.check()
			gemm(p, 1, &g)
			c.check(t, a, lda, b, ldb, c0, got, ldc)
		}
	})
}

// Every thread count, and every assembly path (all FMA in the same k
// order), gives the same bits.
func TestGemmBitIdentical(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range gemmCases(r) {
		a, lda, b, ldb, c0, ldc := c.inputs(r)
		var ref []float32
		for _, p := range Available() {
			var first []float32
			for _, threads := range []int{1, 2, 3, 4, 7} {
				got := append([]float32(nil), c0...)
				g := gemmArgs{c.tA, c.tB, c.m, c.n, c.k, c.alpha, c.beta, a, b, got, lda, ldb, ldc}
				gemm(p, threads, &g)
				if first == nil {
					first = got
				} else if i := kerneltest.FirstDiff(first, got); i >= 0 {
					t.Fatalf("%+v path %v: %d threads differ at %d", c, p, threads, i)
				}
			}
			if p == Generic {
				continue // no FMA in the reference: not comparable to the bit
			}
			if ref == nil {
				ref = first
			} else if i := kerneltest.FirstDiff(ref, first); i >= 0 {
				t.Fatalf("%+v: path %v differs from the other assembly path at %d", c, p, i)
			}
		}
	}
}
