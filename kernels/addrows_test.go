package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// AddRows gives the bits of a Go loop of scalar adds on every path: every
// row length 0…67 (four vectors and a tail) and longer ones, 0 to 5 rows,
// strides equal to a row or longer, the operands at their own offsets in
// NaN guards; the floats between dst's rows stay, src stays, and ±0, ±Inf
// and NaN go through as Go's + takes them.
func TestAddRowsIsGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	ns := []int{100, 128, 250, 257}
	for n := 0; n <= 67; n++ {
		ns = append(ns, n)
	}
	forEachPath(t, func(t *testing.T, p Impl) {
		for i, n := range ns {
			for rows := 0; rows <= 5; rows++ {
				ldd, lds := n+[]int{0, 1, 16, 37}[(i+rows)%4], n+[]int{0, 5, 50}[(i+rows)%3]
				off := kerneltest.Offsets(i+rows, 2)
				if !testAddRows(t, r, p, n, rows, ldd, lds, off) {
					return
				}
			}
		}
	})
}

func testAddRows(t *testing.T, r *rand.Rand, p Impl, n, rows, ldd, lds int, off []int) bool {
	t.Helper()
	size := func(ld int) int { return max(0, (rows-1)*ld+n) }
	dst, src := kerneltest.NewGuarded(r, size(ldd), off[0]), kerneltest.NewGuarded(r, size(lds), off[1])
	kerneltest.WithSpecials(r, dst.S())
	kerneltest.WithSpecials(r, src.S())
	src.Snapshot = append(src.Snapshot[:0], src.S()...)
	want := append([]float32(nil), dst.S()...)
	for row := range rows {
		for i := range n {
			want[row*ldd+i] += src.S()[row*lds+i]
		}
	}
	addRows(p, dst.S(), ldd, src.S(), lds, rows, n)
	what := "AddRows"
	if i := kerneltest.FirstDiff(want, dst.S()); i >= 0 {
		t.Errorf("path %v, %d rows of %d, strides %d and %d: dst[%d] = %v, want %v", p, rows, n, ldd, lds, i, dst.S()[i], want[i])
		return false
	}
	dst.CheckGuards(t, what)
	src.CheckUnchanged(t, what)
	return !t.Failed()
}

// AddRows panics on a short operand or a stride shorter than a row,
// before it writes anything.
func TestAddRowsChecksLengths(t *testing.T) {
	for _, c := range []struct{ dst, ldd, src, lds, rows, n int }{
		{29, 10, 29, 10, 3, 9}, {28, 10, 29, 10, 3, 9}, {29, 10, 28, 10, 3, 9},
		{29, 8, 29, 10, 3, 9}, {29, 10, 29, 8, 3, 9}, {29, 10, 29, 10, -1, 9},
	} {
		dst := make([]float32, c.dst)
		for i := range dst {
			dst[i] = math.Float32frombits(kerneltest.GuardBits)
		}
		err := func() (err any) {
			defer func() { err = recover() }()
			AddRows(dst, c.ldd, make([]float32, c.src), c.lds, c.rows, c.n)
			return nil
		}()
		ok := c == struct{ dst, ldd, src, lds, rows, n int }{29, 10, 29, 10, 3, 9}
		if (err == nil) != ok {
			t.Errorf("%+v: panic %v", c, err)
		}
		for i, v := range dst {
			if !ok && math.Float32bits(v) != kerneltest.GuardBits {
				t.Errorf("%+v: dst[%d] written before the panic", c, i)
			}
		}
	}
}

// BenchmarkAddRows times MyNetPlus's second convolution's col2im: per
// output pixel, 5 rows of 50 floats into rows 120 apart.
func BenchmarkAddRows(b *testing.B) {
	const rows, n, ldd = 5, 50, 120
	dst, src := make([]float32, (rows-1)*ldd+n), make([]float32, rows*n)
	for b.Loop() {
		AddRows(dst, ldd, src, n, rows, n)
	}
	b.SetBytes(int64(3 * 4 * rows * n))
}
