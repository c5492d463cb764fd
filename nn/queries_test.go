package nn

import (
	"fmt"
	"slices"
	"testing"

	"github.com/zofo/zofo/kernels/rng"
)

// queriesReference evaluates the queries in turn on θ itself: each point
// written into θ with Perturb, one pass per coefficient, its loss taken,
// and the whole chain applied before the next query; the last query's
// chain is taken out again with a saved copy, as queryLosses leaves it
// owed.
func queriesReference(m *Sequential, x []float32, y []int32, qs queries) []float32 {
	p := m.Params()
	var losses []float32
	for k, d := range qs.dirs {
		before := slices.Clone(p.Data)
		for step, c := range qs.chains[k] {
			rng.Perturb(d.Dist, p.Data, c, d.Key, 0)
			if step < qs.sides() {
				losses = append(losses, m.Loss(x, y, len(y)))
			}
		}
		if k == len(qs.dirs)-1 {
			copy(p.Data, before)
		}
	}
	return losses
}

// queryLosses gives the losses and θ of evaluating the queries in turn in
// place, central and forward, on layers narrower and wider than a tile,
// with unaligned widths and row counts.
func TestQueryLossesMatchInTurn(t *testing.T) {
	const eps = 1e-3
	for _, c := range pointCases[:4] {
		for _, pair := range []bool{true, false} {
			for _, q := range []int{2, 3} {
				name := fmt.Sprintf("scale %v %v rows %d pair %v q %d", c.scale, c.dist, c.rows, pair, q)
				m, x, y, d := c.setUp(t)
				qs := queries{pair: pair}
				for k := range q {
					d.Key = rng.NewKey(uint64(k), 7)
					chain := []float32{eps, -eps}
					if pair {
						chain = []float32{eps, -2 * eps, eps}
					}
					qs.dirs, qs.chains = append(qs.dirs, d), append(qs.chains, chain)
				}
				ref, _, _, _ := c.setUp(t)
				want := queriesReference(ref, x, y, qs)
				got := make([]float32, len(want))
				m.queryLosses(x, y, c.rows, qs, got)
				if !slices.EqualFunc(got, want, sameLoss) {
					t.Errorf("%s: losses %v, in turn %v", name, got, want)
				}
				if !slices.Equal(m.Params().Data, ref.Params().Data) {
					t.Errorf("%s: θ differs from the in-turn restores", name)
				}
				if m.last.kept != 0 {
					t.Errorf("%s: %d layers kept after queryLosses", name, m.last.kept)
				}
			}
		}
	}
}

// Directions that do not cover the model, or chains and losses that do
// not match them, are refused.
func TestQueryLossesRefuses(t *testing.T) {
	m, _ := NewMyNet(0.25, 1)
	x, y := make([]float32, m.In), make([]int32, 1)
	whole := rng.Direction{Hi: len(m.Params().Data)}
	part := rng.Direction{Lo: m.Params().Tensors[2].Off, Hi: whole.Hi}
	chain := []float32{1e-3, -2e-3, 1e-3}
	cases := map[string]struct {
		qs     queries
		losses int
	}{
		"part of θ":         {queries{dirs: []rng.Direction{whole, part}, chains: [][]float32{chain, chain}, pair: true}, 4},
		"a chain missing":   {queries{dirs: []rng.Direction{whole, whole}, chains: [][]float32{chain}, pair: true}, 4},
		"a short chain":     {queries{dirs: []rng.Direction{whole, whole}, chains: [][]float32{chain, chain[:1]}, pair: true}, 4},
		"too few losses":    {queries{dirs: []rng.Direction{whole, whole}, chains: [][]float32{chain, chain}, pair: true}, 2},
		"a four-step chain": {queries{dirs: []rng.Direction{whole}, chains: [][]float32{append(chain, 1)}}, 1},
	}
	for name, c := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: accepted", name)
				}
			}()
			m.queryLosses(x, y, 1, c.qs, make([]float32, c.losses))
		}()
	}
	if !slices.Equal(m.Params().Data, func() []float32 { n, _ := NewMyNet(0.25, 1); return n.Params().Data }()) {
		t.Error("a refused call changed θ")
	}
}

// queryLosses suits MLPs whose layers are each one tile wide.
func TestQueriesFit(t *testing.T) {
	for _, c := range []struct {
		scale float64
		want  bool
	}{{0.25, true}, {1, true}, {1.3, false}, {2, false}, {8, false}} {
		m, _ := NewMyNet(c.scale, 1)
		if got := m.queriesFit(); got != c.want {
			t.Errorf("MyNet s=%v: queriesFit %v, want %v", c.scale, got, c.want)
		}
	}
	if NewMyNetPlus(1).queriesFit() {
		t.Error("MyNetPlus fits queryLosses")
	}
}
