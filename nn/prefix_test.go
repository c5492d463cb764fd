package nn

import (
	"testing"

	"github.com/zofo/zofo/kernels/rng"
)

// lossFrom refuses kept outputs that are not of this batch's training
// forward.
func TestLossFromChecksTheLastForward(t *testing.T) {
	m := NewConvNet(1)
	_, x, y, _ := pointCase{1, 16, rng.Rademacher, wholeModel}.setUp(t)
	m.Loss(x, y, 8)
	for name, f := range map[string]func(){
		"other rows":   func() { m.lossFrom(carry{Layers: 1}, x, y, 4) },
		"other batch":  func() { m.lossFrom(carry{Layers: 1}, x[784:], y, 8) },
		"other noise":  func() { m.SetNoiseKey(9); m.lossFrom(carry{Layers: 1}, x, y, 8) },
		"eval forward": func() { m.SetNoiseKey(0); m.Forward(x, 8, false); m.lossFrom(carry{Layers: 1}, x, y, 8) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
		m.SetNoiseKey(0)
		m.Loss(x, y, 8)
	}
}

// lossAt, pairLosses and lossesAt refuse to keep layers that a moved point
// changes, or that the last evaluation computed at a moved point.
func TestKeepChecksThePoint(t *testing.T) {
	m, x, y, d := pointCase{0.25, 16, rng.Rademacher, tensorNamed("fc2.weight")}.setUp(t) // layer 1
	m.Loss(x, y, 16)
	m.lossAt(x, y, 16, carry{Layers: 1}, point{d, []float32{1e-3}}) // fine: layer 0 is kept
	if m.last.kept != 1 {
		t.Fatalf("%d layers kept after a point moving layer 1, want 1", m.last.kept)
	}
	for name, f := range map[string]func(){
		"keep the moved layer":    func() { m.lossAt(x, y, 16, carry{Layers: 2}, point{d, []float32{1e-3}}) },
		"keep a perturbed output": func() { m.lossAt(x, y, 16, carry{Layers: 2}, point{d: d}) },
		"pair keeps too many":     func() { m.pairLosses(x, y, 16, carry{Layers: 2}, d, 1e-3, -2e-3) },
		"losses keep too many": func() {
			m.lossesAt(x, y, 16, carry{Layers: 2}, point{d: d}, point{d, []float32{1}})
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
