package optim

import (
	"fmt"
	"math"
	"testing"

	"github.com/zofo/zofo/mnist"
	"github.com/zofo/zofo/nn"
)

// coordEstimates runs one step's estimation (lr 0: θ unchanged) and returns
// the coordinates and estimates.
func coordEstimates(m Model, b Batch, o *Coord) ([]int, []float32) {
	o.Step(m, b, 0)
	return append([]int(nil), o.idx...), append([]float32(nil), o.g...)
}

// Feature reuse gives the naive estimator's numbers on every coordinate
// (up to float32 rounding of the two ways to reach the same perturbed
// loss), and agrees with backprop: cosine ≥ 0.99 over all coordinates (a
// few differences straddle a ReLU kink, where no finite difference is the
// derivative). Two-thirds of the inputs are blank: zeros (skipped), or
// MNIST's normalized background, shared by every weight of a unit. The
// rest take eight levels, so rows repeat values as MNIST's do. MyNet has
// units two layers and one layer before the logits and the logits
// themselves; the four-layer MLP also runs a hidden layer on moved rows.
func TestCoordReuseEqualsNaive(t *testing.T) {
	for _, blank := range []float32{0, -mnist.Mean / mnist.Std} {
		for _, hidden := range [][]int{{6, 3}, {6, 5, 4}} {
			m := nn.NewMLP("mlp", 784, hidden, 10, 1)
			_, b := mynetBatch(t, 1)
			for i := range b.X {
				if i%3 != 0 {
					b.X[i] = blank
				} else {
					b.X[i] = float32(math.Round(float64(b.X[i])*2)) / 2
				}
			}
			m.Gradient(b.X, b.Y, b.Rows)
			g := append([]float32(nil), m.Params().Grad...)
			idx, reuse := coordEstimates(m, b, &Coord{Eps: 1e-2})
			_, naive := coordEstimates(m, b, &Coord{Eps: 1e-2, Naive: true})
			if len(idx) != m.Params().Count() {
				t.Fatalf("%d coordinates, want all %d", len(idx), m.Params().Count())
			}
			bp := make([]float32, len(idx))
			for j, i := range idx {
				if math.Abs(float64(reuse[j]-naive[j])) > 2e-3*(1+math.Abs(float64(naive[j]))) {
					t.Fatalf("blank %g, hidden %v, coordinate %d: reuse %g, naive %g", blank, hidden, i, reuse[j], naive[j])
				}
				bp[j] = g[i]
			}
			if c := cosine(reuse, bp); c < 0.99 {
				t.Errorf("blank %g, hidden %v: cosine(estimate, backprop) = %.4f, want ≥ 0.99", blank, hidden, c)
			}
		}
	}
}

// The estimates are the same bits on one thread and on two, for every
// coordinate and for a sparse draw.
func TestCoordThreadsSameBits(t *testing.T) {
	for _, k := range []int{0, 700} {
		var want []float32
		for _, threads := range []int{1, 2, 3} {
			m, b := mynetBatch(t, 0.25)
			for i := range b.X {
				if i%4 != 0 {
					b.X[i] = -mnist.Mean / mnist.Std
				}
			}
			m.Threads = threads
			_, got := coordEstimates(m, b, &Coord{Eps: 1e-3, K: k, Seed: 3})
			if want == nil {
				want = got
				continue
			}
			for j := range want {
				if math.Float32bits(got[j]) != math.Float32bits(want[j]) {
					t.Fatalf("k=%d, %d threads: estimate %d is %v, one thread %v", k, threads, j, got[j], want[j])
				}
			}
		}
	}
}

// Sparse coordinates: K distinct indices inside tensors, new ones each step.
func TestCoordSparse(t *testing.T) {
	m, _ := nn.NewMyNet(0.25, 1)
	o := &Coord{Eps: 1e-3, K: 500, Seed: 4}
	a := o.coordinates(m.Params(), nil)
	o.step++
	b := o.coordinates(m.Params(), nil)
	seen := map[int]bool{}
	for _, i := range a {
		if seen[i] {
			t.Fatalf("index %d twice", i)
		}
		seen[i] = true
		inside := false
		for _, tn := range m.Params().Tensors {
			inside = inside || (i >= tn.Off && i < tn.Off+tn.Len)
		}
		if !inside {
			t.Fatalf("index %d is padding", i)
		}
	}
	if len(a) != 500 || a[0] == b[0] && a[1] == b[1] && a[2] == b[2] {
		t.Errorf("sparse draws: %d indices, steps 0 and 1 start %v %v", len(a), a[:3], b[:3])
	}
}

// BenchmarkCoordStep is one coordinate-wise step on MyNet s=1 and the
// first 64 MNIST training images: over the same 256 coordinates with and
// without feature reuse, and over all of them with reuse (a full
// coordinate-wise step; naive would take minutes), on 1 and 2 threads.
// Naive costs the same per coordinate either way, so coords/s compares
// them; an epoch is 938 full steps.
func BenchmarkCoordStep(b *testing.B) {
	batch := mnistBatch(b, 64)
	for _, c := range []struct {
		naive   bool
		k       int
		threads int
	}{{false, 256, 1}, {true, 256, 1}, {true, 256, 2}, {false, 0, 1}, {false, 0, 2}} {
		name := "impl=reuse"
		if c.naive {
			name = "impl=naive"
		}
		coords := "all"
		if c.k > 0 {
			coords = fmt.Sprint(c.k)
		}
		b.Run(fmt.Sprintf("%s/model=mynet/coords=%s/threads=%d", name, coords, c.threads), func(b *testing.B) {
			m, _ := mynetBatch(b, 1)
			m.Threads = c.threads
			o := &Coord{Eps: 1e-3, K: c.k, Seed: 1, Naive: c.naive}
			for b.Loop() {
				o.step = 0 // the same coordinates every time
				o.Step(m, batch, 0)
			}
			b.ReportMetric(float64(len(o.idx))*float64(b.N)/b.Elapsed().Seconds(), "coords/s")
		})
	}
}

// mnistBatch is the first rows images of MNIST's training set.
func mnistBatch(tb testing.TB, rows int) Batch {
	dir, canonical, err := mnist.Locate("")
	if err != nil {
		tb.Fatal(err)
	}
	set, _, err := mnist.Load(dir, canonical)
	if err != nil {
		tb.Fatal(err)
	}
	x := make([]float32, rows*mnist.Pixels)
	mnist.Normalize(x, set.Raw[:len(x)])
	return Batch{X: x, Y: set.Labels[:rows], Rows: rows}
}
