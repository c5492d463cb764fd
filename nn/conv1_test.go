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

// The colsᵀ path and the direct path (kernels.ConvPlanes: MyNetPlus's two
// layers) compute the same bits as the cols path: the GEMMs add the same
// products in the same order. 64 rows make colsᵀ's rows 4 KiB multiples
// apart, so they are padded (ldT).
func TestConvPathsSameBits(t *testing.T) {
	for _, s := range []struct{ cin, cout, hw int }{{1, 10, 28}, {1, 4, 28}, {10, 20, 12}} {
		var l layout
		m := finish("c", s.cin*s.hw*s.hw, &l, []layer{newConv2d(&l, "conv", s.cin, s.cout, 5, 0, s.hw, s.hw, true, InitPyTorch)}, 1)
		c := m.layers[0].(*Conv2d)
		r := rand.New(rand.NewPCG(1, 1))
		for _, rows := range []int{3, 64} {
			x := make([]float32, rows*s.cin*s.hw*s.hw)
			for i := range x {
				x[i] = float32(r.NormFloat64())
			}
			got := append([]float32(nil), c.forward(x, rows, true)...)
			pix, kkc := rows*c.Ho*c.Wo, c.K*c.K*c.Cin
			cols := make([]float32, pix*kkc)
			c.patches(cols, x, 0, rows, false)
			y := make([]float32, pix*c.Cout)
			p := m.params
			kernels.Gemm(false, false, pix, c.Cout, kkc, 1, cols, kkc, p.View(c.w), c.Cout, 0, y, c.Cout)
			kernels.BiasAddTo(y, y, pix, c.Cout, p.View(c.b), true)
			for i := range y {
				if math.Float32bits(y[i]) != math.Float32bits(got[i]) {
					t.Fatalf("%+v, %d rows, output %d: cols path %v, layer %v", s, rows, i, y[i], got[i])
				}
			}
		}
	}
}

// A conv layer gathers its patches again whenever its input's bits change,
// even in place, and only then: every output equals a fresh layer's.
func TestConvPatchesFollowTheInput(t *testing.T) {
	for _, cin := range []int{1, 3} {
		build := func() (*Sequential, *Conv2d) {
			var l layout
			m := finish("c", 100*cin, &l, []layer{newConv2d(&l, "conv", cin, 4, 3, 1, 10, 10, true, InitPyTorch)}, 1)
			return m, m.layers[0].(*Conv2d)
		}
		_, c := build()
		r := rand.New(rand.NewPCG(2, 2))
		x := make([]float32, 3*100*cin)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		for step, change := range []func(){
			func() {},                 // the same input again: patches kept
			func() { x[17] = -x[17] }, // one value, in place
			func() { x[5] = 0 },
			func() { x[5] = float32(math.Copysign(0, -1)) }, // only a zero's sign
			func() {},
		} {
			change()
			for _, rows := range []int{3, 3, 2} { // the second 3: patches kept, one GEMM over them
				got := append([]float32(nil), c.forward(x, rows, true)...)
				_, fresh := build()
				want := fresh.forward(x, rows, true)
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("cin %d, step %d, rows %d: output %d = %v, a fresh layer %v", cin, step, rows, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// Layers whose forward reads the input in place (ConvPlanes) gather their
// patches for the weight gradient from the input of the last forward:
// after the same input twice, a changed one, and one changed in place,
// the gradients equal a fresh model's. The first layer is single-channel,
// the second has 10 channels.
func TestDirectConvGradientFollowsTheInput(t *testing.T) {
	build := func() *Sequential {
		var l layout
		return finish("c", 784, &l, []layer{
			newConv2d(&l, "conv1", 1, 10, 5, 0, 28, 28, false, InitXavier),
			newConv2d(&l, "conv2", 10, 20, 5, 0, 24, 24, true, InitXavier),
			newLinearNHWC(&l, "fc", 20, 20, 20, 10, false, InitPyTorch),
		}, 3)
	}
	m := build()
	r := rand.New(rand.NewPCG(3, 3))
	const rows = 2
	x, y := make([]float32, rows*784), []int32{3, 7}
	other := make([]float32, rows*784)
	for i := range x {
		x[i], other[i] = float32(r.NormFloat64()), float32(r.NormFloat64())
	}
	for step, input := range []func() []float32{
		func() []float32 { return x },
		func() []float32 { m.Loss(other, y, rows); return x }, // forward on another batch, then back
		func() []float32 { x[100] = -x[100]; return x },       // in place
		func() []float32 { return other },
	} {
		in := input()
		m.Loss(in, y, rows)
		m.Gradient(in, y, rows)
		fresh := build()
		fresh.Gradient(in, y, rows)
		got, want := m.params.Grad, fresh.params.Grad
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("step %d: gradient %d = %v, a fresh model's %v", step, i, got[i], want[i])
			}
		}
	}
}

// A backward pass on one thread after a direct forward reads both
// layers' patches straight from their inputs for dW (kernels.ConvTapsGrad
// and ConvPatchesGrad, where the path has them; else it gathers them 4
// examples at a time) and makes dX 4 examples at a time; dW, and dX
// through the layer before each (the pre layer's and conv1's weight
// gradients), have the bits of the whole-patches path that two threads
// take without those kernels. 7 and 9 rows end on a short part, 64 pad
// colsᵀ (ldT).
func TestConvBackwardInPartsSameBits(t *testing.T) {
	build := func(threads int) *Sequential {
		var l layout
		m := finish("parts", 784, &l, []layer{
			newLinear(&l, "pre", 784, 784, true, InitPyTorch),
			newConv2d(&l, "conv1", 1, 10, 5, 0, 28, 28, false, InitXavier),
			&MaxPool2{C: 10, H: 24, W: 24},
			newConv2d(&l, "conv2", 10, 20, 5, 0, 12, 12, true, InitXavier),
			newLinearNHWC(&l, "fc", 20, 8, 8, 10, false, InitPyTorch),
		}, 5)
		m.Threads = threads
		return m
	}
	if !build(1).layers[1].(*Conv2d).direct() {
		t.Skip("no direct convolution on this path: backward gathers whole patches")
	}
	r := rand.New(rand.NewPCG(4, 4))
	for _, rows := range []int{7, 9, 64} {
		x, y := make([]float32, rows*784), make([]int32, rows)
		for i := range x {
			x[i] = float32(r.NormFloat64())
		}
		for i := range y {
			y[i] = int32(r.IntN(10))
		}
		parts, whole := build(1), build(2)
		if got := parts.layers[3].(*Conv2d).partExamples(rows); got != min(rows, 4) {
			t.Fatalf("conv2 gathers %d examples at a time, want %d", got, min(rows, 4))
		}
		parts.Gradient(x, y, rows)
		for _, l := range whole.layers {
			if c, ok := l.(*Conv2d); ok {
				c.gatherForGrad = true
			}
		}
		whole.Gradient(x, y, rows)
		for i, want := range whole.params.Grad {
			if got := parts.params.Grad[i]; math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("%d rows: gradient %d = %v in parts, %v whole", rows, i, got, want)
			}
		}
	}
}
