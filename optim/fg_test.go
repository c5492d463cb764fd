package optim

import (
	"math"
	"slices"
	"testing"
)

// A forward-gradient estimate is (1/q)·Σ (∇L·z)·z: its cosine with the
// backprop gradient is positive, near √(q/(q+d)) for Gaussian directions
// (each slope exact), and grows with q; the update it makes is θ − lr·ĝ;
// checking the estimate on the side leaves θ and the next steps' bits.
func TestForwardGradient(t *testing.T) {
	m, b := mynetBatch(t, 0.1) // d = 9,568
	m.Gradient(b.X, b.Y, b.Rows)
	g := slices.Clone(m.Params().Grad)
	d := float64(m.Params().Count())
	est := make([]float32, len(g))
	prev := 0.0
	for _, q := range []int{4, 64, 1024} {
		o := &FG{Est: Estimator{Dist: Gaussian, Q: q, Seed: 7}}
		if fw := o.Estimate(m, b, est); fw != q {
			t.Errorf("q=%d: %d tangent passes", q, fw)
		}
		c, want := cosine(est, g), math.Sqrt(float64(q)/(float64(q)+d))
		t.Logf("q=%d: cosine %.3f (√(q/(q+d)) = %.3f)", q, c, want)
		if c < 0.7*want || c <= prev {
			t.Errorf("q=%d: cosine %.4f (previous %.4f, √(q/(q+d)) %.4f)", q, c, prev, want)
		}
		prev = c
	}

	checked, plain := &FG{Est: Estimator{Dist: Rademacher, Q: 2, Seed: 3}}, &FG{Est: Estimator{Dist: Rademacher, Q: 2, Seed: 3}}
	mc, _ := mynetBatch(t, 0.1)
	theta := slices.Clone(mc.Params().Data)
	checked.Estimate(mc, b, est)
	if !slices.Equal(mc.Params().Data, theta) {
		t.Fatal("Estimate changed θ")
	}
	const lr = 1e-3
	checked.Step(mc, b, lr)
	for i, v := range mc.Params().Data {
		if want := theta[i] - lr*est[i]; math.Abs(float64(v-want)) > 1e-6*(1+math.Abs(float64(want))) {
			t.Fatalf("θ[%d] = %v after the step, θ − lr·ĝ = %v", i, v, want)
		}
	}
	mp, _ := mynetBatch(t, 0.1)
	plain.Step(mp, b, lr)
	for range 2 {
		checked.Step(mc, b, lr)
		plain.Step(mp, b, lr)
	}
	if !slices.Equal(mc.Params().Data, mp.Params().Data) {
		t.Error("a checked run's θ differs from an unchecked one's")
	}
	if got := ForwardEquivalents(plain, 2); got != 2*(1+TangentCost) {
		t.Errorf("2 tangent passes count %d forward passes, want %d", got, 2*(1+TangentCost))
	}
}

// An FG step count saved and restored continues the same directions: a
// resumed run's θ has an uninterrupted one's bits.
func TestForwardGradientResumes(t *testing.T) {
	whole, b := mynetBatch(t, 0.1)
	resumed, _ := mynetBatch(t, 0.1)
	o := &FG{Est: Estimator{Dist: Gaussian, Q: 2, Seed: 5}}
	for range 3 {
		o.Step(whole, b, 1e-3)
	}
	first := &FG{Est: o.Est}
	first.Step(resumed, b, 1e-3)
	again := &FG{Est: o.Est}
	if err := again.SetState(first.State()); err != nil {
		t.Fatal(err)
	}
	again.Step(resumed, b, 1e-3)
	again.Step(resumed, b, 1e-3)
	if !slices.Equal(whole.Params().Data, resumed.Params().Data) {
		t.Error("θ after a resume differs from θ without one")
	}
}
