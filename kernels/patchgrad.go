package kernels

import "fmt"

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
