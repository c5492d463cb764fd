package optim

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/zofo/zofo/kernels"
	"github.com/zofo/zofo/nn"
)

func mynetBatch(t testing.TB, scale float64) (*nn.Sequential, Batch) {
	m, err := nn.NewMyNet(scale, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	b := Batch{X: make([]float32, 64*784), Y: make([]int32, 64), Rows: 64}
	for i := range b.X {
		b.X[i] = float32(r.NormFloat64())
	}
	for i := range b.Y {
		b.Y[i] = int32(r.IntN(10))
	}
	return m, b
}

func cosine(a, b []float32) float64 {
	return float64(kernels.Dot(a, b)) / math.Sqrt(float64(kernels.Dot(a, a))*float64(kernels.Dot(b, b)))
}

// On MyNet, the cosine between a q-direction estimate and the backprop
// gradient exceeds half of √(q/(q+d)) (its value for Gaussian directions
// when the gradient is exact along each) and grows with q.
func TestEstimateCosineGrowsWithQ(t *testing.T) {
	m, b := mynetBatch(t, 0.1) // d = 9,568
	m.Gradient(b.X, b.Y, b.Rows)
	g := append([]float32(nil), m.Params().Grad...)
	d := float64(m.Params().Count())
	est := make([]float32, len(g))
	prev := 0.0
	for _, q := range []int{4, 64, 1024, 4096} {
		e := Estimator{Dist: Gaussian, Central: true, Q: q, Eps: 1e-3, Seed: 7}
		res := e.estimate(m, b, 0, make([]float32, 4096))
		res.restore(m.Params().Data)
		res.dense(est)
		c := cosine(est, g)
		t.Logf("q=%d: cosine %.3f (√(q/(q+d)) = %.3f)", q, c, math.Sqrt(float64(q)/(float64(q)+d)))
		if c < 0.5*math.Sqrt(float64(q)/(float64(q)+d)) || c <= prev {
			t.Errorf("q=%d: cosine %.4f (previous %.4f)", q, c, prev)
		}
		prev = c
	}
}

// A ZO-SGD step allocates O(q) bytes, not O(d): memory is inference
// memory. Measured as heap bytes per step at two model sizes, the minimum
// over five windows of 20 steps: a GC that empties the GEMM workspace pool
// makes one window pay for a new workspace, which is not the step's.
func TestZOStepMemoryIsInferenceMemory(t *testing.T) {
	perStep := func(scale float64) float64 {
		m, b := mynetBatch(t, scale)
		o := &ZO{Rule: ZOSGD, Est: Estimator{Dist: Gaussian, Central: true, Q: 2, Eps: 1e-3, Seed: 1}}
		o.Step(m, b, 1e-3) // first step allocates activations and scratch
		least := math.Inf(1)
		for w := 0; w < 5; w++ {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			const steps = 20
			for i := 0; i < steps; i++ {
				o.Step(m, b, 1e-3)
			}
			runtime.ReadMemStats(&after)
			least = min(least, float64(after.TotalAlloc-before.TotalAlloc)/steps)
		}
		return least
	}
	small, large := perStep(0.5), perStep(4)
	t.Logf("heap bytes per ZO-SGD step: %.0f (MyNet s=0.5), %.0f (s=4)", small, large)
	if large > 4096 || large > 2*small+512 {
		t.Errorf("ZO step allocates %.0f bytes at s=4, %.0f at s=0.5: grows with the model", large, small)
	}
}

// resident is the live heap after a GC, less base: what the model, its
// buffers and the optimizer's state hold. Two collections empty the GEMM
// workspace pool, scratch that inference and training share alike.
func resident(base uint64) float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) - float64(base)
}

// ZO training holds no more memory than inference (parameters plus one
// forward's activations), within 10%, on MyNet s=8 at batch 64; FO holds
// the gradient, the momentum and the backward buffers on top.
func TestZOResidentMemoryNearInference(t *testing.T) {
	measure := func(train func(m *nn.Sequential, b Batch)) float64 {
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		m, b := mynetBatch(t, 8)
		base := ms.HeapAlloc + uint64(4*len(b.X)+4*len(b.Y)) // the batch is data, not model memory
		for i := 0; i < 3; i++ {
			train(m, b)
		}
		r := resident(base)
		runtime.KeepAlive(m)
		runtime.KeepAlive(train) // and so the optimizer and its state
		return r
	}
	inference := measure(func(m *nn.Sequential, b Batch) { m.Forward(b.X, b.Rows, false) })
	zo := &ZO{Rule: ZOSGD, Est: Estimator{Dist: Rademacher, Central: true, Q: 1, Eps: 1e-3, Seed: 1}}
	zoBytes := measure(func(m *nn.Sequential, b Batch) { zo.Step(m, b, 1e-4) })
	fo := &SGD{Momentum: 0.9}
	foBytes := measure(func(m *nn.Sequential, b Batch) { fo.Step(m, b, 1e-2) })
	t.Logf("MyNet s=8, batch 64, resident bytes: inference %.0f, ZO-SGD %.0f (%.3f×), FO-SGD %.0f (%.3f×)",
		inference, zoBytes, zoBytes/inference, foBytes, foBytes/inference)
	if zoBytes > 1.10*inference {
		t.Errorf("ZO-SGD holds %.0f bytes, more than 1.10 × inference's %.0f", zoBytes, inference)
	}
	if foBytes < 2.5*inference {
		t.Errorf("FO-SGD holds %.0f bytes, under 2.5 × inference's %.0f: the measurement misses the gradient and momentum", foBytes, inference)
	}
}
