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
// patches in place for cout outputs; else they gather them (convref.go).
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
