package nn

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/zofo/zofo/kernels/rng"
)

// testProbe is q queries over the whole model or, perTensor, one per
// tensor each, with a central (pair) or forward (base) difference's chain.
func testProbe(p *Params, q int, pair, perTensor bool, dist rng.Dist) Probe {
	pr := Probe{Base: !pair, Pair: pair}
	chain := []float32{1e-3, -1e-3}
	if pair {
		chain = []float32{1e-3, -2e-3, 1e-3}
	}
	spans := [][2]int{{0, len(p.Data)}}
	if perTensor {
		spans = spans[:0]
		for _, t := range p.Tensors {
			spans = append(spans, [2]int{t.Off, t.Off + t.Len})
		}
	}
	for k := range q * len(spans) {
		s := spans[k%len(spans)]
		d := rng.Direction{Dist: dist, Key: rng.NewKey(7, uint64(k)), Lo: s[0], Hi: s[1], Scale: 1 + float32(k)/8}
		pr.Queries = append(pr.Queries, Query{Dir: d, Chain: chain})
	}
	return pr
}

// completed evaluates pr with eval and then applies the rest of the last
// query's chain, as an optimizer does.
func completed(m *Sequential, pr Probe, eval func(out []float32) int) []float32 {
	out := make([]float32, pr.Len())
	applied := eval(out)
	last := pr.Queries[len(pr.Queries)-1]
	last.Dir.Chain(m.Parallelism(), m.Params().Data, last.Chain[applied:])
	return out
}

// Losses, by whichever path it takes (fused points, queries together,
// kept layers and products on a CNN), gives the losses of writing every
// point into θ in turn, and θ's bits once the chain is complete.
func TestLossesMatchInPlace(t *testing.T) {
	models := map[string]func() *Sequential{
		"mynet-0.5": func() *Sequential { m, _ := NewMyNet(0.5, 3); return m },
		"mynet-3":   func() *Sequential { m, _ := NewMyNet(3, 3); return m },
		"convnet":   func() *Sequential { return NewConvNet(3) },
		"mynetplus": func() *Sequential { return NewMyNetPlus(3) },
	}
	_, x, y, _ := pointCase{1, 16, rng.Rademacher, wholeModel}.setUp(t)
	for name, build := range models {
		for _, c := range []struct {
			q               int
			pair, perTensor bool
			dist            rng.Dist
		}{{1, true, false, rng.Rademacher}, {3, true, false, rng.Gaussian}, {2, false, false, rng.Rademacher},
			{1, true, true, rng.Gaussian}, {2, false, true, rng.Rademacher}} {
			for threads := 1; threads <= 2; threads++ {
				label := fmt.Sprintf("%s/q=%d/pair=%v/pertensor=%v/threads=%d", name, c.q, c.pair, c.perTensor, threads)
				m, ref := build(), build()
				m.Threads, ref.Threads = threads, threads
				m.SetNoiseKey(5)
				ref.SetNoiseKey(5)
				pr := testProbe(m.Params(), c.q, c.pair, c.perTensor, c.dist)
				got := completed(m, pr, func(out []float32) int { return m.Losses(x, y, 16, pr, out) })
				want := completed(ref, pr, func(out []float32) int {
					return pr.InPlace(ref.Params().Data, threads, func() float32 { return ref.Loss(x, y, 16) }, nil, out)
				})
				if !slices.EqualFunc(got, want, sameLoss) {
					t.Errorf("%s: losses %v, in place %v", label, got, want)
				}
				if !slices.EqualFunc(m.Params().Data, ref.Params().Data, func(a, b float32) bool {
					return math.Float32bits(a) == math.Float32bits(b)
				}) {
					t.Errorf("%s: θ differs from the in-place path's", label)
				}
				if wantTogether := name == "mynet-0.5" && c.q > 1 && !c.perTensor && threads == 1; m.together(&pr) != wantTogether {
					t.Errorf("%s: queries together %v, want %v", label, !wantTogether, wantTogether)
				}
				if c.perTensor && c.pair && m.reused.Load() == 0 {
					t.Errorf("%s: no pass took a kept product", label)
				}
			}
		}
	}
}

// A probe that does not fit the model or its losses is refused.
func TestLossesRefuses(t *testing.T) {
	m, _ := NewMyNet(0.25, 1)
	_, x, y, _ := pointCase{1, 4, rng.Rademacher, wholeModel}.setUp(t)
	good := testProbe(m.Params(), 1, true, false, rng.Rademacher)
	outside := testProbe(m.Params(), 1, true, false, rng.Rademacher)
	outside.Queries[0].Dir.Hi++
	short := testProbe(m.Params(), 1, true, false, rng.Rademacher)
	short.Queries[0].Chain = short.Queries[0].Chain[:2]
	for name, c := range map[string]struct {
		p Probe
		n int
	}{"no queries": {Probe{Pair: true}, 0}, "too few losses": {good, 1}, "outside θ": {outside, 2},
		"a chain with no way back": {short, 2}, "base and pair": {Probe{Base: true, Pair: true, Queries: good.Queries}, 3}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			m.Losses(x, y, 4, c.p, make([]float32, c.n))
		}()
	}
}
