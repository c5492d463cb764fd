package kernels

import "fmt"

// AddRows is
//
//	for r := range rows {
//		for i := range n {
//			dst[r*ldd+i] += src[r*lds+i]
//		}
//	}
//
// with ldd and lds at least n, so no two rows overlap: a convolution's
// col2im adds each output pixel's patch gradient (K rows of K·Cin floats,
// one per filter row) back into its input in one call. AVX-512 does every
// row whole in assembly; other paths add row by row.
func AddRows(dst []float32, ldd int, src []float32, lds, rows, n int) {
	addRows(active, dst, ldd, src, lds, rows, n)
}

func addRows(p Impl, dst []float32, ldd int, src []float32, lds, rows, n int) {
	if rows < 0 || n < 0 || ldd < n || lds < n ||
		(rows > 0 && (len(dst) < (rows-1)*ldd+n || len(src) < (rows-1)*lds+n)) {
		panic(fmt.Sprintf("kernels: AddRows: %d rows of %d floats, strides %d and %d, from %d floats into %d",
			rows, n, lds, ldd, len(src), len(dst)))
	}
	if rows == 0 || n == 0 || addRowsAsm(p, dst, ldd, src, lds, rows, n) {
		return
	}
	for r := range rows {
		row := dst[r*ldd : r*ldd+n]
		add(p, row, row, src[r*lds:r*lds+n])
	}
}
