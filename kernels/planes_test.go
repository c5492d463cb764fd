package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// colsT is the im2col of single-channel planes, transposed: row ky·K+kx,
// column (n, oy, ox).
func colsT(x []float32, images, h, w, k int) []float32 {
	ho, wo := h-k+1, w-k+1
	pix := images * ho * wo
	out := make([]float32, k*k*pix)
	for t := 0; t < k*k; t++ {
		for n := 0; n < images; n++ {
			for oy := 0; oy < ho; oy++ {
				for ox := 0; ox < wo; ox++ {
					out[t*pix+(n*ho+oy)*wo+ox] = x[(n*h+oy+t/k)*w+ox+t%k]
				}
			}
		}
	}
	return out
}

// ConvPlanes gives the bits of Gemm on the explicit colsᵀ on the same
// path, for every row tail (Wo from 1 to 40), filter sizes 1 to 5 and both
// widths; x sits at an odd offset with NaN guards after it (a lane read
// past a row's end would turn an output into NaN), and y's guards after
// the outputs stay.
func TestConvPlanesIsGemmOnColsT(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	ran := false
	for _, p := range Available() {
		for _, cout := range []int{10, 20, 16} {
			for wo := 1; wo <= 40; wo++ {
				k := 1 + wo%5
				images, h, w := 1+wo%3, k+wo%4, wo+k-1
				ho := h - k + 1
				xs := make([]float32, 3+images*h*w+64)
				for i := range xs {
					xs[i] = math.Float32frombits(guardBits)
				}
				x := xs[3 : 3+images*h*w]
				for i := range x {
					x[i] = float32(r.NormFloat64())
				}
				wt := make([]float32, k*k*cout)
				for i := range wt {
					wt[i] = float32(r.NormFloat64())
				}
				pix := images * ho * wo
				y := make([]float32, pix*cout+16)
				for i := range y {
					y[i] = math.Float32frombits(guardBits)
				}
				ok := convPlanes(p, y, x, wt, images, h, w, k, cout)
				if ok != hasNarrowKernel(p, cout) {
					t.Fatalf("path %v, %d outputs: ConvPlanes ran %v", p, cout, ok)
				}
				if !ok {
					continue
				}
				ran = true
				want := make([]float32, pix*cout)
				g := gemmArgs{true, false, pix, cout, k * k, 1, 0, colsT(x, images, h, w, k), wt, want, pix, cout, cout}
				gemm(p, 1, &g)
				if i := firstDiff(want, y[:pix*cout]); i >= 0 {
					t.Fatalf("path %v, %d images %d×%d, K %d, %d outputs: y[%d] = %v, Gemm on colsᵀ %v", p, images, h, w, k, cout, i, y[i], want[i])
				}
				for i, v := range y[pix*cout:] {
					if math.Float32bits(v) != guardBits {
						t.Fatalf("path %v: wrote y past the outputs (%d)", p, i)
					}
				}
			}
		}
	}
	if !ran && hasNarrowKernel(Active(), 10) {
		t.Fatal("no path ran ConvPlanes")
	}
}
