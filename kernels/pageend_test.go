//go:build linux && amd64 && !purego

package kernels

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
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
	for _, p := range Available() {
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
				if i := firstDiff(g.c, got); i >= 0 {
					t.Fatalf("path %v, %d rows of a C %d wide: C[%d] = %v, the tiles give %v", p, rows, n, i, got[i], g.c[i])
				}
			}
		}
	}
}
