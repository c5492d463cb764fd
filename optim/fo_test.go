package optim

import (
	"math"
	"slices"
	"testing"

	"github.com/zofo/zofo/kernels/rng"
)

// SGD follows v = μv + (1−d)g, θ −= lr·v; Adam's first step moves each
// coordinate by lr against its gradient's sign (bias correction); signSGD
// moves by exactly lr.
func TestFirstOrderRules(t *testing.T) {
	q := newQuadratic(10)
	g := q.grad()
	theta := append([]float32(nil), q.p.Data...)
	o := &SGD{Momentum: 0.9, Dampening: 0.5}
	o.Step(q, Batch{}, 0.1)
	for j := range g {
		want := theta[j] - 0.1*float32(0.5*g[j])
		if math.Abs(float64(q.p.Data[j]-want)) > 1e-6 {
			t.Fatalf("SGD θ[%d] = %v, want %v", j, q.p.Data[j], want)
		}
	}
	for name, opt := range map[string]Optimizer{"adam": NewAdam(), "signsgd": &SignSGD{Seed: 1}} {
		q := newQuadratic(10)
		theta := append([]float32(nil), q.p.Data...)
		g := q.grad()
		opt.Step(q, Batch{}, 0.01)
		for _, tn := range q.p.Tensors {
			for j := tn.Off; j < tn.Off+tn.Len; j++ {
				want := theta[j] - 0.01*float32(math.Copysign(1, g[j]))
				if math.Abs(float64(q.p.Data[j]-want)) > 1e-6 {
					t.Fatalf("%s θ[%d] = %v, want %v", name, j, q.p.Data[j], want)
				}
			}
		}
	}
}

// Zero gradients (±0) get the seeded draw At gives for their index,
// across chunk borders and a ragged tail; the rest get their sign.
func TestSignsReplacesZeros(t *testing.T) {
	g := make([]float32, 5*signChunk+37)
	for i := range g {
		switch i % 5 {
		case 0, 1:
			g[i] = float32(i%7) - 3 // zero every seventh
		case 2:
			g[i] = float32(math.Copysign(0, -1))
		}
	}
	s := signs(nil, g, 1, 4)
	key := rng.NewKey(1, 4)
	plus := 0
	for i, v := range s {
		want := float32(math.Copysign(1, float64(g[i])))
		if g[i] == 0 {
			want = rng.At(rng.Rademacher, key, uint64(i))
			plus += int(want+1) / 2
		}
		if v != want {
			t.Fatalf("sign[%d] of %v = %v, want %v", i, g[i], v, want)
		}
	}
	if zeros := len(g) - 2*len(g)/5 + len(g)/35; plus < zeros/3 || plus > 2*zeros/3 {
		t.Errorf("%d of about %d draws are +1", plus, zeros)
	}
}

func TestSchedule(t *testing.T) {
	s := Schedule{LR: 0.1, Milestones: []int{2, 4}, Gamma: 0.5}
	for e, want := range []float32{0.1, 0.1, 0.05, 0.05, 0.025} {
		if got := s.At(e); got != want {
			t.Errorf("epoch %d: %v, want %v", e, got, want)
		}
	}
	for _, bad := range []Schedule{{LR: 0}, {LR: 1, Milestones: []int{3, 1}, Gamma: 0.1}, {LR: 1, Milestones: []int{1}},
		{LR: 1, Cosine: true, Milestones: []int{1}, Gamma: 0.1}, {LR: 1, Warmup: -1}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	for e := range 5 { // without warmup or cosine, every step of an epoch has At's bits
		for i := range 3 {
			if got, want := s.Rate(e, i, 3, 5), s.At(e); math.Float32bits(got) != math.Float32bits(want) {
				t.Errorf("epoch %d step %d: Rate %v, At %v", e, i, got, want)
			}
		}
	}
}

// A cosine schedule after a linear warmup: (t+1)/W of the rate during the
// warmup, LR when it ends, LR/2 halfway through the rest, falling every
// step to nearly 0 at the last; a warmup works the same before milestones.
func TestCosineWithWarmup(t *testing.T) {
	const perEpoch, epochs, warmup = 10, 5, 10 // 50 steps: 10 of warmup, 40 of cosine
	s := Schedule{LR: 0.2, Cosine: true, Warmup: warmup}
	rate := func(t int) float64 { return float64(s.Rate(t/perEpoch, t%perEpoch, perEpoch, epochs)) }
	for step, want := range map[int]float64{0: 0.02, 4: 0.1, 9: 0.2, 10: 0.2, 30: 0.1} {
		if got := rate(step); math.Abs(got-want) > 1e-7 {
			t.Errorf("step %d: %v, want %v", step, got, want)
		}
	}
	for step := warmup + 1; step < perEpoch*epochs; step++ {
		if rate(step) >= rate(step-1) {
			t.Fatalf("step %d: %v, not below step %d's %v", step, rate(step), step-1, rate(step-1))
		}
	}
	if last := rate(perEpoch*epochs - 1); !(last > 0 && last < 0.2*0.01) {
		t.Errorf("last step: %v, want just above 0", last)
	}
	steps := Schedule{LR: 0.1, Milestones: []int{1}, Gamma: 0.5, Warmup: 4}
	if got := steps.Rate(0, 1, 4, 2); got != float32(0.1*2.0/4) {
		t.Errorf("warmup before milestones: step 1 %v, want %v", got, float32(0.1*2.0/4))
	}
	if got := steps.Rate(1, 0, 4, 2); got != 0.05 {
		t.Errorf("after the warmup and a milestone: %v, want 0.05", got)
	}
}

// FO steps give the same θ bits at every thread count: the GEMM splits are
// deterministic and the update's parts cut θ where one whole pass would
// switch code paths anyway.
func TestFOThreadsSameBits(t *testing.T) {
	for _, mk := range []func() Optimizer{
		func() Optimizer { return &SGD{Momentum: 0.9, Dampening: 0.1} },
		func() Optimizer { return &SignSGD{Seed: 3} },
		func() Optimizer { return NewAdam() },
	} {
		var want []float32
		for threads := 1; threads <= 3; threads++ {
			m, b := mynetBatch(t, 1.3)
			m.Threads = threads
			o := mk()
			for step := 0; step < 3; step++ {
				o.Step(m, b, 1e-2)
			}
			got := m.Params().Data
			if threads == 1 {
				want = slices.Clone(got)
				continue
			}
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%T threads %d: θ[%d] = %v, one thread %v", o, threads, i, got[i], want[i])
				}
			}
		}
	}
}
