package nn

import (
	"math"

	"github.com/zofo/zofo/internal/splitmix"
)

// initParams fills every tensor from its own seeded stream, so a model's
// initial weights depend only on (seed, tensor index). Values are drawn in
// PyTorch's element order, so the same stream means the same weights in
// either layout.
func initParams(p *Params, seed uint64) {
	for i, t := range p.Tensors {
		bound := initBound(t)
		s := seed ^ uint64(i+1)*0x9e3779b97f4a7c15
		w := p.View(i)
		for j := 0; j < t.Len; j++ {
			// 24 random bits → uniform in [−bound, bound).
			u := float64(splitmix.Next(&s)>>40)*0x1p-24*2 - 1
			w[t.ours(j)] = float32(u * bound)
		}
	}
}

// ours is the index in our layout of element j in PyTorch order.
func (t Tensor) ours(j int) int {
	if t.torch == nil {
		return j
	}
	return t.torch(j)
}

// initBound is the half-width of the uniform initialization of t.
func initBound(t Tensor) float64 {
	switch t.Init {
	case InitXavier:
		return math.Sqrt(6 / float64(t.FanIn+t.FanOut))
	case InitZero:
		return 0
	}
	// Kaiming-uniform with a = √5: gain √(2/(1+a²)) = √(1/3), bound
	// gain·√(3/fan_in) = 1/√fan_in; PyTorch's bias bound is the same.
	return 1 / math.Sqrt(float64(t.FanIn))
}
