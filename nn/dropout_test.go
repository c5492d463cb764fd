package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// A dropout layer keeps its mask between forwards of one step and draws it
// again when the step (noise key), the row count or training mode changes:
// every training forward equals a fresh model's.
func TestDropoutMaskFollowsTheStep(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	x := make([]float32, 4*784)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	m := NewMyNetPlus(1)
	for i, step := range []struct {
		noise uint64
		rows  int
		train bool
	}{{1, 4, true}, {1, 4, true}, {2, 4, true}, {2, 3, true}, {2, 4, true}, {2, 4, false}, {2, 4, true}, {3, 4, true}} {
		m.SetNoiseKey(step.noise)
		got := m.Forward(x, step.rows, step.train)
		fresh := NewMyNetPlus(1)
		fresh.SetNoiseKey(step.noise)
		want := fresh.Forward(x, step.rows, step.train)
		for j := range want {
			if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
				t.Fatalf("forward %d (noise %d, %d rows, train %v): logit %d is %v, a fresh model's %v",
					i, step.noise, step.rows, step.train, j, got[j], want[j])
			}
		}
	}
}
