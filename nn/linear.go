package nn

import "github.com/zofo/zofo/kernels"

// Linear is y = x·W + b (optionally followed by ReLU, fused), with W stored
// [in, out] so the forward pass is a GEMM read in place; it is exported in
// PyTorch's [out, in] layout.
type Linear struct {
	In, Out int
	ReLU    bool
	w, b    int // tensor indices
	model   *Sequential
	index   int       // the layer's place in the model: its outputs in a workspace
	x       []float32 // the input of the last training forward, for backward
	dx      []float32
}

func newLinear(l *layout, name string, in, out int, relu bool, init InitRule) *Linear {
	return newLinearPerm(l, name, in, out, relu, init, func(i int) int { return i })
}

// newLinearNHWC is the first linear layer after a conv stack: our input is
// flattened (h, w, c), PyTorch's (c, h, w), so export permutes the inputs.
func newLinearNHWC(l *layout, name string, c, h, w, out int, relu bool, init InitRule) *Linear {
	return newLinearPerm(l, name, c*h*w, out, relu, init, func(i int) int {
		ch, y, x := i/(h*w), i/w%h, i%w // i is PyTorch's (c·H + y)·W + x
		return (y*w+x)*c + ch
	})
}

// newLinearPerm maps PyTorch input index i to ours with ourIn.
func newLinearPerm(l *layout, name string, in, out int, relu bool, init InitRule, ourIn func(int) int) *Linear {
	torch := func(j int) int { return ourIn(j%in)*out + j/in } // torch[o*in+i] = ours[ourIn(i)*out+o]
	bInit := init
	if init == InitXavier {
		bInit = InitZero // the study zeroed MyNetPlus's biases
	}
	return &Linear{In: in, Out: out, ReLU: relu,
		w: l.add(Tensor{Name: name + ".weight", Shape: []int{out, in}, FanIn: in, FanOut: out, Init: init, torch: torch}),
		b: l.add(Tensor{Name: name + ".bias", Shape: []int{out}, FanIn: in, FanOut: out, Init: bInit}),
	}
}

func (f *Linear) outSize() int { return f.Out }

// forward is the layer on the calling goroutine's workspace: x·W on the
// model's threads, then the bias and ReLU.
func (f *Linear) forward(x []float32, rows int, _ bool) []float32 {
	ws := f.model.space(0)
	ws.prod[f.index].ok = false
	y, _ := ws.outputs(f.index, rows, f.Out, false)
	f.multiply(x, rows, y)
	f.addBias(y, rows, f.model.params.View(f.b))
	return y
}

// multiply writes x·W into dst on the model's threads, and keeps x for
// backward.
func (f *Linear) multiply(x []float32, rows int, dst []float32) {
	f.x = x
	f.gemm(f.model.Threads, x, rows, f.model.params.View(f.w), dst)
}

// gemm writes x·w into dst (w an In × Out matrix: W, or W perturbed) on up
// to threads goroutines: every path's product, whatever the thread count,
// with the same bits.
func (f *Linear) gemm(threads int, x []float32, rows int, w, dst []float32) {
	kernels.GemmParallel(threads, false, false, rows, f.Out, f.In, 1, x, f.In, w, f.Out, 0, dst, f.Out)
}

// backward writes dW = xᵀ·dy and db = Σ dy (overwriting) and returns dx.
// dy is overwritten by the ReLU mask.
func (f *Linear) backward(dy []float32, rows int, needDX bool) []float32 {
	p := f.model.params
	if f.ReLU { // the output of the last training forward, in workspace 0
		kernels.ReLUBackward(dy, dy, f.model.space(0).out[f.index][:rows*f.Out])
	}
	kernels.GemmParallel(f.model.Threads, true, false, f.In, f.Out, rows, 1, f.x, f.In, dy, f.Out, 0, p.GradView(f.w), f.Out)
	kernels.ColumnSums(p.GradView(f.b), dy, rows)
	if !needDX {
		return nil
	}
	f.dx = grow(f.dx, rows*f.In)
	kernels.GemmParallel(f.model.Threads, false, true, rows, f.In, f.Out, 1, dy, f.Out, p.View(f.w), f.Out, 0, f.dx, f.In)
	return f.dx
}

// grow returns buf resized to n, reallocating only when it is too small.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// linears returns the layers of a model made only of Linear layers (an
// MLP such as MyNet), or nil: the coordinate-wise estimator's feature
// reuse works on those.
func (m *Sequential) linears() []*Linear {
	out := make([]*Linear, 0, len(m.layers))
	for _, l := range m.layers {
		f, ok := l.(*Linear)
		if !ok {
			return nil
		}
		out = append(out, f)
	}
	return out
}
