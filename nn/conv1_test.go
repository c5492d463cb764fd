package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/kernels"
)

// A single-channel conv in second place needs its dX: checked against
// finite differences like every layer.
func TestSingleChannelConvGradients(t *testing.T) {
	var l layout
	m := finish("conv1-second", 784, &l, []layer{
		newLinear(&l, "pre", 784, 784, true, InitPyTorch),
		newConv2d(&l, "conv", 1, 3, 3, 1, 28, 28, true, InitPyTorch),
		newLinearNHWC(&l, "fc", 3, 28, 28, 10, false, InitPyTorch),
	}, 4)
	checkGradients(t, m, 2, 8)
}

// The colsᵀ path computes the same bits as the cols path: the GEMMs add
// the same products in the same order.
func TestSingleChannelConvSameBits(t *testing.T) {
	var l layout
	m := finish("c", 784, &l, []layer{newConv2d(&l, "conv", 1, 10, 5, 0, 28, 28, true, InitPyTorch)}, 1)
	c := m.layers[0].(*Conv2d)
	r := rand.New(rand.NewPCG(1, 1))
	x := make([]float32, 3*784)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	viaT := append([]float32(nil), c.forward(x, 3, true)...)
	pix, kkc := 3*c.Ho*c.Wo, c.K*c.K
	c.cols = grow(c.cols, pix*kkc)
	c.im2col(x, 3)
	y := make([]float32, pix*c.Cout)
	gemmNN(m, c, pix, kkc, y)
	for i := range y {
		if math.Float32bits(y[i]) != math.Float32bits(viaT[i]) {
			t.Fatalf("output %d: cols path %v, colsᵀ path %v", i, y[i], viaT[i])
		}
	}
}

// gemmNN is the cols-path forward of c (bias and ReLU included) into y.
func gemmNN(m *Sequential, c *Conv2d, pix, kkc int, y []float32) {
	p := m.params
	kernels.Gemm(false, false, pix, c.Cout, kkc, 1, c.cols, kkc, p.View(c.w), c.Cout, 0, y, c.Cout)
	kernels.BiasAddReLU(y, pix, c.Cout, p.View(c.b))
}
