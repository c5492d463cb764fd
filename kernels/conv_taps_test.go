package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// ConvTapsGrad gives the bits of Gemm (colsᵀ·dY, beta 0) on the explicit
// colsᵀ on the same path: filter sizes 1 to 5 (3 and 5 have kernels),
// 1 to 17 outputs (16 the most), batches of one pixel to several K blocks
// whose blocks start mid-row and mid-image (MyNetPlus's first layer:
// 576 pixels an image), x at an odd offset with NaN guards after it (a
// tap read past the images would turn a gradient into NaN), and dw's
// guards after the gradients left alone.
func TestConvTapsGradIsGemmOnColsT(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	forEachPath(t, func(t *testing.T, p Impl) {
		for k := 1; k <= 5; k++ {
			for _, cout := range []int{1, 4, 10, 16, 17} {
				for _, s := range [][3]int{{1, k, k}, {1, k + 2, k + 3}, {3, k + 6, k + 9}, {5, 28, 28}, {2, 40, 17}} {
					if testConvTapsGrad(t, r, p, s[0], s[1], s[2], k, cout); t.Failed() {
						return
					}
				}
			}
		}
	})
}

func testConvTapsGrad(t *testing.T, r *rand.Rand, p Impl, images, h, w, k, cout int) {
	t.Helper()
	pix := images * (h - k + 1) * (w - k + 1)
	xs := guardedFloats(r, 3, images*h*w, 16)
	x := xs[3 : 3+images*h*w]
	dy := guardedFloats(r, 0, pix*cout, 0)
	dw := guardedFloats(r, 0, k*k*cout, 16)
	for i := range dw {
		dw[i] = math.Float32frombits(kerneltest.GuardBits)
	}
	convTapsGrad(p, dw, x, dy, images, h, w, k, cout)
	want := make([]float32, k*k*cout)
	g := gemmArgs{false, false, k * k, cout, pix, 1, 0, colsT(x, images, 1, h, w, k), dy, want, pix, cout, cout}
	gemm(p, 1, &g)
	if i := kerneltest.FirstDiff(want, dw[:k*k*cout]); i >= 0 {
		t.Errorf("path %v, %d images of %d×%d, K %d, %d outputs: dw[%d] = %v, Gemm on colsᵀ %v", p, images, h, w, k, cout, i, dw[i], want[i])
	}
	for i, v := range dw[k*k*cout:] {
		if math.Float32bits(v) != kerneltest.GuardBits {
			t.Errorf("path %v: wrote dw past the gradients (%d)", p, i)
		}
	}
}

// guardedFloats is n normal values with before and after NaN guards.
func guardedFloats(r *rand.Rand, before, n, after int) []float32 {
	out := make([]float32, before+n+after)
	for i := range out {
		out[i] = math.Float32frombits(kerneltest.GuardBits)
	}
	for i := range out[before : before+n] {
		out[before+i] = float32(r.NormFloat64())
	}
	return out
}

// BenchmarkConvTapsGrad times the weight gradient of MyNetPlus's first
// layer on a batch of 64 images (one thread), as multiply-adds per second.
func BenchmarkConvTapsGrad(b *testing.B) {
	const images, h, w, k, cout = 64, 28, 28, 5, 10
	pix := images * (h - k + 1) * (w - k + 1)
	x, dy, dw := make([]float32, images*h*w), make([]float32, pix*cout), make([]float32, k*k*cout)
	if !TapsGradSupported(k, cout) {
		b.Skip("no kernel on this path")
	}
	for b.Loop() {
		ConvTapsGrad(dw, x, dy, images, h, w, k, cout)
	}
	b.ReportMetric(float64(pix*k*k*cout)*float64(b.N)/b.Elapsed().Seconds(), "MAC/s")
}
