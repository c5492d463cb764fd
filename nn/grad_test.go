package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ref64 is an independent float64 forward of a Sequential of Linear
// layers, reading our [in, out] weights: the finite-difference reference.
func ref64(m *Sequential, p []float64, x []float64, rows int, labels []int32) float64 {
	for _, l := range m.layers {
		f := l.(*Linear)
		w, b := m.params.Tensors[f.w], m.params.Tensors[f.b]
		y := make([]float64, rows*f.Out)
		for r := 0; r < rows; r++ {
			for o := 0; o < f.Out; o++ {
				s := p[b.Off+o]
				for i := 0; i < f.In; i++ {
					s += x[r*f.In+i] * p[w.Off+i*f.Out+o]
				}
				if f.ReLU && s < 0 {
					s = 0
				}
				y[r*f.Out+o] = s
			}
		}
		x = y
	}
	var loss float64
	c := m.Classes()
	for r := 0; r < rows; r++ {
		z := x[r*c : (r+1)*c]
		mx := z[0]
		for _, v := range z {
			mx = math.Max(mx, v)
		}
		var se float64
		for _, v := range z {
			se += math.Exp(v - mx)
		}
		loss += mx + math.Log(se) - z[labels[r]]
	}
	return loss / float64(rows)
}

// Every parameter's gradient matches a central difference of the float64
// forward (h = 1e-6), within float32 backprop error.
func TestMyNetGradientFiniteDifferences(t *testing.T) {
	m, err := NewMyNet(0.1, 3) // 784 → 12 → 6 → 10
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	const rows = 3
	x := make([]float32, rows*784)
	x64 := make([]float64, len(x))
	for i := range x {
		x[i] = float32(r.NormFloat64())
		x64[i] = float64(x[i])
	}
	labels := []int32{3, 7, 0}
	m.Backward(m.Forward(x, rows, true), labels, rows)
	p := make([]float64, len(m.params.Data))
	for i, v := range m.params.Data {
		p[i] = float64(v)
	}
	const h = 1e-6
	for ti, tn := range m.params.Tensors {
		g := m.params.GradView(ti)
		for j := 0; j < tn.Len; j += 1 + tn.Len/300 { // ~300 per tensor
			k := tn.Off + j
			orig := p[k]
			p[k] = orig + h
			up := ref64(m, p, x64, rows, labels)
			p[k] = orig - h
			down := ref64(m, p, x64, rows, labels)
			p[k] = orig
			fd := (up - down) / (2 * h)
			if math.Abs(fd-float64(g[j])) > 1e-4+1e-3*math.Abs(fd) {
				t.Fatalf("%v[%d]: backprop %g, finite difference %g", tn, j, g[j], fd)
			}
		}
	}
}

// One linear layer 2 → 2 with W = I, b = 0, x = (1, 0), label 0: logits
// (1, 0), p = (e, 1)/(e+1), loss = log(1 + 1/e) = 0.313262, dlogits =
// (p0 − 1, p1) = (−0.268941, 0.268941), dW[i][o] = x_i·dlogits_o.
func TestTinyNetworkByHand(t *testing.T) {
	var l layout
	m := finish("tiny", 2, &l, []layer{newLinear(&l, "fc", 2, 2, false, InitZero)}, 1)
	w := m.params.View(0)
	w[0], w[3] = 1, 1 // [in, out] identity
	loss := m.Backward(m.Forward([]float32{1, 0}, 1, true), []int32{0}, 1)
	if math.Abs(float64(loss)-0.313262) > 1e-6 {
		t.Errorf("loss %v, want 0.313262", loss)
	}
	g, gb := m.params.GradView(0), m.params.GradView(1)
	want := []float32{-0.268941, 0.268941, 0, 0}
	for i := range want {
		if math.Abs(float64(g[i]-want[i])) > 1e-6 {
			t.Errorf("dW = %v, want %v", g, want)
			break
		}
	}
	if math.Abs(float64(gb[0]+0.268941)) > 1e-6 || math.Abs(float64(gb[1]-0.268941)) > 1e-6 {
		t.Errorf("db = %v", gb)
	}
}

func TestMyNetSizes(t *testing.T) {
	for s, want := range map[float64]int{1: 109386, 0.25: 25818, 0.5: 52650, 2: 235146} {
		m, err := NewMyNet(s, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Params().Count(); got != want {
			t.Errorf("MyNet(%v) has %d parameters, want %d", s, got, want)
		}
		for i, tn := range m.Params().Tensors {
			if tn.Off%16 != 0 {
				t.Errorf("%v starts at %d, not 64-byte aligned", tn, tn.Off)
			}
			_ = i
		}
	}
	for _, s := range []float64{0, -1, 0.001, math.NaN()} {
		if _, err := NewMyNet(s, 1); err == nil {
			t.Errorf("NewMyNet(%v) accepted", s)
		}
	}
}

// Initialization follows PyTorch's bounds and depends only on the seed.
func TestInit(t *testing.T) {
	a, _ := NewMyNet(1, 9)
	b, _ := NewMyNet(1, 9)
	c, _ := NewMyNet(1, 10)
	w := a.Params().View(0)
	bound := float32(1 / math.Sqrt(784))
	var maxAbs float32
	for _, v := range w {
		maxAbs = max(maxAbs, float32(math.Abs(float64(v))))
	}
	if maxAbs > bound || maxAbs < 0.95*bound {
		t.Errorf("fc1.weight max |w| = %v, want just under %v", maxAbs, bound)
	}
	if a.Params().Data[100] != b.Params().Data[100] || a.Params().Data[100] == c.Params().Data[100] {
		t.Error("init does not follow the seed")
	}
}
