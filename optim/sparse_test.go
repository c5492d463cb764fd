package optim

import (
	"math"
	"slices"
	"sort"
	"testing"
)

// A sparse step moves only the masked parameters: (1 − P) of them, the
// smallest in magnitude for the magnitude rule, never the padding; a
// random mask is redrawn every Refresh steps and a magnitude mask drawn
// once stays.
func TestSparseZOMovesOnlyTheMask(t *testing.T) {
	for _, rule := range []MaskRule{MaskMagnitude, MaskRandom} {
		q := newQuadratic(1000)
		o := &SparseZO{Est: Estimator{Dist: Gaussian, Central: true, Q: 2, Eps: 1e-3, Seed: 1}, Sparsity: 0.9, Rule: rule, Refresh: 2}
		if rule == MaskMagnitude {
			o.Refresh = 0
		}
		theta := slices.Clone(q.Params().Data)
		o.Step(q, Batch{}, 1e-2)
		kept := 0
		for i, keep := range o.mask {
			moved := q.Params().Data[i] != theta[i]
			if keep {
				kept++
			}
			if moved && !keep || q.a[i] == 0 && keep {
				t.Fatalf("rule %d: parameter %d moved %v, masked %v, padding %v", rule, i, moved, keep, q.a[i] == 0)
			}
		}
		if kept != 100 {
			t.Errorf("rule %d: %d of 1000 parameters kept, want 100", rule, kept)
		}
		if rule == MaskMagnitude {
			var in, out []float64
			for i, keep := range o.mask {
				if q.a[i] == 0 {
					continue
				}
				if v := math.Abs(float64(theta[i])); keep {
					in = append(in, v)
				} else {
					out = append(out, v)
				}
			}
			sort.Float64s(in)
			sort.Float64s(out)
			if in[len(in)-1] > out[0] {
				t.Errorf("the mask keeps |θ| up to %v but leaves %v", in[len(in)-1], out[0])
			}
		}
		first := slices.Clone(o.mask)
		o.Step(q, Batch{}, 1e-2)
		o.Step(q, Batch{}, 1e-2) // step 2: a refresh for the random rule
		if changed := !slices.Equal(first, o.mask); changed != (rule == MaskRandom) {
			t.Errorf("rule %d: mask redrawn %v", rule, changed)
		}
	}
}

// Sparsity 0 is central-difference ZO-SGD along the same directions, to
// rounding (the points are made from θ, as HiZOO's).
func TestSparseZOWithoutSparsityIsZOSGD(t *testing.T) {
	sq, zq := newQuadratic(64), newQuadratic(64)
	est := Estimator{Dist: Rademacher, Central: true, Q: 3, Eps: 1e-2, Seed: 6}
	s, z := &SparseZO{Est: est}, &ZO{Est: est, Rule: ZOSGD}
	s.Step(sq, Batch{}, 1e-2)
	z.Step(zq, Batch{}, 1e-2)
	for i, v := range sq.Params().Data {
		if want := zq.Params().Data[i]; math.Abs(float64(v-want)) > 1e-5 {
			t.Fatalf("θ[%d] = %v, ZO-SGD's %v", i, v, want)
		}
	}
}

// A sparse run resumed from its state (step and mask) has an
// uninterrupted one's bits; Estimate is what the step applies.
func TestSparseZOResumes(t *testing.T) {
	whole, resumed := newQuadratic(300), newQuadratic(300)
	mk := func() *SparseZO {
		return &SparseZO{Est: Estimator{Dist: Gaussian, Central: true, Q: 1, Eps: 1e-3, Seed: 8}, Sparsity: 0.5, Rule: MaskRandom, Refresh: 2}
	}
	o := mk()
	for range 4 {
		o.Step(whole, Batch{}, 1e-2)
	}
	first := mk()
	first.Step(resumed, Batch{}, 1e-2)
	again := mk()
	if err := again.SetState(first.State()); err != nil {
		t.Fatal(err)
	}
	theta := slices.Clone(resumed.Params().Data)
	g := make([]float32, len(theta))
	again.Estimate(resumed, Batch{}, g)
	again.Step(resumed, Batch{}, 1e-2)
	for i, v := range resumed.Params().Data {
		if want := theta[i] - 1e-2*g[i]; math.Abs(float64(v-want)) > 1e-6 {
			t.Fatalf("θ[%d] = %v, θ − lr·ĝ = %v", i, v, want)
		}
	}
	again.Step(resumed, Batch{}, 1e-2)
	again.Step(resumed, Batch{}, 1e-2)
	if !slices.Equal(whole.Params().Data, resumed.Params().Data) {
		t.Error("a resumed run differs from an uninterrupted one")
	}
	for _, bad := range []*SparseZO{{Est: Estimator{Q: 1, Eps: 1}, Sparsity: 1}, {Est: Estimator{Q: 1, Eps: 1}, Refresh: -1},
		{Est: Estimator{Q: 1, Eps: 1, PerTensor: true}}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
