package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// cols is the im2col of NHWC images: row (n, oy, ox), column (ky·K+kx)·cin+c.
func cols(x []float32, images, cin, h, w, k int) []float32 {
	ho, wo, kkc := h-k+1, w-k+1, k*k*cin
	out := make([]float32, images*ho*wo*kkc)
	for p := range images * ho * wo {
		n, oy, ox := p/(ho*wo), p/wo%ho, p%wo
		for t := range kkc {
			ky, kx, c := t/cin/k, t/cin%k, t%cin
			out[p*kkc+t] = x[((n*h+oy+ky)*w+ox+kx)*cin+c]
		}
	}
	return out
}

// ConvPatchesGrad gives the bits of Gemm (colsᵀ·dY, beta 0) on the
// explicit patches on the same path: filter sizes 1 to 5, 1, 3 and 10
// channels (filter rows of 1 to 50 weights: one to four tiles of 16, the
// last partial), both widths with kernels and one without, batches of
// one pixel to several K blocks starting mid-row and mid-image
// (MyNetPlus's second layer: 64 pixels an image), x at an odd offset with
// NaN guards after it, and dw NaN-filled (beta 0 must not read it) with
// guards after it left alone.
func TestConvPatchesGradIsGemmOnCols(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	forEachPath(t, func(t *testing.T, p Impl) {
		for k := 1; k <= 5; k++ {
			for _, cin := range []int{1, 3, 10} {
				for _, cout := range []int{10, 20, 16} {
					for _, s := range [][3]int{{1, k, k}, {3, k + 2, k + 5}, {9, 12, 12}, {2, 13, 30}} {
						if testConvPatchesGrad(t, r, p, s[0], cin, s[1], s[2], k, cout); t.Failed() {
							return
						}
					}
				}
			}
		}
	})
}

func testConvPatchesGrad(t *testing.T, r *rand.Rand, p Impl, images, cin, h, w, k, cout int) {
	t.Helper()
	pix, kkc := images*(h-k+1)*(w-k+1), k*k*cin
	xs := guardedFloats(r, 3, images*h*w*cin, 16)
	x := xs[3 : 3+images*h*w*cin]
	dy := guardedFloats(r, 0, pix*cout, 0)
	dw := guardedFloats(r, 0, kkc*cout, 16)
	for i := range dw {
		dw[i] = math.Float32frombits(kerneltest.GuardBits)
	}
	convPatchesGrad(p, dw, x, dy, images, cin, h, w, k, cout)
	want := make([]float32, kkc*cout)
	g := gemmArgs{true, false, kkc, cout, pix, 1, 0, cols(x, images, cin, h, w, k), dy, want, kkc, cout, cout}
	gemm(p, 1, &g)
	if i := kerneltest.FirstDiff(want, dw[:kkc*cout]); i >= 0 {
		t.Errorf("path %v, %d images of %d×%d×%d, K %d, %d outputs: dw[%d] = %v, Gemm on the patches %v", p, images, h, w, cin, k, cout, i, dw[i], want[i])
	}
	for i, v := range dw[kkc*cout:] {
		if math.Float32bits(v) != kerneltest.GuardBits {
			t.Errorf("path %v: wrote dw past the gradients (%d)", p, i)
		}
	}
}
