package nn

import (
	"bytes"

	"github.com/zofo/zofo/kernels"
)

// Conv2d is a stride-1 convolution on NHWC activations (rows × H × W × Cin),
// as im2col then one GEMM: cols (rows·Ho·Wo × K·K·Cin) · W (K·K·Cin × Cout).
// W is exported as PyTorch's [Cout, Cin, K, K].
type Conv2d struct {
	Cin, Cout, K, Pad int
	H, W, Ho, Wo      int
	ReLU              bool
	w, b              int
	model             *Sequential
	cols, y, dcols    []float32
	colsOf            []float32 // the input cols was built from
	colsRows          int
	colsBuilt         bool      // cols holds the patches of colsOf (colsᵀ for a single channel)
	xT                []float32 // colsOf channel by channel, for ConvPlanes
	dx                []float32
	prod              product
	gatherForGrad     bool // gather the patches for dW even where a kernel reads them in place (tests compare the two)
}

func newConv2d(l *layout, name string, cin, cout, k, pad, h, w int, relu bool, init InitRule) *Conv2d {
	c := &Conv2d{Cin: cin, Cout: cout, K: k, Pad: pad, H: h, W: w, Ho: h + 2*pad - k + 1, Wo: w + 2*pad - k + 1, ReLU: relu}
	kkc := k * k * cin
	torch := func(j int) int { // torch (o, c, ky, kx) → ours ((ky·K+kx)·Cin+c, o)
		o, ch, kk := j/(cin*k*k), j/(k*k)%cin, j%(k*k)
		return (kk*cin+ch)*cout + o
	}
	bInit := init
	if init == InitXavier {
		bInit = InitZero
	}
	c.w = l.add(Tensor{Name: name + ".weight", Shape: []int{cout, cin, k, k}, FanIn: kkc, FanOut: cout * k * k, Init: init, torch: torch})
	c.b = l.add(Tensor{Name: name + ".bias", Shape: []int{cout}, FanIn: kkc, FanOut: cout * k * k, Init: bInit})
	return c
}

func (c *Conv2d) bind(m *Sequential, _ int) { c.model = m }

func (c *Conv2d) outSize() int { return c.Ho * c.Wo * c.Cout }

func (c *Conv2d) forward(x []float32, rows int, _ bool) []float32 {
	c.prod.ok = false
	c.y = grow(c.y, rows*c.outSize())
	if !c.convolve(x, rows, c.y, true) {
		c.addBias(c.y, c.y, rows)
	}
	return c.y
}

// multiply writes the convolution of x without its bias into dst.
func (c *Conv2d) multiply(x []float32, rows int, dst []float32) { c.convolve(x, rows, dst, false) }

// convolve writes the convolution of x into dst, and reports whether it
// also added the bias (and the ReLU): it does if asked to and the layer
// runs on kernels.ConvPlanes, whose epilogue adds them.
func (c *Conv2d) convolve(x []float32, rows int, dst []float32, biased bool) bool {
	kkc, pix := c.K*c.K*c.Cin, rows*c.Ho*c.Wo
	fresh := c.newInput(x, rows)
	if fresh {
		c.colsBuilt = false
	}
	switch {
	case c.direct():
		c.forwardPlanes(x, rows, fresh, dst, biased)
		return biased
	case c.singleChannel():
		c.forwardT(x, rows, dst)
	case fresh:
		c.cols = grow(c.cols, pix*kkc)
		c.gatherAndMultiply(x, rows, dst)
		c.colsBuilt = true
	default:
		kernels.GemmParallel(c.model.Threads, false, false, pix, c.Cout, kkc, 1, c.cols, kkc, c.model.params.View(c.w), c.Cout, 0, dst, c.Cout)
	}
	return false
}

// addBias sets dst = prod + b (then ReLU, if the layer has it); dst may be
// prod.
func (c *Conv2d) addBias(dst, prod []float32, rows int) {
	kernels.BiasAddTo(dst, prod, rows*c.Ho*c.Wo, c.Cout, c.model.params.View(c.b), c.ReLU)
}

// newInput reports whether x differs from the input c.cols was built from,
// and remembers it. A ZO step evaluates several points on one batch: the
// first layer sees the same input every time, and a later layer does
// whenever the layers before it were kept (Sequential.lossFrom), so its
// patches need not be gathered again. The comparison is bit for bit.
func (c *Conv2d) newInput(x []float32, rows int) bool {
	x = x[:rows*c.H*c.W*c.Cin]
	if c.colsRows == rows && bytes.Equal(floatBytes(c.colsOf), floatBytes(x)) {
		return false
	}
	c.colsOf, c.colsRows = append(c.colsOf[:0], x...), rows
	return true
}

// buildCols makes c.cols the patches of x, colsᵀ for a single channel,
// unless it already holds them.
func (c *Conv2d) buildCols(x []float32, rows int) {
	if !c.colsBuilt {
		c.gatherPart(x, 0, rows)
		c.colsBuilt = true
	}
}

// gatherPart makes c.cols the patches of examples [n0, n1) of x alone:
// cols, or colsᵀ (row stride ldT of their pixels) for a single channel.
func (c *Conv2d) gatherPart(x []float32, n0, n1 int) {
	x, rows := x[n0*c.H*c.W*c.Cin:], n1-n0
	if c.singleChannel() {
		c.cols = grow(c.cols, ldT(rows*c.Ho*c.Wo)*c.K*c.K)
		c.rowsT(c.cols, x, rows, false)
		return
	}
	c.cols = grow(c.cols, rows*c.Ho*c.Wo*c.K*c.K*c.Cin)
	c.patches(c.cols, x, 0, rows, false)
}

// gatherBlock is the output pixels whose patches are gathered and then
// multiplied at once: 256 rows of cols are 250–290 KiB for the study's
// convolutions, so the GEMM reads them from L2. Gathering all of cols
// first (15 MB for ConvNet's second layer) made the GEMM read it back
// from memory.
const gatherBlock = 256

// gatherAndMultiply fills cols (kept for the backward pass and for later
// forwards on the same input) and Y = cols·W a block of examples at a
// time; rows of a GEMM do not depend on each other, so the bits are those
// of one GEMM over all of cols.
func (c *Conv2d) gatherAndMultiply(x []float32, rows int, y []float32) {
	w, kkc, per := c.model.params.View(c.w), c.K*c.K*c.Cin, c.Ho*c.Wo
	step := max(1, gatherBlock/per)
	for n0 := 0; n0 < rows; n0 += step {
		n1 := min(rows, n0+step)
		c.patches(c.cols, x, n0, n1, false)
		kernels.GemmParallel(c.model.Threads, false, false, (n1-n0)*per, c.Cout, kkc, 1, c.cols[n0*per*kkc:], kkc,
			w, c.Cout, 0, y[n0*per*c.Cout:], c.Cout)
	}
}

// patches moves the patches of examples [n0, n1) between cols and x (see
// patch), the examples split over the model's threads.
func (c *Conv2d) patches(cols, x []float32, n0, n1 int, add bool) {
	kkc := c.K * c.K * c.Cin
	forRows(c.model.Parallelism(), n1-n0, c.Ho*c.Wo*kkc, func(r0, r1 int) {
		for n := n0 + r0; n < n0+r1; n++ {
			for oy := 0; oy < c.Ho; oy++ {
				for ox := 0; ox < c.Wo; ox++ {
					c.patch(cols[((n*c.Ho+oy)*c.Wo+ox)*kkc:][:kkc], x, n, oy, ox, add)
				}
			}
		}
	})
}

// patch copies the patch of output pixel (oy, ox) of example n between row
// and x: into row (im2col), or added back into x (col2im, add set). In
// NHWC a patch row of K pixels is K·Cin contiguous floats, clipped only at
// the image's left and right edges.
func (c *Conv2d) patch(row, x []float32, n, oy, ox int, add bool) {
	if add {
		c.addPatch(row, x, n, oy, ox)
		return
	}
	kc := c.K * c.Cin
	kx0, kx1 := max(0, c.Pad-ox), min(c.K, c.W+c.Pad-ox) // the kx inside the image
	for ky := 0; ky < c.K; ky++ {
		dst := row[ky*kc : (ky+1)*kc]
		iy := oy + ky - c.Pad
		if iy < 0 || iy >= c.H || kx0 >= kx1 {
			clear(dst)
			continue
		}
		src := x[((n*c.H+iy)*c.W+ox+kx0-c.Pad)*c.Cin:][:(kx1-kx0)*c.Cin]
		in := dst[kx0*c.Cin : kx1*c.Cin]
		clear(dst[:kx0*c.Cin])
		copy(in, src)
		clear(dst[kx1*c.Cin:])
	}
}

// addPatch adds row, the patch gradient of output pixel (oy, ox) of
// example n, into x: its rows inside the image, clipped as in patch, in
// one kernels.AddRows call. Each float of x gets one add per pixel, in
// the pixels' order, as a call per row gave.
func (c *Conv2d) addPatch(row, x []float32, n, oy, ox int) {
	kc := c.K * c.Cin
	kx0, kx1 := max(0, c.Pad-ox), min(c.K, c.W+c.Pad-ox)
	ky0, ky1 := max(0, c.Pad-oy), min(c.K, c.H+c.Pad-oy)
	if ky0 >= ky1 || kx0 >= kx1 {
		return
	}
	at := ((n*c.H+oy+ky0-c.Pad)*c.W + ox + kx0 - c.Pad) * c.Cin
	kernels.AddRows(x[at:], c.W*c.Cin, row[ky0*kc+kx0*c.Cin:], kc, ky1-ky0, (kx1-kx0)*c.Cin)
}
