package kernels

import (
	"fmt"
	"math"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// Every path's column sums are the reference's bits for every width 1…140
// (one to four vectors, a tail of every length, several calls of four
// vectors), 0 to 5 rows and 300, x at unaligned offsets with NaN guards
// (a lane read past a row's columns would add NaN), values with ±0, ±Inf
// and two NaN payloads, and g's guards left alone.
func TestColumnSumsIsGeneric(t *testing.T) {
	r := newRand(31)
	forEachPath(t, func(t *testing.T, p Impl) {
		for cols := 1; cols <= 140; cols++ {
			for _, rows := range []int{0, 1, 2, 5, 300} {
				x, g := kerneltest.NewGuarded(r, rows*cols, cols%16), kerneltest.NewGuarded(r, cols, (cols+7)%16)
				kerneltest.WithSpecials(r, x.S())
				for i := range x.S() { // a second NaN payload: a NaN sum keeps its own
					if r.IntN(16) == 0 {
						x.S()[i] = math.Float32frombits(0xffc00123)
					}
				}
				x.Snapshot = append(x.Snapshot[:0], x.S()...)
				want := make([]float32, cols)
				columnSumsGeneric(want, x.S(), rows, cols)
				columnSums(p, g.S(), x.S(), rows)
				what := fmt.Sprintf("%v, %d rows of %d", p, rows, cols)
				if i := kerneltest.FirstDiff(want, g.S()); i >= 0 {
					t.Fatalf("%s: g[%d] = %#x, want %#x", what, i, math.Float32bits(g.S()[i]), math.Float32bits(want[i]))
				}
				g.CheckGuards(t, what)
				x.CheckUnchanged(t, what)
			}
		}
	})
}

// The reference adds each column row by row from +0: −0s sum to +0, and
// the order shows in the rounding (1 + 2⁻²⁴ + 2⁻²⁴ is 1, 2⁻²⁴ + 2⁻²⁴ + 1
// is 1 + 2⁻²³).
func TestColumnSumsGenericOrder(t *testing.T) {
	negZero, u := float32(math.Copysign(0, -1)), float32(0x1p-24)
	g := make([]float32, 2)
	columnSumsGeneric(g, []float32{1, u, u, negZero, u, negZero}, 3, 2)
	if g[0] != 1 || g[1] != u {
		t.Errorf("column sums %v, want [1 2⁻²⁴]", g)
	}
	columnSumsGeneric(g, []float32{u, negZero, u, negZero, 1, negZero}, 3, 2)
	if g[0] != 1+2*u || math.Float32bits(g[1]) != 0 {
		t.Errorf("column sums %v, want [1+2⁻²³ +0]", g)
	}
}

// wholeRows counts exactly the rows whose read of span floats from column
// start ends inside x.
func TestWholeRows(t *testing.T) {
	for ld := 1; ld <= 70; ld++ {
		for rows := 1; rows <= 5; rows++ {
			for start := 0; start < ld; start += 3 {
				for _, span := range []int{8, 16, 32, 64} {
					n := rows * ld
					got := wholeRows(n, start, span, ld, rows)
					if got > 0 && (got-1)*ld+start+span > n || got < rows && got*ld+start+span <= n {
						t.Fatalf("%d rows of %d from %d, span %d: %d whole rows", rows, ld, start, span, got)
					}
				}
			}
		}
	}
}

func TestColumnSumsRejectsShortX(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	ColumnSums(make([]float32, 4), make([]float32, 7), 2)
}

// BenchmarkColumnSums times the bias gradients of MyNetPlus's layers
// (36,864 rows of 10 and 4,096 of 20, a batch of 64) and of MyNet's first
// layer (64 rows of 128) on every path, one thread.
func BenchmarkColumnSums(b *testing.B) {
	for _, s := range [][2]int{{36864, 10}, {4096, 20}, {64, 128}} {
		x, g := make([]float32, s[0]*s[1]), make([]float32, s[1])
		for _, p := range Available() {
			b.Run(fmt.Sprintf("impl=%v/shape=%dx%d", p, s[0], s[1]), func(b *testing.B) {
				for b.Loop() {
					columnSums(p, g, x, s[0])
				}
			})
		}
	}
}
