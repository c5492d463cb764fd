package kernels

// The Go references of the convolution kernels: each gathers the patches
// the kernel reads in place, then multiplies them with Gemm on the same
// path, which is the kernel's definition. A path without the in-place
// kernel (PlanesSupported, TapsGradSupported) runs them; nn then gathers
// the patches itself, a part at a time, which is faster.

// convPlanesGathered is ConvPlanes on path p: each image's patches
// (pixels × K·K·cin, tap (ky·K+kx)·cin+c) gathered, multiplied by wt,
// then the bias added (unless nil) and the ReLU applied (if relu).
func convPlanesGathered(p Impl, y, x, wt, bias []float32, images, cin, h, w, k, cout int, relu bool) {
	ho, wo, taps := h-k+1, w-k+1, k*k*cin
	cols := make([]float32, ho*wo*taps)
	for n := range images {
		img, out := x[n*cin*h*w:], y[n*ho*wo*cout:][:ho*wo*cout]
		for q := range ho * wo {
			oy, ox := q/wo, q%wo
			for t := range taps {
				kk, c := t/cin, t%cin
				cols[q*taps+t] = img[c*h*w+(oy+kk/k)*w+ox+kk%k]
			}
		}
		g := gemmArgs{m: ho * wo, n: cout, k: taps, alpha: 1, a: cols, lda: taps, b: wt, ldb: cout, c: out, ldc: cout}
		gemmSerial(p, &g)
		switch {
		case bias != nil:
			biasRowsTo(out, out, ho*wo, cout, bias[:cout], relu)
		case relu:
			reluK(p, out, out)
		}
	}
}

// convPatchesGradGathered is ConvPatchesGrad on path p: the patches of
// the NHWC images x (pixels × K·K·cin) gathered, then dW = patchesᵀ·dY.
// With cin = 1 it is ConvTapsGrad's too: one channel is both layouts.
func convPatchesGradGathered(p Impl, dw, x, dy []float32, images, cin, h, w, k, cout int) {
	ho, wo, taps := h-k+1, w-k+1, k*k*cin
	pix := images * ho * wo
	cols := make([]float32, pix*taps)
	for q := range pix {
		n, oy, ox := q/(ho*wo), q/wo%ho, q%wo
		for t := range taps {
			kk, c := t/cin, t%cin
			cols[q*taps+t] = x[((n*h+oy+kk/k)*w+ox+kk%k)*cin+c]
		}
	}
	g := gemmArgs{transA: true, m: taps, n: cout, k: pix, alpha: 1, a: cols, lda: taps, b: dy, ldb: cout, c: dw, ldc: cout}
	gemmSerial(p, &g)
}
