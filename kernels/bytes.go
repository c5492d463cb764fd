package kernels

import (
	"math"
	"unsafe"
)

// AffineBytes sets dst[i] = float32(a·src[i] + b) for every byte of src,
// the product and the sum in one float64 FMA and rounded once to float32:
// a byte-valued image normalized as it is copied (MNIST's (p/255 − mean)/std
// has this form, mnist.Normalize). Every path gives math.FMA's bits.
func AffineBytes(dst []float32, src []byte, a, b float64) { affineBytes(active, dst, src, a, b) }

func affineBytes(p Impl, dst []float32, src []byte, a, b float64) {
	if len(dst) < len(src) {
		panic("kernels: AffineBytes: len(dst) < len(src)")
	}
	n := affineBytesAsm(p, dst, src, a, b)
	affineBytesGeneric(dst[n:len(src)], src[n:], a, b)
}

func affineBytesGeneric(dst []float32, src []byte, a, b float64) {
	for i, v := range src {
		dst[i] = float32(math.FMA(float64(v), a, b))
	}
}

// cacheLine is the x86 and Arm cache line (bytes) that Prefetch steps by.
const cacheLine = 64

// Prefetch asks for the cache lines holding b to be loaded, and returns at
// once: a hint that changes no memory, a no-op on the generic path. A
// gather of rows scattered over a large set (a shuffled MNIST batch) asks
// for all of them first, so their misses overlap instead of waiting in
// turn.
func Prefetch(b []byte) {
	if len(b) == 0 || !prefetchAsm(active) {
		return
	}
	// &b[0] + 64k lies in the k-th line from b's first: one step per line.
	prefetchLines(&b[0], cacheLines(uintptr(unsafe.Pointer(&b[0])), len(b)))
}

// cacheLines is how many cache lines the n ≥ 1 bytes from address start
// touch.
func cacheLines(start uintptr, n int) int {
	first := start &^ (cacheLine - 1)
	return int((start+uintptr(n)-1-first)/cacheLine) + 1
}
