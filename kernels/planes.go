package kernels

import "fmt"

// ConvPlanes is the valid (unpadded), stride-1 convolution of images
// single-channel h×w planes x by the K×K filters wt (K·K × cout, row
// ky·K+kx), into y (images × Ho × Wo × cout, Ho = h−K+1, Wo = w−K+1):
// the GEMM of the patches colsᵀ (K·K × pixels) and wt, with the patches
// read straight from x by the transposed micro-kernel instead of being
// copied out first. Each output is summed in the same k order as Gemm
// with colsᵀ gives, so the bits are those. It reports false, doing
// nothing, when the active path has no kernel for cout outputs
// (PlanesSupported).
func ConvPlanes(y, x, wt []float32, images, h, w, k, cout int) bool {
	return convPlanes(active, y, x, wt, images, h, w, k, cout)
}

// PlanesSupported reports whether ConvPlanes runs for cout outputs.
func PlanesSupported(cout int) bool { return hasNarrowKernel(active, cout) }

// maxPlaneTaps bounds K·K, so the offsets live on the stack.
const maxPlaneTaps = 64

func convPlanes(p Impl, y, x, wt []float32, images, h, w, k, cout int) bool {
	if !hasNarrowKernel(p, cout) {
		return false
	}
	ho, wo := h-k+1, w-k+1
	switch {
	case k < 1 || k*k > maxPlaneTaps || ho < 1 || wo < 1:
		panic(fmt.Sprintf("kernels: ConvPlanes: %d×%d filters on %d×%d planes", k, k, h, w))
	case len(x) < images*h*w || len(wt) < k*k*cout || len(y) < images*ho*wo*cout:
		panic("kernels: ConvPlanes: slice too short")
	}
	var taps [maxPlaneTaps]int // tap ky·K+kx of the pixel at x[i] is x[i+taps[ky·K+kx]]
	off := taps[:k*k]
	for t := range off {
		off[t] = t/k*w + t%k
	}
	for n := 0; n < images; n++ {
		for oy := 0; oy < ho; oy++ {
			for ox := 0; ox < wo; ox += 16 {
				narrowOffsetAsm(p, cout, x[(n*h+oy)*w+ox:], off, wt, cout, y[((n*ho+oy)*wo+ox)*cout:], cout, min(16, wo-ox))
			}
		}
	}
	return true
}
