package nn

import "github.com/zofo/zofo/kernels"

// Fused perturb-and-evaluate. A ZO step evaluates the loss at two points
// along one direction z: θ + a1·z and (θ + a1·z) + a2·z (central
// difference: a1 = ε, a2 = −2ε; forward: a1 = 0, the point θ itself, and
// a2 = ε). PairLosses runs both forwards layer by layer without writing θ:
// each K block of a weight matrix (GemmBlockK rows, contiguous in our
// [in, out] layout) is read once and perturbed into two cache-sized
// panels, and both sides' GEMMs consume them. θ is then updated in one
// pass (kernels.PerturbChain) instead of three.

// Pair describes the two points: the direction (over the whole parameter
// buffer, z_i for Data[i]) and the two coefficients.
type Pair struct {
	Dist   kernels.Dist
	Key    kernels.Key
	A1, A2 float32
}

// pairScratch is the two panels and two bias copies of the current layer.
type pairScratch struct {
	panelA, panelB []float32
	biasA, biasB   []float32
}

// panelCols is the widest layer PairLosses takes: its K-block panels
// (GemmBlockK whole rows of W, 128 KiB per side) stay in L2 and ZO memory
// stays within a few percent of inference's. Wider layers keep the
// in-place path: measured on MyNet s=8 (BenchmarkZOStep in optim), panels
// cut into column blocks cost more in small GEMMs and row copies than the
// three passes over θ they save.
const panelCols = 128

// PairLosses returns the training-mode losses at the two points of pr,
// the same bits as Loss after kernels.Perturb(A1) (skipped when A1 is 0)
// and Loss after a further Perturb(A2). ok is false, and nothing is
// computed, unless every layer is Linear (dropout and convolutions keep
// the in-place path) and at most panelCols wide.
func (m *Sequential) PairLosses(x []float32, y []int32, rows int, pr Pair) (la, lb float32, ok bool) {
	ls := m.Linears()
	for _, f := range ls {
		if f.Out > panelCols {
			return 0, 0, false
		}
	}
	if ls == nil {
		return 0, 0, false
	}
	xa, xb := x, x // the first layer sees one input on both sides
	for _, f := range ls {
		xa, xb = f.forwardPair(xa, xb, rows, pr, &m.pair)
	}
	c := m.Classes()
	return Loss(xa, y, rows, c), Loss(xb, y, rows, c), true
}

// forwardPair is forward on both sides: y_a = x_a·W_a + b_a and
// y_b = x_b·W_b + b_b, W_a and W_b made one K block (whole rows of W,
// contiguous in our [in, out] layout) at a time.
func (f *Linear) forwardPair(xa, xb []float32, rows int, pr Pair, s *pairScratch) (ya, yb []float32) {
	p, threads := f.model.params, f.model.Parallelism()
	f.y, f.yPair = grow(f.y, rows*f.Out), grow(f.yPair, rows*f.Out)
	w, wOff := p.View(f.w), p.Tensors[f.w].Off
	for k0 := 0; k0 < f.In; k0 += kernels.GemmBlockK {
		k1 := min(k0+kernels.GemmBlockK, f.In)
		wa, wb := s.perturbed(w[k0*f.Out:k1*f.Out], pr, uint64(wOff+k0*f.Out), &s.panelA, &s.panelB)
		beta := float32(1) // later K blocks accumulate, as inside one GEMM
		if k0 == 0 {
			beta = 0
		}
		kernels.GemmParallel(threads, false, false, rows, f.Out, k1-k0, 1, xa[k0:], f.In, wa, f.Out, beta, f.y, f.Out)
		kernels.GemmParallel(threads, false, false, rows, f.Out, k1-k0, 1, xb[k0:], f.In, wb, f.Out, beta, f.yPair, f.Out)
	}
	ba, bb := s.perturbed(p.View(f.b), pr, uint64(p.Tensors[f.b].Off), &s.biasA, &s.biasB)
	add := kernels.BiasAdd
	if f.ReLU {
		add = kernels.BiasAddReLU
	}
	add(f.y, rows, f.Out, ba)
	add(f.yPair, rows, f.Out, bb)
	return f.y, f.yPair
}

// perturbed returns src at both points: side a in *a (or src itself when
// A1 is 0), side b in *b, with the roundings of in-place Perturb calls.
func (s *pairScratch) perturbed(src []float32, pr Pair, base uint64, a, b *[]float32) (sa, sb []float32) {
	sa = src
	if pr.A1 != 0 {
		*a = grow(*a, len(src))
		sa = *a
		copy(sa, src)
		kernels.Perturb(pr.Dist, sa, pr.A1, pr.Key, base)
	}
	*b = grow(*b, len(src))
	sb = *b
	copy(sb, sa)
	kernels.Perturb(pr.Dist, sb, pr.A2, pr.Key, base)
	return sa, sb
}
