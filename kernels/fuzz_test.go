package kernels

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// floats decodes fuzz bytes into float32s (any bit pattern, NaNs included).
func floats(b []byte) []float32 {
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

func FuzzExact(f *testing.F) {
	f.Add(make([]byte, 4*70), make([]byte, 4*70), uint8(0))
	f.Fuzz(func(t *testing.T, xb, yb []byte, kind uint8) {
		x, y := floats(xb), floats(yb)
		n := min(len(x), len(y))
		x, y = x[:n], y[:n]
		c := exactCases[int(kind)%len(exactCases)]
		want := make([]float32, n)
		c.ref(want, x, y, 1.5)
		for _, p := range Available() {
			got := make([]float32, n)
			c.run(p, got, x, y, 1.5)
			if i := kerneltest.FirstDiff(want, got); i >= 0 {
				t.Fatalf("%s on %v differs at %d: %v vs %v", c.name, p, i, got[i], want[i])
			}
		}
	})
}

// finite keeps values where the error bounds are meaningful.
func finite(x []float32) []float32 {
	for i, v := range x {
		if math.IsNaN(float64(v)) || math.Abs(float64(v)) > 1e15 {
			x[i] = 1
		}
	}
	return x
}

func FuzzReduceAxpy(f *testing.F) {
	f.Add(make([]byte, 4*130), make([]byte, 4*130), float32(0.5))
	f.Fuzz(func(t *testing.T, xb, yb []byte, a float32) {
		x, y := finite(floats(xb)), finite(floats(yb))
		n := min(len(x), len(y))
		x, y = x[:n], y[:n]
		if math.IsNaN(float64(a)) || math.Abs(float64(a)) > 1e15 {
			a = 1
		}
		var want, mag float64
		for i := range x {
			want += float64(x[i]) * float64(y[i])
			mag += math.Abs(float64(x[i]) * float64(y[i]))
		}
		for _, p := range Available() {
			if got := dot(p, x, y); math.Abs(float64(got)-want) > 2*float64(n)*ulpTol(mag) {
				t.Fatalf("dot on %v = %v, want %v", p, got, want)
			}
			yy := append([]float32(nil), y...)
			axpy(p, a, x, yy)
			for i := range yy {
				prod := float64(a) * float64(x[i])
				w := float64(y[i]) + prod
				if math.Abs(float64(yy[i])-w) > ulpTol(prod, w) {
					t.Fatalf("axpy on %v [%d] = %v, want %v", p, i, yy[i], w)
				}
			}
		}
	})
}

func FuzzGemm(f *testing.F) {
	f.Add(uint8(5), uint8(17), uint8(9), uint8(3), int64(1))
	f.Fuzz(func(t *testing.T, m, n, k, flags uint8, seed int64) {
		c := gemmCase{tA: flags&1 != 0, tB: flags&2 != 0, m: int(m % 50), n: int(n % 50), k: int(k),
			alpha: 1.25, beta: []float32{0, 1, -2}[flags/4%3], pad: int(flags / 16 % 3)}
		r := newRand(seed)
		a, lda, b, ldb, c0, ldc := c.inputs(r)
		for _, p := range Available() {
			got := append([]float32(nil), c0...)
			g := gemmArgs{c.tA, c.tB, c.m, c.n, c.k, c.alpha, c.beta, a, b, got, lda, ldb, ldc}
			gemm(p, 1+int(flags%3), &g)
			c.check(t, a, lda, b, ldb, c0, got, ldc)
		}
	})
}
