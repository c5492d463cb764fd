package nn

import (
	"math"
	"testing"
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
	w2 := Along{Dist: d.Dist, Key: d.Key, Lo: d.Lo, Hi: d.Hi}
	w2.Lo, w2.Hi = tensorNamed("fc2.weight")(m.Params())
	m.LossAt(x, y, c.rows, Keep{Save: true}, Point{d, []float32{1e-3}})
	want := m.LossAt(x, y, c.rows, Keep{}, Point{w2, []float32{1e-3}})
	m.LossAt(x, y, c.rows, Keep{Save: true}, Point{d, []float32{1e-3}})
	w1 := m.Params().View(m.Linears()[0].w)
	bumpAll(w1, 1)
	got := m.LossAt(x, y, c.rows, Keep{Product: true}, Point{w2, []float32{1e-3}})
	changed := m.LossAt(x, y, c.rows, Keep{}, Point{w2, []float32{1e-3}})
	bumpAll(w1, -1)
	checkKept(t, "fused", got, want, changed, m.ProductsReused())

	cnn := NewMyNetPlus(1)
	xc, yc := x[:8*784], y[:8]
	bumpAll(cnn.Params().View(cnn.layers[0].(*Conv2d).b), 0.25) // Xavier's zero bias would hide a product kept with it
	conv1 := cnn.Params().View(cnn.layers[0].(*Conv2d).w)
	want = cnn.LossFrom(Keep{}, xc, yc, 8)
	cnn.LossFrom(Keep{Save: true}, xc, yc, 8)
	bumpAll(conv1, 1)
	got = cnn.LossFrom(Keep{Product: true}, xc, yc, 8)
	changed = cnn.LossFrom(Keep{}, xc, yc, 8)
	bumpAll(conv1, -1)
	checkKept(t, "in place", got, want, changed, cnn.ProductsReused())
}

func bumpAll(w []float32, by float32) {
	for i := range w {
		w[i] += by
	}
}

func checkKept(t *testing.T, path string, got, want, changed float32, reused int) {
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
	w1 := Along{Dist: d.Dist, Key: d.Key}
	w1.Lo, w1.Hi = tensorNamed("fc1.weight")(m.Params())
	keepB1 := func() { m.LossAt(x, y, c.rows, Keep{Save: true}, Point{d, []float32{1e-3}}) }
	for name, f := range map[string]func(){
		"other batch": func() { keepB1(); m.LossAt(x[784:], y[1:], c.rows-1, Keep{Product: true}, Point{d, nil}) },
		"ran since": func() {
			keepB1()
			m.Forward(x, c.rows, true)
			m.LossAt(x, y, c.rows, Keep{Product: true}, Point{d, nil})
		},
		"weights moved": func() { keepB1(); m.LossAt(x, y, c.rows, Keep{Product: true}, Point{w1, []float32{1e-3}}) },
	} {
		before := m.ProductsReused()
		f()
		if m.ProductsReused() != before {
			t.Errorf("%s: the kept product was taken", name)
		}
	}
}
