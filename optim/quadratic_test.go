package optim

import (
	"math"
	"testing"

	"github.com/zofo/zofo/nn"
)

// quadratic is L(θ) = ½ Σ aᵢ(θᵢ − cᵢ)², computed in float64, with the
// known gradient aᵢ(θᵢ − cᵢ). Its two tensors make per-tensor estimation
// meaningful.
type quadratic struct {
	p    *nn.Params
	a, c []float64
}

func newQuadratic(d int) *quadratic {
	q := &quadratic{p: &nn.Params{Data: make([]float32, d+16), Grad: make([]float32, d+16)}}
	half := (d/2 + 15) &^ 15
	q.p.Tensors = []nn.Tensor{{Name: "u", Shape: []int{d / 2}, Len: d / 2}, {Name: "v", Shape: []int{d - d/2}, Off: half, Len: d - d/2}}
	q.p.Data, q.p.Grad = q.p.Data[:half+d-d/2], q.p.Grad[:half+d-d/2]
	q.a, q.c = make([]float64, len(q.p.Data)), make([]float64, len(q.p.Data))
	for _, t := range q.p.Tensors {
		for j := t.Off; j < t.Off+t.Len; j++ {
			q.a[j] = 1 + float64(j%5)
			q.c[j] = math.Sin(float64(j))
			q.p.Data[j] = float32(math.Cos(float64(3 * j)))
		}
	}
	return q
}

func (q *quadratic) Params() *nn.Params { return q.p }

func (q *quadratic) Loss([]float32, []int32, int) float32 {
	var s float64
	for j, a := range q.a {
		d := float64(q.p.Data[j]) - q.c[j]
		s += a * d * d / 2
	}
	return float32(s)
}

func (q *quadratic) Gradient(x []float32, y []int32, rows int) float32 {
	for j, a := range q.a {
		q.p.Grad[j] = float32(a * (float64(q.p.Data[j]) - q.c[j]))
	}
	return q.Loss(x, y, rows)
}

func (q *quadratic) grad() []float64 {
	g := make([]float64, len(q.a))
	for j, a := range q.a {
		g[j] = a * (float64(q.p.Data[j]) - q.c[j])
	}
	return g
}

// The mean of n estimates is within 5 standard errors of the gradient in
// every coordinate, the standard error derived from the estimator's
// variance: ‖∇‖² − ∇ᵢ² for Rademacher, at most ‖∇‖² + 2∇ᵢ² for Gaussian
// and sphere directions (central differences are exact on a quadratic).
func TestEstimatorUnbiasedOnQuadratic(t *testing.T) {
	const n = 4000
	for _, c := range []struct {
		name string
		e    Estimator
	}{
		{"rademacher central", Estimator{Dist: Rademacher, Central: true, Q: 1, Eps: 1e-3, Seed: 1}},
		{"gaussian central", Estimator{Dist: Gaussian, Central: true, Q: 1, Eps: 1e-3, Seed: 2}},
		{"sphere central", Estimator{Dist: Sphere, Central: true, Q: 1, Eps: 1e-3, Seed: 3}},
		{"rademacher forward", Estimator{Dist: Rademacher, Q: 1, Eps: 1e-4, Seed: 4}},
		{"gaussian per-tensor q=4", Estimator{Dist: Gaussian, Central: true, Q: 4, PerTensor: true, Eps: 1e-3, Seed: 5}},
	} {
		q := newQuadratic(20)
		g := q.grad()
		var norm2 float64
		for _, v := range g {
			norm2 += v * v
		}
		mean := make([]float64, len(g))
		buf := make([]float32, len(g))
		scratch := make([]float32, 64)
		for s := 0; s < n; s++ {
			est := c.e.estimate(q, Batch{}, uint64(s), scratch)
			est.restore(q.p.Data)
			est.dense(buf)
			for j, v := range buf {
				mean[j] += float64(v) / n
			}
		}
		for _, tn := range q.p.Tensors {
			for j := tn.Off; j < tn.Off+tn.Len; j++ {
				variance := norm2 + 2*g[j]*g[j]
				if c.e.PerTensor { // only the tensor's own coordinates mix
					variance = 0
					for k := tn.Off; k < tn.Off+tn.Len; k++ {
						variance += g[k] * g[k]
					}
					variance = (variance + 2*g[j]*g[j]) / float64(c.e.Q)
				}
				if se := math.Sqrt(variance / n); math.Abs(mean[j]-g[j]) > 5*se {
					t.Errorf("%s: coordinate %d: mean %g, gradient %g, 5σ = %g", c.name, j, mean[j], g[j], 5*se)
				}
			}
		}
	}
}

// Estimation leaves θ where it was once the pending restore is applied, up
// to the three roundings of θ+ε−2ε+ε: 3·2⁻²⁴·(|θ|+2ε) per coordinate.
func TestEstimateRestores(t *testing.T) {
	q := newQuadratic(40)
	before := append([]float32(nil), q.p.Data...)
	e := Estimator{Dist: Rademacher, Central: true, Q: 3, PerTensor: true, Eps: 0.25, Seed: 1}
	est := e.estimate(q, Batch{}, 0, make([]float32, 64))
	est.restore(q.p.Data)
	for j, v := range q.p.Data {
		tol := 3 * 0x1p-24 * (math.Abs(float64(before[j])) + 2*0.25)
		if math.Abs(float64(v-before[j])) > tol {
			t.Fatalf("θ[%d] = %v after restore, was %v", j, v, before[j])
		}
	}
	if est.forwards != 2*3*2 {
		t.Errorf("forwards = %d, want 12 (2 per direction, 3 queries × 2 tensors)", est.forwards)
	}
}

// Every rule lowers the quadratic over a few hundred steps, and the same
// seed repeats the same trajectory.
func TestZORulesDescend(t *testing.T) {
	for r := ZOSGD; r <= ZOSGDCons; r++ {
		run := func() (first, last float32, theta []float32) {
			q := newQuadratic(20)
			o := &ZO{Est: Estimator{Dist: Gaussian, Central: true, Q: 2, Eps: 1e-3, Seed: 9}, Rule: r, Momentum: 0.5}
			first = q.Loss(nil, nil, 0)
			for s := 0; s < 300; s++ {
				o.Step(q, Batch{}, 0.01)
			}
			return first, q.Loss(nil, nil, 0), q.p.Data
		}
		first, last, a := run()
		_, _, b := run()
		if !(last < first/2) {
			t.Errorf("%v: loss %g → %g", r, first, last)
		}
		for j := range a {
			if a[j] != b[j] {
				t.Fatalf("%v: not reproducible at θ[%d]", r, j)
			}
		}
	}
}

// ZO-SGD's fused rank-one update equals θ − lr·ĝ applied from the dense
// estimate, up to rounding.
func TestZOSGDFusedUpdate(t *testing.T) {
	q, ref := newQuadratic(30), newQuadratic(30)
	e := Estimator{Dist: Gaussian, Central: true, Q: 3, Eps: 1e-3, Seed: 4}
	(&ZO{Est: e, Rule: ZOSGD}).Step(q, Batch{}, 0.1)
	est := e.estimate(ref, Batch{}, 0, make([]float32, 64))
	est.restore(ref.p.Data)
	g := make([]float32, len(ref.p.Data))
	est.dense(g)
	for j := range g {
		want := ref.p.Data[j] - 0.1*g[j]
		if math.Abs(float64(q.p.Data[j]-want)) > 1e-6 {
			t.Fatalf("θ[%d] = %v, want %v", j, q.p.Data[j], want)
		}
	}
}

func TestEstimatorValidate(t *testing.T) {
	for _, e := range []Estimator{{Q: 0, Eps: 1}, {Q: 1, Eps: 0}, {Q: 1, Eps: float32(math.Inf(1))}, {Q: 1, Eps: 1, Dist: 7}} {
		if e.Validate() == nil {
			t.Errorf("%+v accepted", e)
		}
	}
}
