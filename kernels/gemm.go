package kernels

import "github.com/zofo/zofo/internal/team"

// Blocking, as in Goto/BLIS: a kc×nc block of op(B) is packed into
// nr-wide panels that stay in L2 (512 KiB of Zen 4's 1 MiB), and an mr×kc
// micro-panel of op(A) is packed k-major so it stays in L1 while the
// micro-kernel sweeps the B panels. Every path uses the same kc, so each
// element of C sees the same sequence of roundings however the work is split.
const (
	kc = GemmBlockK
	nc = 512
	nr = 16 // columns of a micro-tile on every path
)

// microRows is the row count of the micro-tile of path p.
func microRows(p Impl) int {
	switch p {
	case AVX512:
		return 16 // 16 zmm accumulators, one zmm per row
	case AVX2:
		return 6 // 12 ymm accumulators, two ymm per row
	case NEON:
		return 4 // 16 accumulators, B in 4 registers, A in one
	}
	return 4
}

type gemmArgs struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	a, b, c        []float32
	lda, ldb, ldc  int
}

// Gemm computes C = alpha·op(A)·op(B) + beta·C, where C is m×n, op(A) is m×k
// and op(B) is k×n; op(X) is Xᵀ when transX is set. A, B and C are row-major
// with leading dimensions lda, ldb, ldc. As in BLAS, beta == 0 means C is
// not read (NaN in C is overwritten), and alpha == 0 or k == 0 means A and B
// are not read.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	GemmParallel(1, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// GemmBlockK is the depth of the K blocks every GEMM path accumulates in:
// C is computed from block 0 (with beta) and then each later block added
// with beta 1. A caller that cuts K at multiples of it and passes beta 1
// after the first cut therefore gets the bits of the whole GEMM.
const GemmBlockK = 256

// GemmParallel is Gemm on up to threads goroutines. Each element of C is
// computed by one goroutine with the same operations as in Gemm, so the
// result is bit-identical for every thread count.
func GemmParallel(threads int, transA, transB bool, m, n, k int, alpha float32,
	a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if serial(threads, m, n, k) { // its own variable, which does not escape: no allocation per call
		g := gemmArgs{transA, transB, m, n, k, alpha, beta, a, b, c, lda, ldb, ldc}
		g.check()
		gemmSerial(active, &g)
		return
	}
	g := gemmArgs{transA, transB, m, n, k, alpha, beta, a, b, c, lda, ldb, ldc}
	g.check()
	gemmSplit(active, threads, &g)
}

func (g *gemmArgs) check() {
	if g.m < 0 || g.n < 0 || g.k < 0 {
		panic("kernels: Gemm: negative dimension")
	}
	ar, ac := g.m, g.k
	if g.transA {
		ar, ac = g.k, g.m
	}
	br, bc := g.k, g.n
	if g.transB {
		br, bc = g.n, g.k
	}
	if !fits(len(g.a), ar, ac, g.lda) || !fits(len(g.b), br, bc, g.ldb) || !fits(len(g.c), g.m, g.n, g.ldc) {
		panic("kernels: Gemm: slice too short or leading dimension too small")
	}
}

// fits reports whether a rows×cols matrix with leading dimension ld fits in n
// elements.
func fits(n, rows, cols, ld int) bool {
	if ld < max(cols, 1) {
		return false
	}
	return rows == 0 || cols == 0 || n >= (rows-1)*ld+cols
}

// gemm is GemmParallel after the checks.
func gemm(p Impl, threads int, g *gemmArgs) {
	if serial(threads, g.m, g.n, g.k) {
		gemmSerial(p, g)
		return
	}
	gemmSplit(p, threads, g)
}

// minSplitMACs is the least work a GEMM is split for: 2²¹ multiply-adds
// take about 10 µs on one core; below that the hand-off to the other core
// and the data it must fetch from this one cost more than they save.
const minSplitMACs = 1 << 21

// serial reports whether an m×n×k GEMM on threads goroutines runs on one.
func serial(threads, m, n, k int) bool { return threads <= 1 || m*n*k < minSplitMACs }

// gemmSerial is gemm on the calling goroutine. It never reaches the
// closure in gemmSplit, so its g need not escape: ZO's tiled forward
// makes many small one-thread GEMMs, which then allocate nothing.
func gemmSerial(p Impl, g *gemmArgs) {
	switch {
	case g.m == 0 || g.n == 0:
	case g.k == 0 || g.alpha == 0:
		scaleMatrix(g.beta, g.c, g.m, g.n, g.ldc)
	default:
		gemmBlock(p, g, region{0, g.m, 0, g.n})
	}
}

// gemmSplit is gemm on up to threads goroutines.
func gemmSplit(p Impl, threads int, g *gemmArgs) {
	if g.m == 0 || g.n == 0 || g.k == 0 || g.alpha == 0 {
		gemmSerial(p, g)
		return
	}
	parts := split(threads, g.m, g.n, microRows(p))
	team.Parallel(len(parts), func(i int) { gemmBlock(p, g, parts[i]) })
}

// region is the part [i0,i1)×[j0,j1) of C that one goroutine computes.
type region struct{ i0, i1, j0, j1 int }

// split cuts C into at most threads regions along n in whole nr panels,
// or along m in whole mr panels when C is at least twice as tall as wide
// or n is too narrow. A weight gradient (In × Out) is then cut into row
// blocks, contiguous in memory: the halves of the optimizer's update that
// follows (optim splits θ in contiguous parts) are mostly on the core that
// wrote them. Column blocks interleave the cores' data every 256 bytes,
// and measured 1.8× slower for a two-thread FO epoch here.
func split(threads, m, n, mr int) []region {
	if threads <= 1 {
		return []region{{0, m, 0, n}}
	}
	if panels := (n + nr - 1) / nr; panels >= threads && (m < 2*n || (m+mr-1)/mr < threads) {
		return cuts(threads, panels, nr, n, func(a, b int) region { return region{0, m, a, b} })
	}
	panels := (m + mr - 1) / mr
	return cuts(min(threads, panels), panels, mr, m, func(a, b int) region { return region{a, b, 0, n} })
}

func cuts(parts, panels, width, limit int, mk func(a, b int) region) []region {
	out := make([]region, 0, parts)
	for t := 0; t < parts; t++ {
		a := min(t*panels/parts*width, limit)
		b := min((t+1)*panels/parts*width, limit)
		if b > a {
			out = append(out, mk(a, b))
		}
	}
	return out
}

func scaleMatrix(beta float32, c []float32, m, n, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
		} else {
			scaleGeneric(beta, row)
		}
	}
}
