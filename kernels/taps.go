package kernels

import "fmt"

// ConvTapsGrad sets dw (K·K × cout) to the weight gradient of a valid,
// stride-1 K×K convolution of single-channel images x (images × h × w):
// dw[t·cout+c] = Σₚ x[pixel p's tap t]·dy[p·cout+c], t = ky·K+kx, over
// the output pixels p in order (image, row, column). It reads the taps
// straight from x, where Gemm would need the patches gathered first
// (colsᵀ, K·K × pixels), and gives Gemm's bits on them: the same FMAs in
// the same order, in the same K blocks. A path without a kernel for K and cout
// gathers the taps first (TapsGradSupported).
func ConvTapsGrad(dw, x, dy []float32, images, h, w, k, cout int) {
	convTapsGrad(active, dw, x, dy, images, h, w, k, cout)
}

// TapsGradSupported reports whether ConvTapsGrad reads the taps in place
// for K×K filters and cout outputs; else it gathers them (convref.go).
func TapsGradSupported(k, cout int) bool { return hasTapsKernel(active, k, cout) }

func convTapsGrad(p Impl, dw, x, dy []float32, images, h, w, k, cout int) {
	ho, wo := h-k+1, w-k+1
	pix := images * ho * wo
	switch {
	case ho < 1 || wo < 1 || images < 1:
		panic(fmt.Sprintf("kernels: ConvTapsGrad: %d images of %d×%d pixels for %d×%d filters", images, h, w, k, k))
	case len(x) < images*h*w || len(dy) < pix*cout || len(dw) < k*k*cout:
		panic("kernels: ConvTapsGrad: slice too short")
	}
	if !hasTapsKernel(p, k, cout) {
		convPatchesGradGathered(p, dw, x, dy, images, 1, h, w, k, cout)
		return
	}
	forKBlocks(images, h, w, k, 1, func(p0 int, off []int, beta float32) {
		tapsKernelAsm(p, k, x, off, w, dy[p0*cout:], cout, dw, beta)
	})
}

// forKBlocks calls f on each K block of a valid K×K convolution's output
// pixels, in order: its first pixel p0, each pixel's top-left input
// offset (in pixels of h×w images, times stride floats), and the beta of
// the block (0 for the first, then 1: later K blocks accumulate onto it,
// as in Gemm).
func forKBlocks(images, h, w, k, stride int, f func(p0 int, off []int, beta float32)) {
	ho, wo := h-k+1, w-k+1
	pix := images * ho * wo
	var offsets [kc]int
	var at pixelAt
	for p0 := 0; p0 < pix; p0 += kc {
		off := offsets[:min(kc, pix-p0)]
		for i := range off {
			off[i] = at.offset(h, w) * stride
			at.next(ho, wo)
		}
		beta := float32(1)
		if p0 == 0 {
			beta = 0
		}
		f(p0, off, beta)
	}
}

// pixelAt walks the output pixels in order.
type pixelAt struct{ n, oy, ox int }

// offset is the pixel's top-left tap in images of h×w.
func (q *pixelAt) offset(h, w int) int { return (q.n*h+q.oy)*w + q.ox }

func (q *pixelAt) next(ho, wo int) {
	if q.ox++; q.ox < wo {
		return
	}
	if q.ox, q.oy = 0, q.oy+1; q.oy == ho {
		q.oy, q.n = 0, q.n+1
	}
}
