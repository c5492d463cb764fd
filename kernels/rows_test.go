package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// BiasAdd and BiasAddTo with its ReLU touch only the first len(bias) columns of each
// row; the rest of a row (ld > cols) keeps its guard. Contiguous narrow
// rows (ld = cols) take the tiled path: many rows, so runs and a tail.
func TestBiasAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, relu := range []bool{false, true} {
		for _, shape := range [][3]int{{5, 1, 4}, {5, 10, 13}, {5, 64, 67}, {5, 65, 68}, {5, 130, 133},
			{300, 1, 1}, {301, 10, 10}, {97, 20, 20}, {33, 64, 64}, {9, 65, 65}} {
			rows, cols, ld := shape[0], shape[1], shape[2]
			x := kerneltest.NewGuarded(r, rows*ld, 3)
			for i := range x.S() {
				if i%ld >= cols {
					x.S()[i] = math.Float32frombits(kerneltest.GuardBits)
				}
			}
			x.Snapshot = append([]float32(nil), x.S()...)
			bias := kerneltest.NewGuarded(r, cols, 1)
			if relu {
				BiasAddTo(x.S(), x.S(), rows, ld, bias.S(), true)
			} else {
				BiasAdd(x.S(), rows, ld, bias.S())
			}
			bias.CheckUnchanged(t, "bias")
			x.CheckGuards(t, "x")
			for i, got := range x.S() {
				want := x.Snapshot[i]
				if i%ld < cols {
					want += bias.S()[i%ld]
					if relu {
						want = float32(math.Max(float64(want), 0))
					}
				}
				if !kerneltest.SameBits(got, want) {
					t.Fatalf("relu=%v rows=%d cols=%d ld=%d: x[%d] = %v, want %v", relu, rows, cols, ld, i, got, want)
				}
			}
		}
	}
}

// The loss matches a float64 computation, and the gradient matches central
// finite differences of the loss.
func TestSoftmaxCrossEntropy(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	const rows, cols, ld = 7, 10, 12
	logits := make([]float32, rows*ld)
	for i := range logits {
		logits[i] = float32(3 * r.NormFloat64())
	}
	labels := make([]int32, rows)
	for i := range labels {
		labels[i] = int32(r.IntN(cols))
	}
	grad := make([]float32, len(logits))
	loss := SoftmaxCrossEntropy(logits, rows, cols, ld, labels, grad)
	var want float64
	for i := 0; i < rows; i++ {
		var se float64
		for j := 0; j < cols; j++ {
			se += math.Exp(float64(logits[i*ld+j]))
		}
		want += math.Log(se) - float64(logits[i*ld+int(labels[i])])
	}
	want /= rows
	if math.Abs(float64(loss)-want) > 1e-6*math.Abs(want) {
		t.Fatalf("loss %v, want %v", loss, want)
	}
	const h = 1e-2
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			k := i*ld + j
			orig := logits[k]
			logits[k] = orig + h
			up := SoftmaxCrossEntropy(logits, rows, cols, ld, labels, nil)
			logits[k] = orig - h
			down := SoftmaxCrossEntropy(logits, rows, cols, ld, labels, nil)
			logits[k] = orig
			fd := (float64(up) - float64(down)) / (2 * h)
			if math.Abs(fd-float64(grad[k])) > 2e-4 {
				t.Fatalf("grad[%d][%d] = %v, finite difference %v", i, j, grad[k], fd)
			}
		}
	}
}

// Huge logits must not overflow: the row maximum is subtracted first.
func TestSoftmaxCrossEntropyStable(t *testing.T) {
	logits := []float32{1000, 0, -1000}
	if loss := SoftmaxCrossEntropy(logits, 1, 3, 3, []int32{0}, nil); loss != 0 {
		t.Errorf("loss of a confident right answer = %v, want 0", loss)
	}
	if loss := SoftmaxCrossEntropy(logits, 1, 3, 3, []int32{1}, nil); loss != 1000 {
		t.Errorf("loss = %v, want 1000", loss)
	}
}

func TestArgmax(t *testing.T) {
	nan := float32(math.NaN())
	for _, c := range []struct {
		x    []float32
		want int
	}{
		{nil, -1}, {[]float32{3}, 0}, {[]float32{1, 5, 5, 2}, 1}, {[]float32{nan, 1, 2}, 2},
		{[]float32{nan, nan}, 0}, {[]float32{-1, nan, -0.5}, 2},
	} {
		if got := Argmax(c.x); got != c.want {
			t.Errorf("Argmax(%v) = %d, want %d", c.x, got, c.want)
		}
	}
}

func TestSign(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	x := []float32{2, -3, 0, negZero, float32(math.NaN()), float32(math.Inf(-1)), 1e-45}
	want := []float32{1, -1, 0, negZero, float32(math.NaN()), -1, 1}
	got := make([]float32, len(x))
	Sign(got, x)
	for i := range x {
		if !kerneltest.SameBits(got[i], want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
			t.Errorf("Sign(%v) = %v, want %v", x[i], got[i], want[i])
		}
	}
}

// Sign reports a zero (of either sign) on every path, wherever it lies:
// in a block of four vectors, a single vector or the tail.
func TestSignReportsZeros(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	forEachPath(t, func(t *testing.T, p Impl) {
		for n := 1; n <= 4*64+3; n++ {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32(r.NormFloat64())
			}
			dst := make([]float32, n)
			if sign(p, dst, x) {
				t.Fatalf("%v, n=%d: a zero reported in %v", p, n, x)
			}
			at := r.IntN(n)
			x[at] = float32(math.Copysign(0, float64(r.IntN(2)-1)))
			if !sign(p, dst, x) {
				t.Fatalf("%v, n=%d: the zero at %d not reported", p, n, at)
			}
		}
	})
}

// goMax, the max of every pooling path, is Go's builtin max, with its NaN
// defined: b's if b is NaN, else a's.
func TestGoMaxIsGoMax(t *testing.T) {
	vals := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 1e-45, float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), math.Float32frombits(0xffc00123)}
	for _, a := range vals {
		for _, b := range vals {
			got := []float32{goMax(a, b)}
			want := max(a, b)
			switch {
			case b != b:
				want = b
			case a != a:
				want = a
			}
			if !kerneltest.SameBits(got[0], want) {
				t.Errorf("goMax(%v, %v) = %v (%#x), want %v (%#x)", a, b, got[0], math.Float32bits(got[0]), want, math.Float32bits(want))
			}
			if (got[0] != got[0]) != (max(a, b) != max(a, b)) {
				t.Errorf("Max(%v, %v) = %v, builtin max %v", a, b, got[0], max(a, b))
			}
		}
	}
}

func TestRowKernelsRejectBadShapes(t *testing.T) {
	for name, f := range map[string]func(){
		"BiasAdd ld<cols":    func() { BiasAdd(make([]float32, 20), 2, 3, make([]float32, 4)) },
		"BiasAdd short x":    func() { BiasAdd(make([]float32, 7), 2, 4, make([]float32, 4)) },
		"Softmax label":      func() { SoftmaxCrossEntropy(make([]float32, 4), 1, 4, 4, []int32{4}, nil) },
		"Softmax short grad": func() { SoftmaxCrossEntropy(make([]float32, 4), 1, 4, 4, []int32{0}, make([]float32, 3)) },
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

// softmaxRowOneByOne is SoftmaxCrossEntropy's row as it was before the
// batch's exponentials went to Exp64: one math.Exp call each.
func softmaxRowOneByOne(z []float32, y, rows int, g []float32) float64 {
	m := float64(z[0])
	for _, v := range z[1:] {
		m = math.Max(m, float64(v))
	}
	var se float64
	for _, v := range z {
		se += math.Exp(float64(v) - m)
	}
	lse := m + math.Log(se)
	for i := range g {
		p := math.Exp(float64(z[i]) - lse)
		if i == y {
			p--
		}
		g[i] = float32(p / float64(rows))
	}
	return lse - float64(z[y])
}

// The batched softmax keeps the bits of the one-call-at-a-time rows, loss
// and gradient: 1–70 rows (several vectors and tails of exponentials),
// 10 classes in rows of 10 and 13, logits small, large (past the vector
// exp's range) and with ±Inf and NaN.
func TestSoftmaxCrossEntropyKeepsBits(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for rows := 1; rows <= 70; rows++ {
		for _, ld := range []int{10, 13} {
			for trial, spread := range []float32{3, 800, 3} {
				logits, labels := make([]float32, rows*ld), make([]int32, rows)
				for i := range logits {
					logits[i] = spread * float32(r.NormFloat64())
					if trial == 2 && r.IntN(40) == 0 {
						logits[i] = []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}[r.IntN(3)]
					}
				}
				for i := range labels {
					labels[i] = int32(r.IntN(10))
				}
				grad, want := make([]float32, len(logits)), make([]float32, len(logits))
				var total float64
				for i := range rows {
					total += softmaxRowOneByOne(logits[i*ld:i*ld+10], int(labels[i]), rows, want[i*ld:i*ld+10])
				}
				loss := SoftmaxCrossEntropy(logits, rows, 10, ld, labels, grad)
				if wantLoss := float32(total / float64(rows)); math.Float32bits(loss) != math.Float32bits(wantLoss) {
					t.Fatalf("%d rows, ld %d, spread %v: loss %v, want %v", rows, ld, spread, loss, wantLoss)
				}
				if i := kerneltest.FirstDiff(want, grad); i >= 0 {
					t.Fatalf("%d rows, ld %d, spread %v: grad[%d] = %v, want %v", rows, ld, spread, i, grad[i], want[i])
				}
			}
		}
	}
}

// mathMax is math.Max's bits on every pair of ±0, ±1, ±Inf, subnormals
// and two NaN payloads.
func TestMathMaxIsMathMax(t *testing.T) {
	vals := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), 5e-324, -5e-324,
		math.NaN(), math.Float64frombits(0xfff8000000000123), 1e308}
	for _, x := range vals {
		for _, y := range vals {
			if got, want := mathMax(x, y), math.Max(x, y); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("mathMax(%v, %v) = %v (%#x), want %v (%#x)", x, y, got, math.Float64bits(got), want, math.Float64bits(want))
			}
		}
	}
}

// BiasAddTo gives dst BiasAdd's bits (with the ReLU, BiasAdd then ReLU's), leaves x as it
// was and dst's columns past the bias alone, on the row-by-row and the
// tiled shapes.
func TestBiasAddToIsBiasAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	for _, relu := range []bool{false, true} {
		for _, shape := range [][3]int{{5, 10, 13}, {5, 65, 68}, {301, 10, 10}, {97, 20, 20}, {9, 65, 65}} {
			rows, cols, ld := shape[0], shape[1], shape[2]
			x, bias := kerneltest.NewGuarded(r, rows*ld, 2), kerneltest.NewGuarded(r, cols, 1)
			dst := kerneltest.NewGuarded(r, rows*ld, 5)
			before := append([]float32(nil), dst.S()...)
			want := append([]float32(nil), x.S()...)
			biasRows(want, rows, ld, bias.S(), relu)
			BiasAddTo(dst.S(), x.S(), rows, ld, bias.S(), relu)
			x.CheckUnchanged(t, "x")
			dst.CheckGuards(t, "dst")
			for i, got := range dst.S() {
				w := want[i]
				if i%ld >= cols {
					w = before[i]
				}
				if !kerneltest.SameBits(got, w) {
					t.Fatalf("relu=%v %v: dst[%d] = %v, want %v", relu, shape, i, got, w)
				}
			}
		}
	}
}
