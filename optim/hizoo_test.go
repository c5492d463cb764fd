package optim

import (
	"math"
	"slices"
	"testing"

	"github.com/zofo/zofo/kernels/rng"
)

// Without smoothing (α = 0) h stays 1 and HiZOO is central-difference
// ZO-SGD along the same Gaussian direction, to rounding: its θ − εz is made
// from θ, ZO-SGD's from θ + εz, and the float32 losses (about 60, an ulp
// of 4e-6) then differ by an ulp or two, which moves the slope by about
// 2e-4 and θ by lr·2e-4·|z|.
func TestHiZOOWithoutCurvatureIsZOSGD(t *testing.T) {
	hq, zq := newQuadratic(64), newQuadratic(64)
	est := Estimator{Dist: Gaussian, Central: true, Q: 1, Eps: 1e-2, Seed: 4}
	h, z := &HiZOO{Est: est}, &ZO{Est: est, Rule: ZOSGD}
	theta, l0 := slices.Clone(hq.Params().Data), hq.Loss(nil, nil, 0)
	lh, fh := h.Step(hq, Batch{}, 1e-2)
	z.Step(zq, Batch{}, 1e-2)
	if fh != 3 || lh != l0 {
		t.Fatalf("loss %v in %d forwards, want the loss at θ %v in 3", lh, fh, l0)
	}
	for i, v := range hq.Params().Data {
		want := zq.Params().Data[i]
		if math.Abs(float64(v-want)) > 1e-5 {
			t.Fatalf("θ[%d] = %v, ZO-SGD's %v", i, v, want)
		}
		if math.Abs(float64(v-theta[i])) < 1e-4 && h.z[i] != 0 {
			t.Fatalf("θ[%d] = %v did not move from %v", i, v, theta[i])
		}
	}
}

// With α = 1 one step sets h to its curvature estimate, which a quadratic
// ½Σaᵢθᵢ² makes exact: L+ + L− − 2L0 = ε²·Σ aⱼ zⱼ² from h = 1, so
// hᵢ = ½·(Σ aⱼ zⱼ²)·zᵢ². Estimate gives the step's ĝ and leaves θ and h.
func TestHiZOOCurvatureOnQuadratic(t *testing.T) {
	q := newQuadratic(1000)
	o := &HiZOO{Est: Estimator{Dist: Gaussian, Central: true, Q: 1, Eps: 1e-2, Seed: 9}, Smooth: 1}
	z := make([]float32, len(q.Params().Data))
	rng.Fill(rng.Gaussian, z, rng.NewKey(9, 0), 0)
	var s float64
	for j, zj := range z {
		s += q.a[j] * float64(zj) * float64(zj)
	}
	theta := slices.Clone(q.Params().Data)
	g := make([]float32, len(theta))
	o.Estimate(q, Batch{}, g)
	if !slices.Equal(q.Params().Data, theta) || o.h[0] != 1 {
		t.Fatal("Estimate changed θ or h")
	}
	const lr = 1e-3
	o.Step(q, Batch{}, lr)
	for i, zi := range z {
		want := s * float64(zi) * float64(zi) / 2
		if math.Abs(float64(o.h[i])-want) > 1e-2*want+1e-6 {
			t.Fatalf("h[%d] = %v, want ½·Σaz²·z² = %v", i, o.h[i], want)
		}
		if got, want := q.Params().Data[i], theta[i]-lr*g[i]; got != want {
			t.Fatalf("θ[%d] = %v after the step, θ − lr·ĝ = %v", i, got, want)
		}
	}
}

// A HiZOO run resumed from its state (step and h) continues with the bits
// of one that was not stopped.
func TestHiZOOResumes(t *testing.T) {
	whole, resumed := newQuadratic(200), newQuadratic(200)
	est := Estimator{Dist: Rademacher, Central: true, Q: 1, Eps: 1e-3, Seed: 2}
	o := &HiZOO{Est: est, Smooth: 1e-2}
	for range 3 {
		o.Step(whole, Batch{}, 1e-2)
	}
	first := &HiZOO{Est: est, Smooth: 1e-2}
	first.Step(resumed, Batch{}, 1e-2)
	again := &HiZOO{Est: est, Smooth: 1e-2}
	if err := again.SetState(first.State()); err != nil {
		t.Fatal(err)
	}
	again.Step(resumed, Batch{}, 1e-2)
	again.Step(resumed, Batch{}, 1e-2)
	if !slices.Equal(whole.Params().Data, resumed.Params().Data) || !slices.Equal(o.h, again.h) {
		t.Error("a resumed run differs from an uninterrupted one")
	}
	for _, bad := range []*HiZOO{{Est: Estimator{Q: 2, Eps: 1}}, {Est: Estimator{Q: 1, PerTensor: true, Eps: 1}},
		{Est: Estimator{Q: 1, Eps: 1}, Smooth: 2}, {Est: Estimator{Q: 1}}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
