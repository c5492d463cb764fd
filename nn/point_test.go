package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/zofo/zofo/kernels/rng"
)

// pointCase is one model, batch and direction to evaluate.
type pointCase struct {
	scale float64
	rows  int
	dist  rng.Dist
	along func(p *Params) (lo, hi int)
}

func wholeModel(p *Params) (int, int) { return 0, len(p.Data) }

func tensorNamed(name string) func(p *Params) (int, int) {
	return func(p *Params) (int, int) {
		for _, t := range p.Tensors {
			if t.Name == name {
				return t.Off, t.Off + t.Len
			}
		}
		panic("no tensor " + name)
	}
}

// Scales 1.3 and 3 give layers with unaligned widths and several column
// tiles; per-tensor directions leave the other layers at θ.
var pointCases = []pointCase{
	{1, 64, rng.Rademacher, wholeModel},
	{1, 64, rng.Gaussian, wholeModel},
	{1.3, 37, rng.Rademacher, wholeModel},
	{3, 19, rng.Gaussian, wholeModel},
	{0.25, 64, rng.Gaussian, tensorNamed("fc2.weight")},
	{3, 7, rng.Rademacher, tensorNamed("fc1.bias")},
}

func (c pointCase) setUp(t *testing.T) (m *Sequential, x []float32, y []int32, d rng.Direction) {
	t.Helper()
	m, err := NewMyNet(c.scale, 11)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(uint64(c.rows), 3))
	x = make([]float32, c.rows*m.In)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	y = make([]int32, c.rows)
	for i := range y {
		y[i] = int32(r.IntN(10))
	}
	lo, hi := c.along(m.Params())
	d = rng.Direction{Dist: c.dist, Key: rng.NewKey(r.Uint64(), 1), Lo: lo, Hi: hi, Scale: 1}
	if !m.canMove(d) {
		t.Fatalf("scale %v: canMove false for a whole-tensor direction", c.scale)
	}
	return m, x, y, d
}

// inPlaceLoss is the reference: the coefficients applied to a copy of θ
// by Perturb, one pass each, then the ordinary Loss.
func inPlaceLoss(m *Sequential, x []float32, y []int32, d rng.Direction, a []float32) float32 {
	p := m.Params()
	saved := slices.Clone(p.Data)
	defer copy(p.Data, saved)
	for _, c := range a {
		rng.Perturb(d.Dist, p.Data[d.Lo:d.Hi], c, d.Key, 0)
	}
	return m.Loss(x, y, len(y))
}

func sameLoss(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }

// lossAt, pairLosses and lossesAt give the in-place path's bits at every
// thread count and leave θ untouched.
func TestLossAtMatchesInPlace(t *testing.T) {
	const eps = 1e-3
	for _, c := range pointCases {
		m, x, y, d := c.setUp(t)
		theta := slices.Clone(m.Params().Data)
		wantA := inPlaceLoss(m, x, y, d, []float32{eps})
		wantB := inPlaceLoss(m, x, y, d, []float32{eps, -2 * eps})
		wantC := inPlaceLoss(m, x, y, d, []float32{eps, -2 * eps, 0.5})
		for threads := 1; threads <= 3; threads++ {
			m.Threads = threads
			if got := m.lossAt(x, y, c.rows, carry{}, point{d, []float32{eps, -2 * eps, 0.5}}); !sameLoss(got, wantC) {
				t.Errorf("scale %v %v threads %d: lossAt(3 steps) = %v, in place %v", c.scale, c.dist, threads, got, wantC)
			}
			la, lb := m.pairLosses(x, y, c.rows, carry{}, d, eps, -2*eps)
			if !sameLoss(la, wantA) || !sameLoss(lb, wantB) {
				t.Errorf("scale %v %v threads %d: pairLosses = %v, %v, in place %v, %v", c.scale, c.dist, threads, la, lb, wantA, wantB)
			}
			l0, lp := m.lossesAt(x, y, c.rows, carry{}, point{d: d}, point{d, []float32{eps}})
			if want0 := m.Loss(x, y, c.rows); !sameLoss(l0, want0) || !sameLoss(lp, wantA) {
				t.Errorf("scale %v %v threads %d: lossesAt(θ, θ+εz) = %v, %v, want %v, %v", c.scale, c.dist, threads, l0, lp, want0, wantA)
			}
			if !slices.Equal(m.Params().Data, theta) {
				t.Fatalf("scale %v: θ changed", c.scale)
			}
		}
		if wantA == wantB {
			t.Errorf("scale %v: both sides have loss %v: the direction moved nothing", c.scale, wantA)
		}
	}
}

// A direction that cuts a tensor, or a model with convolutions, is not
// evaluated in place of θ.
func TestCanMoveRefuses(t *testing.T) {
	m, _ := NewMyNet(1, 1)
	w := m.Params().Tensors[0]
	if m.canMove(rng.Direction{Lo: w.Off + 1, Hi: len(m.Params().Data)}) {
		t.Error("a direction starting inside fc1.weight was accepted")
	}
	if NewConvNet(1).canMove(rng.Direction{Hi: 1 << 30}) {
		t.Error("a ConvNet was accepted")
	}
}
