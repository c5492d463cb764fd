package nn

import "github.com/zofo/zofo/kernels"

// A convolution's backward pass multiplies its patches by dY for the
// weight gradient. If the forward pass gathered them (cols kept), they are
// used whole. If it read its input in place (kernels.ConvPlanes), the
// weight gradient reads them there too where the path has a kernel
// (weightGradFromInput); else they are gathered a part at a time, each
// part just before the GEMMs that read it, so that it is still in L2:
// gathering all of them first (3.7 and 4 MB for MyNetPlus's two layers)
// wrote them to memory and read them back. dX is made a part at a time
// too (the patches' gradients, then added back). A part is whole examples
// whose pixels are a multiple of kernels.GemmBlockK, and dW accumulates
// over the parts with beta 1, so the bits are those of one GEMM over all
// the patches; the rows of the GEMMs for dX, and the examples it scatters
// to, do not depend on each other.

func (c *Conv2d) backward(dy []float32, rows int, needDX bool) []float32 {
	pix := rows * c.Ho * c.Wo
	if c.ReLU {
		kernels.ReLUBackward(dy, dy, c.y[:pix*c.Cout])
	}
	kernels.ColumnSums(c.model.params.GradView(c.b), dy, pix)
	if needDX {
		c.dx = grow(c.dx, rows*c.H*c.W*c.Cin)
		clear(c.dx)
	}
	fromInput := c.weightGradFromInput(dy, rows)
	part := c.partExamples(rows)
	if part == rows && !fromInput {
		c.buildCols(c.colsOf, rows)
	}
	for n0 := 0; n0 < rows; n0 += part {
		n1 := min(rows, n0+part)
		if !fromInput {
			if part < rows {
				c.gatherPart(c.colsOf, n0, n1)
			}
			c.weightGrad(dy, n0, n1)
		}
		if needDX {
			c.inputGrad(dy, n0, n1)
		}
	}
	return c.dxOrNil(needDX)
}

func (c *Conv2d) dxOrNil(needDX bool) []float32 {
	if !needDX {
		return nil
	}
	return c.dx
}

// weightGradFromInput sets dW from the patches read straight from the
// input, if the forward pass did not gather them and the path has the
// kernel: kernels.ConvTapsGrad for a single channel (MyNetPlus's first
// layer; gathering its taps a part at a time and packing them for the
// GEMM was a fifth of a MyNetPlus FO step), else, and on a path without
// it (AVX2), kernels.ConvPatchesGrad (its second; gathering was 8%).
func (c *Conv2d) weightGradFromInput(dy []float32, rows int) bool {
	if c.gatherForGrad || c.Pad != 0 || c.colsBuilt {
		return false
	}
	gw := c.model.params.GradView(c.w)
	switch {
	case c.singleChannel() && kernels.TapsGradSupported(c.K, c.Cout):
		kernels.ConvTapsGrad(gw, c.colsOf, dy, rows, c.H, c.W, c.K, c.Cout)
	case kernels.PlanesSupported(c.Cout):
		kernels.ConvPatchesGrad(gw, c.colsOf, dy, rows, c.Cin, c.H, c.W, c.K, c.Cout)
	default: // the kernels would gather all the patches at once: gather them in parts
		return false
	}
	return true
}

// partExamples is how many examples' patches backward gathers at a time:
// all of them if the forward pass kept them, or if the GEMMs are to be
// split over threads (parts are too small to split); else the fewest
// whose pixels are a multiple of kernels.GemmBlockK (4 for both of
// MyNetPlus's layers: 230 and 256 KB of patches).
func (c *Conv2d) partExamples(rows int) int {
	if c.colsBuilt || c.model.Parallelism() > 1 {
		return rows
	}
	per := c.Ho * c.Wo
	return min(rows, kernels.GemmBlockK/gcd(per, kernels.GemmBlockK))
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// weightGrad adds the share of examples [n0, n1) to dW (the first part
// sets it), c.cols holding their patches.
func (c *Conv2d) weightGrad(dy []float32, n0, n1 int) {
	t, kkc, pix := c.model.Threads, c.K*c.K*c.Cin, (n1-n0)*c.Ho*c.Wo
	dy, gw := dy[n0*c.Ho*c.Wo*c.Cout:], c.model.params.GradView(c.w)
	beta := float32(1)
	if n0 == 0 {
		beta = 0
	}
	if c.singleChannel() { // colsᵀ: dW = colsᵀ·dY
		kernels.GemmParallel(t, false, false, kkc, c.Cout, pix, 1, c.cols, ldT(pix), dy, c.Cout, beta, gw, c.Cout)
		return
	}
	kernels.GemmParallel(t, true, false, kkc, c.Cout, pix, 1, c.cols, kkc, dy, c.Cout, beta, gw, c.Cout)
}

// inputGrad writes dX of examples [n0, n1): the patches' gradients
// dcols = dY·Wᵀ (dcolsᵀ = W·dYᵀ for a single channel), added back to
// where each patch came from.
func (c *Conv2d) inputGrad(dy []float32, n0, n1 int) {
	t, kkc, pix := c.model.Threads, c.K*c.K*c.Cin, (n1-n0)*c.Ho*c.Wo
	dy, w, dx := dy[n0*c.Ho*c.Wo*c.Cout:], c.model.params.View(c.w), c.dx[n0*c.H*c.W*c.Cin:]
	if c.singleChannel() {
		ld := ldT(pix)
		c.dcols = grow(c.dcols, kkc*ld)
		kernels.GemmParallel(t, false, true, kkc, pix, c.Cout, 1, w, c.Cout, dy, c.Cout, 0, c.dcols, ld)
		c.rowsT(c.dcols, dx, n1-n0, true)
		return
	}
	c.dcols = grow(c.dcols, pix*kkc)
	kernels.GemmParallel(t, false, true, pix, kkc, c.Cout, 1, dy, c.Cout, w, c.Cout, 0, c.dcols, kkc)
	c.patches(c.dcols, dx, 0, n1-n0, true)
}
