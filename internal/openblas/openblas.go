//go:build openblas && cgo

// Package openblas calls Debian's OpenBLAS (libopenblas-dev) through cgo.
// It exists only as a benchmark baseline, behind the openblas build tag.
package openblas

/*
#cgo LDFLAGS: -lopenblas
#include <cblas.h>
*/
import "C"

import "unsafe"

// Sgemm is cblas_sgemm on row-major matrices, like kernels.Gemm.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) {
	C.cblas_sgemm(C.CblasRowMajor, trans(transA), trans(transB), C.blasint(m), C.blasint(n), C.blasint(k),
		C.float(alpha), (*C.float)(unsafe.Pointer(&a[0])), C.blasint(lda),
		(*C.float)(unsafe.Pointer(&b[0])), C.blasint(ldb), C.float(beta),
		(*C.float)(unsafe.Pointer(&c[0])), C.blasint(ldc))
}

func trans(t bool) C.enum_CBLAS_TRANSPOSE {
	if t {
		return C.CblasTrans
	}
	return C.CblasNoTrans
}

// SetThreads sets OpenBLAS's thread count.
func SetThreads(n int) { C.openblas_set_num_threads(C.int(n)) }

// CoreName is the CPU kernel set OpenBLAS chose (OPENBLAS_CORETYPE can
// force it), so a benchmark file says which OpenBLAS code it measured.
func CoreName() string { return C.GoString(C.openblas_get_corename()) }
