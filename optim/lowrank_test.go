package optim

import (
	"math"
	"slices"
	"testing"
)

// A low-rank direction is U·Vᵀ on each weight matrix: with rank 1 every
// 2×2 minor vanishes, and V (the ratio of two rows) stays for Interval
// steps and then changes; biases move along a Gaussian, padding not at all.
func TestLowRankDirections(t *testing.T) {
	m, _ := mynetBatch(t, 0.25)
	p := m.Params()
	o := &LowRankZO{Est: Estimator{Central: true, Q: 1, Eps: 1e-3, Seed: 3}, Rank: 1, Interval: 2}
	fc1 := p.Tensors[0] // [32, 784], stored 784 rows of 32
	ratio := func() float64 { o.direction(m); return float64(o.z[fc1.Off+5*32+7] / o.z[fc1.Off+7]) }
	r0 := ratio()
	z := o.z[fc1.Off : fc1.Off+fc1.Len]
	for _, c := range [][4]int{{0, 1, 0, 1}, {3, 700, 5, 31}, {100, 200, 2, 9}} {
		i, j, a, b := c[0], c[1], c[2], c[3]
		lhs, rhs := float64(z[i*32+a]*z[j*32+b]), float64(z[i*32+b]*z[j*32+a])
		if math.Abs(lhs-rhs) > 1e-5*(math.Abs(lhs)+math.Abs(rhs)+1e-6) {
			t.Errorf("rows %d, %d, columns %d, %d: minor %v − %v, want 0 (rank 1)", i, j, a, b, lhs, rhs)
		}
	}
	bias := p.Tensors[1]
	if slices.Max(o.z[bias.Off:bias.Off+bias.Len]) == 0 {
		t.Error("the bias does not move")
	}
	for i := fc1.Off + fc1.Len; i < bias.Off; i++ {
		if o.z[i] != 0 {
			t.Fatalf("padding %d moves", i)
		}
	}
	o.step = 1
	if r1 := ratio(); math.Abs(r1-r0) > 1e-5*math.Abs(r0) {
		t.Errorf("V changed within its interval: row ratio %v then %v", r0, r1)
	}
	o.step = 2
	if r2 := ratio(); math.Abs(r2-r0) < 1e-3*math.Abs(r0) {
		t.Errorf("V kept past its interval: row ratio %v both times", r0)
	}
}

// A low-rank step is θ − lr·ĝ with ĝ its Estimate, and a run resumed from
// its step count has an uninterrupted one's bits.
func TestLowRankStepAndResume(t *testing.T) {
	whole, b := mynetBatch(t, 0.25)
	resumed, _ := mynetBatch(t, 0.25)
	mk := func() *LowRankZO {
		return &LowRankZO{Est: Estimator{Central: true, Q: 1, Eps: 1e-3, Seed: 4}, Rank: 2, Interval: 3}
	}
	o := mk()
	for range 4 {
		o.Step(whole, b, 1e-3)
	}
	first := mk()
	first.Step(resumed, b, 1e-3)
	again := mk()
	if err := again.SetState(first.State()); err != nil {
		t.Fatal(err)
	}
	theta := slices.Clone(resumed.Params().Data)
	g := make([]float32, len(theta))
	again.Estimate(resumed, b, g)
	again.Step(resumed, b, 1e-3)
	for i, v := range resumed.Params().Data {
		if want := theta[i] - 1e-3*g[i]; v != want {
			t.Fatalf("θ[%d] = %v, θ − lr·ĝ = %v", i, v, want)
		}
	}
	again.Step(resumed, b, 1e-3)
	again.Step(resumed, b, 1e-3)
	if !slices.Equal(whole.Params().Data, resumed.Params().Data) {
		t.Error("a resumed run differs from an uninterrupted one")
	}
	for _, bad := range []*LowRankZO{{Est: Estimator{Q: 1, Eps: 1}, Interval: 1}, {Est: Estimator{Q: 1, Eps: 1}, Rank: 1},
		{Est: Estimator{Q: 2, Eps: 1}, Rank: 1, Interval: 1}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
