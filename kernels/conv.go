package kernels

import "fmt"

// ConvPlanes is the valid (unpadded), stride-1 convolution of x, images
// of cin channels of h×w pixels stored channel by channel (images × cin ×
// h × w), by the K×K filters wt (K·K·cin × cout, row (ky·K+kx)·cin+c),
// into y (images × Ho × Wo × cout, Ho = h−K+1, Wo = w−K+1): the GEMM of
// the patches and wt, with the patches read straight from x by the
// transposed micro-kernels instead of being copied out first. Each output
// is summed in the same k order as Gemm over the patches, so the bits are
// those. A tile is 16 pixels of an output row, or the last 8 of one and
// the first 8 of the next, so rows 24 wide (MyNetPlus's first layer) and
// 8 wide (its second) fill every tile. Each output pixel gets bias (cout
// floats; none if nil) added, then ReLU if relu: BiasAddTo's
// bits, in the kernel's epilogue instead of a pass of its own over y. A
// path without a kernel for cout outputs gathers the patches first
// (PlanesSupported).
func ConvPlanes(y, x, wt, bias []float32, images, cin, h, w, k, cout int, relu bool) {
	convPlanes(active, y, x, wt, bias, images, cin, h, w, k, cout, relu)
}

// PlanesSupported reports whether ConvPlanes and ConvPatchesGrad read the
// patches in place for cout outputs; else they gather them (conv_ref.go).
func PlanesSupported(cout int) bool { return hasNarrowKernel(active, cout) }

// maxTaps bounds K·K·cin: one K block, summed in one chain as Gemm does,
// and the offsets fit on the stack.
const maxTaps = GemmBlockK

func convPlanes(p Impl, y, x, wt, bias []float32, images, cin, h, w, k, cout int, relu bool) {
	ho, wo, taps := h-k+1, w-k+1, k*k*cin
	switch {
	case k < 1 || cin < 1 || taps > maxTaps || ho < 1 || wo < 1:
		panic(fmt.Sprintf("kernels: ConvPlanes: %d×%d filters on %d channels of %d×%d", k, k, cin, h, w))
	case len(x) < images*cin*h*w || len(wt) < taps*cout || len(y) < images*ho*wo*cout:
		panic("kernels: ConvPlanes: slice too short")
	case bias != nil && len(bias) < cout:
		panic("kernels: ConvPlanes: len(bias) < cout")
	}
	if !hasNarrowKernel(p, cout) {
		convPlanesGathered(p, y, x, wt, bias, images, cin, h, w, k, cout, relu)
		return
	}
	var offsets [maxTaps]int // tap t of the pixel at x[i] is x[i+off[t]]
	off := offsets[:taps]
	for t := range off {
		kk, c := t/cin, t%cin
		off[t] = c*h*w + kk/k*w + kk%k
	}
	for n := 0; n < images; n++ {
		img, out := x[n*cin*h*w:], y[n*ho*wo*cout:]
		for q := 0; q < ho*wo; { // a tile from output pixel q = (oy, ox) on
			oy, ox := q/wo, q%wo
			a, c := img[oy*w+ox:], out[q*cout:]
			switch inRow := wo - ox; {
			case inRow >= 16:
				narrowOffsetAsm(p, cout, a, off, wt, cout, c, cout, 0, 16, bias, relu)
				q += 16
			case inRow == 8 && ho*wo-q >= 16: // this row's last 8 pixels and the next row's first 8
				narrowHalvesAsm(p, cout, a, off, w-ox, wt, cout, c, cout, bias, relu)
				q += 16
			default:
				narrowOffsetAsm(p, cout, a, off, wt, cout, c, cout, 0, inRow, bias, relu)
				q += inRow
			}
		}
	}
}

// ConvPatchesGrad sets dw (K·K·cin × cout, row (ky·K+kx)·cin+c) to the
// weight gradient of a valid, stride-1 K×K convolution of NHWC images x
// (images × h × w × cin): the sum over the output pixels p, in order, of
// p's patch times dy[p·cout:]. For a filter row ky a patch's K·cin values
// are contiguous in x, so the transposed micro-kernels read them there,
// 16 at a time, with one offset per pixel (gemmKernelTO) instead of a
// gathered copy of the patches; each element gets the FMAs of Gemm on the
// patches in the same K blocks, so the bits are Gemm's. A path
// without a kernel for cout outputs gathers the patches first
// (PlanesSupported).
func ConvPatchesGrad(dw, x, dy []float32, images, cin, h, w, k, cout int) {
	convPatchesGrad(active, dw, x, dy, images, cin, h, w, k, cout)
}

func convPatchesGrad(p Impl, dw, x, dy []float32, images, cin, h, w, k, cout int) {
	ho, wo, row := h-k+1, w-k+1, k*cin
	pix := images * ho * wo
	switch {
	case ho < 1 || wo < 1 || images < 1 || cin < 1:
		panic(fmt.Sprintf("kernels: ConvPatchesGrad: %d images of %d×%d×%d for %d×%d filters", images, h, w, cin, k, k))
	case len(x) < images*h*w*cin || len(dy) < pix*cout || len(dw) < k*row*cout:
		panic("kernels: ConvPatchesGrad: slice too short")
	}
	if !hasNarrowKernel(p, cout) {
		convPatchesGradGathered(p, dw, x, dy, images, cin, h, w, k, cout)
		return
	}
	forKBlocks(images, h, w, k, cin, func(p0 int, off []int, beta float32) {
		for ky := 0; ky < k; ky++ {
			for r0 := 0; r0 < row; r0 += 16 { // 16 of filter row ky's K·cin weights
				t := ky*row + r0
				narrowOffsetAsm(p, cout, x[ky*w*cin+r0:], off, dy[p0*cout:], cout, dw[t*cout:], cout, beta, min(16, row-r0), nil, false)
			}
		}
	})
}

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
// for K×K filters and cout outputs; else it gathers them (conv_ref.go).
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
