package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// colsT is the im2col of images of cin channels stored channel by
// channel, transposed: row (ky·K+kx)·cin+c, column (n, oy, ox).
func colsT(x []float32, images, cin, h, w, k int) []float32 {
	ho, wo := h-k+1, w-k+1
	pix := images * ho * wo
	out := make([]float32, k*k*cin*pix)
	for t := 0; t < k*k*cin; t++ {
		ky, kx, c := t/cin/k, t/cin%k, t%cin
		for n := 0; n < images; n++ {
			for oy := 0; oy < ho; oy++ {
				for ox := 0; ox < wo; ox++ {
					out[t*pix+(n*ho+oy)*wo+ox] = x[((n*cin+c)*h+oy+ky)*w+ox+kx]
				}
			}
		}
	}
	return out
}

// ConvPlanes gives the bits of Gemm on the explicit colsᵀ on the same
// path, then of BiasAddTo when given a bias, for every row tail (Wo from 1
// to 40; 8 with an even and an odd number of rows), filter sizes 1 to 5,
// one to ten channels and both widths, without a bias, with one, with a
// ReLU and with both, and with a NaN input (its outputs stay NaN through
// the ReLU, so a diverged run is seen); x and the bias sit at odd offsets with NaN guards
// after them (a lane read past an input would turn an output into NaN),
// and y's guards after the outputs stay.
func TestConvPlanesIsGemmOnColsT(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, cout := range []int{10, 20, 16} {
			for wo := 1; wo <= 40; wo++ {
				for _, cin := range []int{1, 3, 10} {
					k := 1 + (wo+cin)%5
					images, h, w := 1+wo%3, k+wo%4+cin%3, wo+k-1
					e := planesEpilogue{wo%2 == 1, wo%4 >= 2, false}
					if testConvPlanes(t, r, p, e, images, cin, h, w, k, cout); t.Failed() {
						return
					}
				}
			}
			// MyNetPlus's second layer (8 rows of 8), and an odd number of 8-wide rows.
			for _, e := range []planesEpilogue{{}, {true, false, false}, {true, true, false}, {false, true, false}, {true, true, true}} {
				testConvPlanes(t, r, p, e, 2, 10, 12, 12, 5, cout)
				testConvPlanes(t, r, p, e, 3, 2, 9, 12, 5, cout)
			}
		}
	})
}

// planesEpilogue is what ConvPlanes adds to the product (a bias, a ReLU),
// and whether an input is NaN.
type planesEpilogue struct{ bias, relu, nan bool }

func testConvPlanes(t *testing.T, r *rand.Rand, p Impl, e planesEpilogue, images, cin, h, w, k, cout int) {
	t.Helper()
	ho, wo, taps := h-k+1, w-k+1, k*k*cin
	x := guardedFloats(r, 3, images*cin*h*w, 64)[3:]
	if e.nan {
		x[len(x)/2] = float32(math.NaN())
	}
	wt := guardedFloats(r, 0, taps*cout, 0)
	var bias []float32
	if e.bias {
		bias = guardedFloats(r, 5, cout, 16)[5:]
	}
	pix := images * ho * wo
	y := make([]float32, pix*cout+16)
	for i := range y {
		y[i] = math.Float32frombits(kerneltest.GuardBits)
	}
	convPlanes(p, y, x, wt, bias, images, cin, h, w, k, cout, e.relu)
	want := make([]float32, pix*cout)
	g := gemmArgs{true, false, pix, cout, taps, 1, 0, colsT(x, images, cin, h, w, k), wt, want, pix, cout, cout}
	gemm(p, 1, &g)
	addBiasReLU(want, pix, bias, e.relu)
	if i := kerneltest.FirstDiff(want, y[:pix*cout]); i >= 0 {
		t.Errorf("path %v, %d images of %d×%d×%d, K %d, %d outputs, %+v: y[%d] = %v, Gemm on colsᵀ (then the epilogue) %v", p, images, cin, h, w, k, cout, e, i, y[i], want[i])
	}
	for i, v := range y[pix*cout:] {
		if math.Float32bits(v) != kerneltest.GuardBits {
			t.Errorf("path %v: wrote y past the outputs (%d)", p, i)
		}
	}
}

// ConvPlanes panics on a short operand, the bias included, before it
// writes anything.
func TestConvPlanesChecksLengths(t *testing.T) {
	if !PlanesSupported(10) {
		t.Skip("no ConvPlanes kernel on the active path")
	}
	const images, cin, h, w, k, cout = 2, 1, 6, 6, 3, 10 // 16 outputs an image
	for _, c := range []struct{ y, x, wt, bias int }{
		{320, 72, 90, 10}, {319, 72, 90, 10}, {320, 71, 90, 10}, {320, 72, 89, 10}, {320, 72, 90, 9},
	} {
		y := make([]float32, c.y)
		for i := range y {
			y[i] = math.Float32frombits(kerneltest.GuardBits)
		}
		err := func() (err any) {
			defer func() { err = recover() }()
			ConvPlanes(y, make([]float32, c.x), make([]float32, c.wt), make([]float32, c.bias), images, cin, h, w, k, cout, true)
			return nil
		}()
		if short := c != struct{ y, x, wt, bias int }{320, 72, 90, 10}; (err != nil) != short {
			t.Errorf("lengths %+v: panic %v", c, err)
		} else if short && slices.ContainsFunc(y, func(v float32) bool { return math.Float32bits(v) != kerneltest.GuardBits }) {
			t.Errorf("lengths %+v: y written before the panic", c)
		}
	}
}

// addBiasReLU is the generic BiasAddTo on rows of y in place: the sums
// and the ReLU (if relu) of the reference, the ReLU alone without a bias.
func addBiasReLU(y []float32, rows int, bias []float32, relu bool) {
	cols := len(y) / rows
	for r := range rows {
		row := y[r*cols : (r+1)*cols]
		if bias != nil {
			addGeneric(row, row, bias)
		}
		if relu {
			reluGeneric(row, row)
		}
	}
}

// BenchmarkConvPlanes times MyNetPlus's two convolutions on a batch of 64
// images (one thread), reported as multiply-adds per second.
func BenchmarkConvPlanes(b *testing.B) {
	for _, s := range []struct {
		name               string
		cin, h, w, k, cout int
	}{{"mynetplus1", 1, 28, 28, 5, 10}, {"mynetplus2", 10, 12, 12, 5, 20}} {
		b.Run("layer="+s.name, func(b *testing.B) {
			const images = 64
			ho, wo := s.h-s.k+1, s.w-s.k+1
			x := make([]float32, images*s.cin*s.h*s.w)
			wt := make([]float32, s.k*s.k*s.cin*s.cout)
			y := make([]float32, images*ho*wo*s.cout)
			if !PlanesSupported(s.cout) {
				b.Skip("no kernel on this path")
			}
			for b.Loop() {
				ConvPlanes(y, x, wt, nil, images, s.cin, s.h, s.w, s.k, s.cout, false)
			}
			macs := float64(images * ho * wo * s.cout * s.k * s.k * s.cin)
			b.ReportMetric(macs*float64(b.N)/b.Elapsed().Seconds(), "MAC/s")
		})
	}
}
