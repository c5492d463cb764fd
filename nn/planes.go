package nn

import "github.com/zofo/zofo/kernels"

// A convolution without padding whose output is as narrow as a transposed
// micro-kernel (MyNetPlus's two) reads its patches straight from its input
// (kernels.ConvPlanes) instead of gathering them first: the gather and
// its packing were a quarter of a MyNetPlus ZO step. The kernel reads the
// input channel by channel, so a multi-channel input is transposed from
// NHWC once per fresh input; the patches are gathered only if a backward
// pass needs them.

// direct reports whether the forward pass uses kernels.ConvPlanes.
func (c *Conv2d) direct() bool {
	return c.Pad == 0 && c.K*c.K*c.Cin <= kernels.GemmBlockK && kernels.PlanesSupported(c.Cout)
}

// forwardPlanes is Y = patches·W through kernels.ConvPlanes, the examples
// split over the model's threads; if biased, plus the bias and the ReLU
// in the kernel's epilogue.
func (c *Conv2d) forwardPlanes(x []float32, rows int, fresh bool, y []float32, biased bool) {
	in, size, per := x, c.H*c.W*c.Cin, c.Ho*c.Wo*c.Cout
	if c.Cin > 1 {
		c.xT = grow(c.xT, rows*size)
		in = c.xT
	}
	w, bias, relu := c.model.params.View(c.w), []float32(nil), false
	if biased {
		bias, relu = c.model.params.View(c.b), c.ReLU
	}
	forRows(c.model.Parallelism(), rows, c.K*c.K*c.Cin*c.Ho*c.Wo, func(r0, r1 int) {
		if c.Cin > 1 && fresh {
			kernels.ChannelsFirst(in[r0*size:r1*size], x[r0*size:r1*size], r1-r0, c.H*c.W, c.Cin)
		}
		kernels.ConvPlanes(y[r0*per:r1*per], in[r0*size:r1*size], w, bias, r1-r0, c.Cin, c.H, c.W, c.K, c.Cout, relu)
	})
}
