package nn

import (
	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/kernels/rng"
)

// Forward-mode differentiation of an MLP. Each layer carries its output y
// and the output's derivative along a direction z of θ, ẏ, in one pass:
// for y = act(x·W + b), ẏ = act′ ⊙ (ẋ·W + x·Ẇ + ḃ), where Ẇ and ḃ are z's
// values on W and b (zero where z does not reach). The loss's derivative
// is then Σ ∂L/∂logits ⊙ logits˙. No backward pass runs and no gradient is
// stored: what a forward gradient needs, and nothing a ZO step lacks but
// the tangents.

// tangentScratch is Slope's buffers: each layer's tangent, z's values on
// the layer's weights and bias, and the loss's gradient at the logits.
type tangentScratch struct {
	tangent [][]float32
	zw, zb  []float32
	dlogits []float32
}

// Slope is the training loss on the batch (rows examples of x, labels y)
// and its derivative along d, ∇L·(Scale·z), from one forward pass that
// carries tangents. The model must be an MLP and d must satisfy canMove
// (whole-model and per-tensor directions do); otherwise ok is false and
// nothing runs. The bits do not depend on the thread count.
func (m *Sequential) Slope(x []float32, y []int32, rows int, d rng.Direction) (loss, slope float32, ok bool) {
	if !m.canMove(d) {
		return 0, 0, false
	}
	fs, s := m.linears(), &m.tangents
	if len(s.tangent) != len(fs) {
		s.tangent = make([][]float32, len(fs))
	}
	in, tin := x, []float32(nil) // the input does not move
	for i, f := range fs {
		out := f.forward(in, rows, true)
		s.tangent[i] = grow(s.tangent[i], rows*f.Out)
		f.tangent(in, tin, out, rows, d, s, s.tangent[i])
		in, tin = out, s.tangent[i]
	}
	c := m.Classes()
	s.dlogits = grow(s.dlogits, rows*c)
	loss = kernels.SoftmaxCrossEntropy(in, rows, c, c, y, s.dlogits)
	return loss, kernels.Dot(s.dlogits, tin), true
}

// tangent writes the derivative of the layer's output along d into dst:
// ẋ·W (unless the input does not move), plus x·Ẇ and ḃ where d reaches
// the layer, then through the ReLU (zero where its output y is 0).
func (f *Linear) tangent(x, tx, y []float32, rows int, d rng.Direction, s *tangentScratch, dst []float32) {
	p := f.model.params
	if tx != nil {
		f.gemm(f.model.Threads, tx, rows, p.View(f.w), dst)
	} else {
		clear(dst) // the input does not move
	}
	if ok, base := moved(p, f.w, d); ok {
		s.zw = f.directionOn(s.zw, d, f.In*f.Out, base)
		kernels.GemmParallel(f.model.Threads, false, false, rows, f.Out, f.In, 1, x, f.In, s.zw, f.Out, 1, dst, f.Out)
	}
	if ok, base := moved(p, f.b, d); ok {
		s.zb = f.directionOn(s.zb, d, f.Out, base)
		kernels.BiasAdd(dst, rows, f.Out, s.zb)
	}
	if f.ReLU {
		kernels.ReLUBackward(dst, dst, y[:rows*f.Out])
	}
}

// directionOn is n values of d from counter base, times its Scale, in buf.
func (f *Linear) directionOn(buf []float32, d rng.Direction, n int, base uint64) []float32 {
	buf = grow(buf, n)
	rng.Fill(d.Dist, buf, d.Key, base)
	if d.Scale != 1 {
		kernels.Scale(d.Scale, buf)
	}
	return buf
}
