package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// poolShapes is every channel count 1…40 (below, at and above both vector
// widths, so windows of one vector, of several, and with an overlapping
// last vector) and 64, each with rows of 1…6, 11, 12 and 24 windows.
func poolShapes() (shapes [][2]int) {
	for c := 1; c <= 41; c++ {
		if c == 41 {
			c = 64
		}
		for _, w := range []int{1, 2, 3, 4, 5, 6, 11, 12, 24} {
			shapes = append(shapes, [2]int{c, w})
		}
	}
	return shapes
}

// poolLevels are few values, so windows hold ties (a maximum at several
// places, ±0 against each other) and specials: two NaN payloads, ±Inf,
// a subnormal.
var poolLevels = []float32{1, 2, 2, 0, float32(math.Copysign(0, -1)), -1, float32(math.Inf(1)),
	float32(math.Inf(-1)), float32(math.NaN()), math.Float32frombits(0xffc00123), 1e-40}

func poolInputs(r *rand.Rand, n, off int) *kerneltest.Guarded {
	g := kerneltest.NewGuarded(r, n, off)
	for i := range g.S() {
		if r.IntN(3) > 0 {
			g.S()[i] = poolLevels[r.IntN(len(poolLevels))]
		}
	}
	g.Snapshot = append(g.Snapshot[:0], g.S()...)
	return g
}

// Every path pools every shape to the reference's bits, at unaligned
// offsets, writing nothing outside its output and changing no input.
func TestMaxPool2RowIsGeneric(t *testing.T) {
	r := newRand(21)
	forPoolCases(t, 3, func(t *testing.T, p Impl, c, n int, off []int, what string) {
		top, bottom, out := poolInputs(r, 2*n, off[0]), poolInputs(r, 2*n, off[1]), kerneltest.NewGuarded(r, n, off[2])
		want := make([]float32, n)
		maxPool2Generic(want, top.S(), bottom.S(), c)
		checkPoolRow("maxPool2", out.S(), top.S(), bottom.S(), c)
		poolRow(p, out.S(), top.S(), bottom.S(), c, n)
		for j, v := range want {
			if !kerneltest.SameBits(out.S()[j], v) {
				t.Fatalf("%s: out[%d] = %#x, want %#x", what, j, math.Float32bits(out.S()[j]), math.Float32bits(v))
			}
		}
		out.CheckGuards(t, what)
		top.CheckUnchanged(t, what)
		bottom.CheckUnchanged(t, what)
	})
}

// A block of 1–4 rows pools as its rows one at a time do: the vectors
// that run on into the next row leave it as that row's own pass makes it,
// and nothing past the block.
func TestMaxPool2RowsIsRowByRow(t *testing.T) {
	r := newRand(23)
	for rows := 1; rows <= 4; rows++ {
		forPoolCases(t, 2, func(t *testing.T, p Impl, c, n int, off []int, what string) {
			// in runs on into finite values: a read past it would show in a
			// write past out, where a NaN guard would write the guard back.
			in, out := poolInputs(r, 4*rows*n+32, off[0]), kerneltest.NewGuarded(r, rows*n, off[1])
			block := in.S()[:4*rows*n]
			want := make([]float32, rows*n)
			for row := range rows {
				top := block[4*row*n:]
				maxPool2Generic(want[row*n:(row+1)*n], top[:2*n], top[2*n:4*n], c)
			}
			maxPool2Rows(p, out.S(), block, rows, c)
			if j := kerneltest.FirstDiff(want, out.S()); j >= 0 {
				t.Fatalf("%s, %d rows: out[%d] = %#x, want %#x", what, rows, j, math.Float32bits(out.S()[j]), math.Float32bits(want[j]))
			}
			out.CheckGuards(t, what)
			in.CheckUnchanged(t, what)
		})
	}
}

// forPoolCases calls f for every path and shape (c channels, n outputs),
// with the offsets of operands operands.
func forPoolCases(t *testing.T, operands int, f func(t *testing.T, p Impl, c, n int, off []int, what string)) {
	forEachPath(t, func(t *testing.T, p Impl) {
		for i, s := range poolShapes() {
			f(t, p, s[0], s[0]*s[1], kerneltest.Offsets(i, operands), fmt.Sprintf("%v, c=%d, %d windows", p, s[0], s[1]))
		}
	})
}

// Every path routes every shape's gradients to the reference's bits. y is
// the windows' maxima, except one in eight, which matches no input (its
// gradient goes to d); dy holds ±0 and NaN payloads, which must arrive
// unchanged.
func TestMaxUnpool2RowIsGeneric(t *testing.T) {
	r := newRand(22)
	forPoolCases(t, 6, func(t *testing.T, p Impl, c, n int, off []int, what string) {
		top, bottom := poolInputs(r, 2*n, off[0]), poolInputs(r, 2*n, off[1])
		y, dy := kerneltest.NewGuarded(r, n, off[2]), poolInputs(r, n, off[3])
		maxPool2Generic(y.S(), top.S(), bottom.S(), c)
		for j := range y.S() {
			if r.IntN(8) == 0 {
				y.S()[j] = 3.5
			}
		}
		y.Snapshot = append(y.Snapshot[:0], y.S()...)
		dxTop, dxBottom := kerneltest.NewGuarded(r, 2*n, off[4]), kerneltest.NewGuarded(r, 2*n, off[5])
		wantTop, wantBottom := make([]float32, 2*n), make([]float32, 2*n)
		maxUnpool2Generic(wantTop, wantBottom, top.S(), bottom.S(), y.S(), dy.S(), c)
		maxUnpool2(p, dxTop.S(), dxBottom.S(), top.S(), bottom.S(), y.S(), dy.S(), c)
		for j := range wantTop {
			if !kerneltest.SameBits(dxTop.S()[j], wantTop[j]) || !kerneltest.SameBits(dxBottom.S()[j], wantBottom[j]) {
				t.Fatalf("%s: dx[%d] = %#x, %#x, want %#x, %#x", what, j, math.Float32bits(dxTop.S()[j]),
					math.Float32bits(dxBottom.S()[j]), math.Float32bits(wantTop[j]), math.Float32bits(wantBottom[j]))
			}
		}
		dxTop.CheckGuards(t, what)
		dxBottom.CheckGuards(t, what)
		for _, in := range []*kerneltest.Guarded{top, bottom, y, dy} {
			in.CheckUnchanged(t, what)
		}
	})
}

// The reference routes each window's gradient to its first maximum in
// the order a, b, cc, d, and to d when no input equals y.
func TestMaxUnpool2GenericOrder(t *testing.T) {
	nan := float32(math.NaN())
	for _, tc := range []struct {
		a, b, cc, d, y float32
		want           int
	}{
		{1, 1, 1, 1, 1, 0}, {0, 2, 2, 1, 2, 1}, {0, 1, 2, 2, 2, 2}, {0, 1, 1, 2, 2, 3},
		{float32(math.Copysign(0, -1)), 0, 0, 0, 0, 0}, {nan, 1, 1, 1, nan, 3}, {1, 1, 1, 1, 5, 3},
	} {
		dxTop, dxBottom := make([]float32, 2), make([]float32, 2)
		maxUnpool2Generic(dxTop, dxBottom, []float32{tc.a, tc.b}, []float32{tc.cc, tc.d}, []float32{tc.y}, []float32{7}, 1)
		got := append(dxTop, dxBottom...)
		for i, v := range got {
			if want := map[bool]float32{true: 7, false: 0}[i == tc.want]; !kerneltest.SameBits(v, want) {
				t.Errorf("%+v: dx = %v, want the gradient at %d only", tc, got, tc.want)
				break
			}
		}
	}
}

func TestPoolRowsRejectBadShapes(t *testing.T) {
	f := make([]float32, 16)
	for name, call := range map[string]func(){
		"c 0":          func() { MaxPool2Rows(f[:2], f[:8], 1, 0) },
		"partial":      func() { MaxPool2Rows(f[:3], f[:12], 1, 2) },
		"short dy":     func() { MaxUnpool2Row(f[:4], f[4:8], f[:4], f[:4], f[:2], f[:1], 1) },
		"short dx":     func() { MaxUnpool2Row(f[:3], f[4:8], f[:4], f[:4], f[:2], f[:2], 1) },
		"rows 0":       func() { MaxPool2Rows(f[:2], f[:8], 0, 1) },
		"rows uneven":  func() { MaxPool2Rows(f[:2], f[:8], 3, 1) },
		"short in":     func() { MaxPool2Rows(f[:2], f[:7], 1, 1) },
		"partial rows": func() { MaxPool2Rows(f[:2], f[:8], 1, 3) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			call()
		}()
	}
}
