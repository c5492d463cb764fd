package nn

import (
	"math"
	"testing"

	"github.com/zofo/zofo/kernels/rng"
)

// A pass that may take a layer's kept product does not read the layer's
// weights: with W changed behind its back it still gives the loss of the
// W the product was made with, where a pass without the product does
// not. The fused path (MyNet: the product kept at fc1.bias's point, taken
// at fc2.weight's) and the in-place one (MyNetPlus: conv1's product kept
// by a pass after its bias moved, taken by the next) alike.
func TestKeptProductSkipsTheMultiply(t *testing.T) {
	c := pointCase{0.5, 16, 0, tensorNamed("fc1.bias")}
	m, x, y, d := c.setUp(t)
	w2 := rng.Direction{Dist: d.Dist, Key: d.Key, Lo: d.Lo, Hi: d.Hi}
	w2.Lo, w2.Hi = tensorNamed("fc2.weight")(m.Params())
	m.lossAt(x, y, c.rows, carry{Save: true}, point{d, []float32{1e-3}})
	want := m.lossAt(x, y, c.rows, carry{}, point{w2, []float32{1e-3}})
	m.lossAt(x, y, c.rows, carry{Save: true}, point{d, []float32{1e-3}})
	w1 := m.Params().View(m.linears()[0].w)
	bumpAll(w1, 1)
	got := m.lossAt(x, y, c.rows, carry{Product: true}, point{w2, []float32{1e-3}})
	changed := m.lossAt(x, y, c.rows, carry{}, point{w2, []float32{1e-3}})
	bumpAll(w1, -1)
	checkKept(t, "fused", got, want, changed, m.reused.Load())

	cnn := NewMyNetPlus(1)
	xc, yc := x[:8*784], y[:8]
	bumpAll(cnn.Params().View(cnn.layers[0].(*Conv2d).b), 0.25) // Xavier's zero bias would hide a product kept with it
	conv1 := cnn.Params().View(cnn.layers[0].(*Conv2d).w)
	want = cnn.lossFrom(carry{}, xc, yc, 8)
	cnn.lossFrom(carry{Save: true}, xc, yc, 8)
	bumpAll(conv1, 1)
	got = cnn.lossFrom(carry{Product: true}, xc, yc, 8)
	changed = cnn.lossFrom(carry{}, xc, yc, 8)
	bumpAll(conv1, -1)
	checkKept(t, "in place", got, want, changed, cnn.reused.Load())
}

func bumpAll(w []float32, by float32) {
	for i := range w {
		w[i] += by
	}
}

func checkKept(t *testing.T, path string, got, want, changed float32, reused int32) {
	t.Helper()
	if math.Float32bits(got) != math.Float32bits(want) || reused != 1 {
		t.Errorf("%s: loss from the kept product %v, want %v (%d reuses, want 1)", path, got, want, reused)
	}
	if changed == want {
		t.Errorf("%s: changing W did not change the loss of a full pass (%v)", path, changed)
	}
}

// A kept product is not taken for another batch, after the layer ran
// without keeping one, or when the point moves the layer's weights.
func TestKeptProductOnlyWhenItHolds(t *testing.T) {
	c := pointCase{0.5, 16, 0, tensorNamed("fc1.bias")}
	m, x, y, d := c.setUp(t)
	w1 := rng.Direction{Dist: d.Dist, Key: d.Key}
	w1.Lo, w1.Hi = tensorNamed("fc1.weight")(m.Params())
	keepB1 := func() { m.lossAt(x, y, c.rows, carry{Save: true}, point{d, []float32{1e-3}}) }
	for name, f := range map[string]func(){
		"other batch": func() { keepB1(); m.lossAt(x[784:], y[1:], c.rows-1, carry{Product: true}, point{d, nil}) },
		"ran since": func() {
			keepB1()
			m.Forward(x, c.rows, true)
			m.lossAt(x, y, c.rows, carry{Product: true}, point{d, nil})
		},
		"weights moved": func() { keepB1(); m.lossAt(x, y, c.rows, carry{Product: true}, point{w1, []float32{1e-3}}) },
	} {
		before := m.reused.Load()
		f()
		if m.reused.Load() != before {
			t.Errorf("%s: the kept product was taken", name)
		}
	}
}
