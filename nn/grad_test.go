package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ref64 is an independent float64 forward of a model, layer by layer with
// plain loops (dropout reuses the mask its float32 forward drew): the
// finite-difference reference.
func ref64(m *Sequential, p []float64, x []float64, rows int, labels []int32) float64 {
	return crossEntropy64(logits64(m, p, x, rows), m.Classes(), rows, labels)
}

func logits64(m *Sequential, p []float64, x []float64, rows int) []float64 {
	for _, l := range m.layers {
		switch l := l.(type) {
		case *Linear:
			x = linear64(l, m.params, p, x, rows)
		case *Conv2d:
			x = conv64(l, m.params, p, x, rows)
		case *MaxPool2:
			x = pool64(l, x, rows)
		case *Dropout:
			y := make([]float64, len(x))
			for i := range y {
				y[i] = x[i] * float64(l.mask[i])
			}
			x = y
		}
	}
	return x
}

func linear64(f *Linear, ps *Params, p, x []float64, rows int) []float64 {
	w, b := ps.Tensors[f.w], ps.Tensors[f.b]
	y := make([]float64, rows*f.Out)
	for r := 0; r < rows; r++ {
		for o := 0; o < f.Out; o++ {
			s := p[b.Off+o]
			for i := 0; i < f.In; i++ {
				s += x[r*f.In+i] * p[w.Off+i*f.Out+o]
			}
			y[r*f.Out+o] = relu64(s, f.ReLU)
		}
	}
	return y
}

// conv64 is the convolution written directly, with PyTorch's weight
// indexing (o, c, ky, kx) read through the tensor's permutation.
func conv64(c *Conv2d, ps *Params, p, x []float64, rows int) []float64 {
	wt, b := ps.Tensors[c.w], ps.Tensors[c.b]
	y := make([]float64, rows*c.Ho*c.Wo*c.Cout)
	for n := 0; n < rows; n++ {
		for oy := 0; oy < c.Ho; oy++ {
			for ox := 0; ox < c.Wo; ox++ {
				for o := 0; o < c.Cout; o++ {
					s := p[b.Off+o]
					for ch := 0; ch < c.Cin; ch++ {
						for ky := 0; ky < c.K; ky++ {
							for kx := 0; kx < c.K; kx++ {
								iy, ix := oy+ky-c.Pad, ox+kx-c.Pad
								if iy < 0 || iy >= c.H || ix < 0 || ix >= c.W {
									continue
								}
								wi := wt.Off + wt.ours(((o*c.Cin+ch)*c.K+ky)*c.K+kx)
								s += p[wi] * x[((n*c.H+iy)*c.W+ix)*c.Cin+ch]
							}
						}
					}
					y[((n*c.Ho+oy)*c.Wo+ox)*c.Cout+o] = relu64(s, c.ReLU)
				}
			}
		}
	}
	return y
}

func pool64(m *MaxPool2, x []float64, rows int) []float64 {
	ho, wo := m.H/2, m.W/2
	y := make([]float64, rows*ho*wo*m.C)
	for n := 0; n < rows; n++ {
		for oy := 0; oy < ho; oy++ {
			for ox := 0; ox < wo; ox++ {
				for c := 0; c < m.C; c++ {
					v := math.Inf(-1)
					for d := 0; d < 4; d++ {
						v = math.Max(v, x[((n*m.H+2*oy+d/2)*m.W+2*ox+d%2)*m.C+c])
					}
					y[((n*ho+oy)*wo+ox)*m.C+c] = v
				}
			}
		}
	}
	return y
}

func relu64(s float64, on bool) float64 {
	if on && s < 0 {
		return 0
	}
	return s
}

func crossEntropy64(x []float64, c, rows int, labels []int32) float64 {
	var loss float64
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

// checkGradients compares backprop with central differences (h = 1e-6) of
// ref64 for about perTensor parameters of every tensor.
func checkGradients(t *testing.T, m *Sequential, rows, perTensor int) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, rows*m.In)
	x64 := make([]float64, len(x))
	for i := range x {
		x[i] = float32(r.NormFloat64())
		x64[i] = float64(x[i])
	}
	labels := make([]int32, rows)
	for i := range labels {
		labels[i] = int32(r.IntN(10))
	}
	m.SetNoiseKey(7)
	logits := m.Forward(x, rows, true)
	p := make([]float64, len(m.params.Data))
	for i, v := range m.params.Data {
		p[i] = float64(v)
	}
	for i, want := range logits64(m, p, x64, rows) {
		if math.Abs(float64(logits[i])-want) > 1e-4*(1+math.Abs(want)) {
			t.Fatalf("%s: logit %d = %g, float64 reference %g", m.Name, i, logits[i], want)
		}
	}
	m.Backward(logits, labels, rows)
	const h = 1e-6
	for ti, tn := range m.params.Tensors {
		g := m.params.GradView(ti)
		for j := 0; j < tn.Len; j += 1 + tn.Len/perTensor {
			k := tn.Off + j
			orig := p[k]
			p[k] = orig + h
			up := ref64(m, p, x64, rows, labels)
			p[k] = orig - h
			down := ref64(m, p, x64, rows, labels)
			p[k] = orig
			fd := (up - down) / (2 * h)
			if math.Abs(fd-float64(g[j])) > 1e-4+1e-3*math.Abs(fd) {
				t.Fatalf("%s %v[%d]: backprop %g, finite difference %g", m.Name, tn, j, g[j], fd)
			}
		}
	}
}

// Every checked gradient matches a central difference of the float64
// forward, within float32 backprop error.
func TestMyNetGradientFiniteDifferences(t *testing.T) {
	m, err := NewMyNet(0.1, 3) // 784 → 12 → 6 → 10
	if err != nil {
		t.Fatal(err)
	}
	checkGradients(t, m, 3, 300)
}

// Convolution (with padding, fused ReLU), max-pooling, dropout and
// dropout2d, and the NHWC flatten, through the study's two CNNs.
func TestCNNGradientFiniteDifferences(t *testing.T) {
	checkGradients(t, NewConvNet(1), 1, 10)
	checkGradients(t, NewMyNetPlus(2), 2, 40)
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
