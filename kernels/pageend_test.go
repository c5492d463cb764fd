//go:build linux && amd64 && !purego

package kernels

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"

	"github.com/zofo/zofo/internal/kerneltest"
)

// atPageEnd returns n floats that end where an unreadable page begins, so a
// kernel that loads one float past them faults instead of reading a guard
// it then throws away (which no value check can see).
func atPageEnd(t *testing.T, n int) []float32 {
	t.Helper()
	page := syscall.Getpagesize()
	size := (4*n+page-1)/page*page + page
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[size-page:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	end := size - page
	return unsafe.Slice((*float32)(unsafe.Pointer(&mem[end-4*n])), n)
}

// The transposed kernels read a partial tile's rows of Aᵀ under a mask:
// with the last k's row ending at a page end, a load of the whole vector
// would fault. Aᵀ is read in place (lda 16), every row count below a
// vector's, on every path with the kernels.
func TestNarrowGemmReadsNoRowPastTheTile(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const lda, k = 16, 25
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, n := range []int{10, 20} {
			for rows := 1; rows < 16; rows++ {
				g := gemmArgs{transA: true, m: rows, n: n, k: k, alpha: 1, lda: lda, ldb: n, ldc: n,
					a: atPageEnd(t, (k-1)*lda+rows), b: make([]float32, k*n)}
				if !narrow(p, &g, region{0, rows, 0, n}) {
					continue
				}
				for _, x := range [][]float32{g.a, g.b} {
					for i := range x {
						x[i] = float32(r.NormFloat64())
					}
				}
				g.c = make([]float32, rows*n)
				gemmNarrow(p, &g, region{0, rows, 0, n}, new(workspace))
				got := g.c
				g.c = make([]float32, rows*n)
				gemmTiles(p, &g, region{0, rows, 0, n}, new(workspace))
				if i := kerneltest.FirstDiff(g.c, got); i >= 0 {
					t.Fatalf("path %v, %d rows of a C %d wide: C[%d] = %v, the tiles give %v", p, rows, n, i, got[i], g.c[i])
				}
			}
		}
	})
}

// ConvPlanes reads a partial tile's pixels under a mask too: with the
// image ending at a page end, its last output row (every width up to 17,
// so every tail) would fault on a whole-vector load. The result is the one
// from the same image in ordinary memory.
func TestConvPlanesReadsNoPixelPastTheImage(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const k, cout = 3, 10
	forEachPath(t, func(t *testing.T, p Impl) {
		for wo := 1; wo <= 17; wo++ {
			for _, cin := range []int{1, 3} {
				h, w := k+1, wo+k-1
				x := atPageEnd(t, cin*h*w)
				for i := range x {
					x[i] = float32(r.NormFloat64())
				}
				wt := make([]float32, k*k*cin*cout)
				for i := range wt {
					wt[i] = float32(r.NormFloat64())
				}
				got, want := make([]float32, (h-k+1)*wo*cout), make([]float32, (h-k+1)*wo*cout)
				convPlanes(p, got, x, wt, nil, 1, cin, h, w, k, cout, false)
				convPlanes(p, want, append([]float32(nil), x...), wt, nil, 1, cin, h, w, k, cout, false)
				if i := kerneltest.FirstDiff(want, got); i >= 0 {
					t.Fatalf("path %v, Wo %d, %d channels: y[%d] = %v, %v from ordinary memory", p, wo, cin, i, got[i], want[i])
				}
			}
		}
	})
}

// ChannelsFirst loads a pixel's channels under a mask: with the image's
// last pixel at a page end, a whole-vector load would fault.
func TestChannelsFirstReadsNoFloatPastTheImage(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, pixels := range []int{8, 16, 24} {
			for channels := 1; channels <= 16; channels++ {
				src := atPageEnd(t, pixels*channels)
				for i := range src {
					src[i] = float32(r.NormFloat64())
				}
				got, want := make([]float32, len(src)), make([]float32, len(src))
				channelsFirst(p, got, src, 1, pixels, channels)
				channelsFirstGeneric(want, src, pixels, channels, pixels)
				if i := kerneltest.FirstDiff(want, got); i >= 0 {
					t.Fatalf("path %v, %d pixels of %d channels: dst[%d] = %v, want %v", p, pixels, channels, i, got[i], want[i])
				}
			}
		}
	})
}
