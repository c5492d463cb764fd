package optim

import (
	"math"
	"slices"
	"testing"
)

// bigBatches is a source of large batches of rows rows (the quadratic
// reads none of them).
func bigBatches(rows int) func(uint64) Batch { return func(uint64) Batch { return Batch{Rows: rows} } }

// At a snapshot θ̃ = θ, so the mini-batch estimates cancel to the bit and
// the step follows the large-batch estimate alone; it counts the large
// batch's passes in batches of the step's rows; a run resumed from its
// state (step, θ̃, ĝ_B) has an uninterrupted one's bits.
func TestSVRG(t *testing.T) {
	q := newQuadratic(200)
	est := Estimator{Dist: Gaussian, Central: true, Q: 2, Eps: 1e-3, Seed: 3}
	o := &SVRG{Est: est, Period: 3}
	o.SetSource(bigBatches(256))
	theta := slices.Clone(q.Params().Data)
	_, fw := o.Step(q, Batch{Rows: 64}, 1e-2)
	if want := 4*2 + 2*2*256/64; fw != want {
		t.Errorf("snapshot step: %d forward passes, want %d", fw, want)
	}
	for i, v := range q.Params().Data {
		if want := theta[i] - 1e-2*o.big[i]; v != want {
			t.Fatalf("θ[%d] = %v after the snapshot step, θ − lr·ĝ_B = %v", i, v, want)
		}
	}
	if _, fw := o.Step(q, Batch{Rows: 64}, 1e-2); fw != 8 {
		t.Errorf("a step between snapshots: %d forward passes, want 8", fw)
	}

	whole, resumed := newQuadratic(200), newQuadratic(200)
	mk := func() *SVRG { s := &SVRG{Est: est, Period: 3}; s.SetSource(bigBatches(128)); return s }
	w := mk()
	for range 5 {
		w.Step(whole, Batch{Rows: 64}, 1e-2)
	}
	first := mk()
	first.Step(resumed, Batch{Rows: 64}, 1e-2)
	first.Step(resumed, Batch{Rows: 64}, 1e-2)
	again := mk()
	if err := again.SetState(first.State()); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again.Step(resumed, Batch{Rows: 64}, 1e-2)
	}
	if !slices.Equal(whole.Params().Data, resumed.Params().Data) {
		t.Error("a resumed run differs from an uninterrupted one")
	}
	if l := whole.Loss(nil, nil, 0); math.IsNaN(float64(l)) || l >= q.Loss(nil, nil, 0)*10 {
		t.Errorf("loss %v after 5 steps", l)
	}
	for _, bad := range []*SVRG{{Est: Estimator{Q: 1, Eps: 1, Central: true}}, {Est: Estimator{Q: 1, Eps: 1}, Period: 1},
		{Est: Estimator{Q: 1, Eps: 1, Central: true, PerTensor: true}, Period: 1}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
