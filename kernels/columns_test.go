package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/internal/expconst"
	"github.com/zofo/zofo/internal/kerneltest"
)

// columnsCase is a class-major logits matrix inside a guarded buffer:
// ld − n NaN guards after each class's columns too, so a read past column
// n shows as NaN in a loss.
type columnsCase struct {
	classes, n, ld int
	logits         *kerneltest.Guarded
	labels         []int32
}

func newColumnsCase(r *rand.Rand, classes, n, pad, off int, spread float64) *columnsCase {
	c := &columnsCase{classes: classes, n: n, ld: n + pad, labels: make([]int32, n)}
	c.logits = kerneltest.NewGuarded(r, (classes-1)*c.ld+n, off)
	z := c.logits.S()
	for i := range z {
		if i%c.ld >= n {
			z[i] = math.Float32frombits(kerneltest.GuardBits)
		} else {
			z[i] *= float32(spread)
		}
	}
	c.logits.Snapshot = append(c.logits.Snapshot[:0], z...)
	for j := range c.labels {
		c.labels[j] = int32(r.IntN(classes))
	}
	return c
}

// Every path gives the generic reference's bits on every column: all
// tails, unaligned starts, padded leading dimensions, logits spread wide
// enough to reach exp's clamp, and guards around the loss.
func TestCrossEntropyColumnsSameBits(t *testing.T) {
	r := newRand(7)
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, classes := range []int{1, 2, 3, 10, 17} {
			for n := 0; n <= 4*16+3; n++ {
				for round := range 4 {
					off := kerneltest.Offsets(round, 2)
					spread := []float64{1, 4, 30, 200}[round]
					c := newColumnsCase(r, classes, n, round, off[0], spread)
					loss := kerneltest.NewGuarded(r, n, off[1])
					crossEntropyColumns(p, loss.S(), c.logits.S(), classes, n, c.ld, c.labels)
					want := make([]float32, n)
					crossEntropyColumnsGeneric(want, c.logits.S(), classes, 0, n, c.ld, c.labels)
					loss.CheckGuards(t, "loss")
					c.logits.CheckUnchanged(t, "logits")
					for j, got := range loss.S() {
						if !kerneltest.SameBits(got, want[j]) {
							t.Fatalf("%v, %d classes, n=%d, ld=%d: loss[%d] = %v, generic %v", p, classes, n, c.ld, j, got, want[j])
						}
					}
				}
			}
		}
	})
}

// The reference is within a few float32 ulps of the float64 loss; a NaN
// or infinite logit gives NaN, except −Inf off the label, which adds
// nothing, as in softmax.
func TestCrossEntropyColumnsAccuracy(t *testing.T) {
	r := newRand(8)
	for _, spread := range []float64{0.1, 1, 10, 100} {
		c := newColumnsCase(r, 10, 4000, 0, 0, spread)
		got := make([]float32, c.n)
		crossEntropyColumnsGeneric(got, c.logits.S(), c.classes, 0, c.n, c.ld, c.labels)
		for j := range c.n {
			want := columnLoss64(c.logits.S(), c.classes, c.ld, j, int(c.labels[j]))
			// The loss is m + log(s), s in [1, 10]: log(s) and s's sum of
			// ten rounded exps each carry a few ulps of log(10) < 4.
			if tol := 16*0x1p-24*4 + 2*0x1p-24*math.Abs(want); math.Abs(float64(got[j])-want) > tol {
				t.Fatalf("spread %g, column %d: %v, want %v (tolerance %g)", spread, j, got[j], want, tol)
			}
		}
	}
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, tc := range []struct {
			z    []float32
			want float64
		}{
			{[]float32{nan, 0, 0}, math.NaN()}, {[]float32{0, nan, 0}, math.NaN()}, {[]float32{0, 0, nan}, math.NaN()},
			{[]float32{0, inf, 0}, math.NaN()}, {[]float32{-inf, 0, 0}, math.Log(2)}, {[]float32{0, -inf, 0}, math.NaN()},
		} {
			lanes := 16 + 3 // a vector and a tail, every column the same
			logits := make([]float32, 3*lanes)
			for c, v := range tc.z {
				for j := range lanes {
					logits[c*lanes+j] = v
				}
			}
			loss, labels := make([]float32, lanes), make([]int32, lanes)
			for j := range labels {
				labels[j] = 1
			}
			crossEntropyColumns(p, loss, logits, 3, lanes, lanes, labels)
			for j, got := range loss {
				if math.IsNaN(tc.want) != math.IsNaN(float64(got)) || !math.IsNaN(tc.want) && math.Abs(float64(got)-tc.want) > 1e-6 {
					t.Fatalf("%v, logits %v, label 1, column %d: %v, want %v", p, tc.z, j, got, tc.want)
				}
			}
		}
	})
}

// columnLoss64 is column j's loss in float64.
func columnLoss64(z []float32, classes, ld, j, y int) float64 {
	m := math.Inf(-1)
	for c := range classes {
		m = math.Max(m, float64(z[c*ld+j]))
	}
	var s float64
	for c := range classes {
		s += math.Exp(float64(z[c*ld+j]) - m)
	}
	return m + math.Log(s) - float64(z[y*ld+j])
}

// expNonPositive is within 2 ulps of exp on [−87, 0].
func TestExpNonPositive(t *testing.T) {
	r := newRand(9)
	for range 200_000 {
		x := float32(-87 * r.Float64())
		got, want := float64(expNonPositive(x)), math.Exp(float64(x))
		if math.Abs(got-want) > 2*0x1p-24*want {
			t.Fatalf("exp(%v) = %v, want %v", x, got, want)
		}
	}
	if got := expNonPositive(-1000); got != expNonPositive(expconst.Min) {
		t.Errorf("exp(-1000) = %v, want the clamp's %v", got, expNonPositive(expconst.Min))
	}
}

func TestCrossEntropyColumnsBadInput(t *testing.T) {
	loss, z, labels := make([]float32, 4), make([]float32, 12), []int32{0, 1, 2, 0}
	for name, f := range map[string]func(){
		"label 3 of 3 classes": func() { CrossEntropyColumns(loss, z, 3, 4, 4, []int32{0, 3, 0, 0}) },
		"negative label":       func() { CrossEntropyColumns(loss, z, 3, 4, 4, []int32{0, -1, 0, 0}) },
		"ld < n":               func() { CrossEntropyColumns(loss, z, 3, 4, 3, labels) },
		"short logits":         func() { CrossEntropyColumns(loss, z[:11], 3, 4, 4, labels) },
		"short loss":           func() { CrossEntropyColumns(loss[:3], z, 3, 4, 4, labels) },
		"no classes":           func() { CrossEntropyColumns(loss, z, 0, 4, 4, labels) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
		for _, v := range loss {
			if v != 0 {
				t.Fatalf("%s: wrote the loss before panicking", name)
			}
		}
	}
}

// BenchmarkCrossEntropyColumns scores 4096 columns of 10 classes, the
// shape coordinate-wise estimation feeds it.
func BenchmarkCrossEntropyColumns(b *testing.B) {
	c := newColumnsCase(newRand(1), 10, 4096, 0, 0, 3)
	loss := make([]float32, c.n)
	for _, p := range Available() {
		b.Run("impl="+p.String()+"/classes=10/n=4096", func(b *testing.B) {
			for b.Loop() {
				crossEntropyColumns(p, loss, c.logits.S(), c.classes, c.n, c.ld, c.labels)
			}
			b.ReportMetric(float64(c.n)*float64(b.N)/b.Elapsed().Seconds(), "columns/s")
		})
	}
}
