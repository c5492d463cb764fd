package rng

import (
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
	"github.com/zofo/zofo/kernels"
)

func FuzzDirection(f *testing.F) {
	f.Add(uint64(1), uint64(2), uint64(3), uint16(100), false)
	f.Fuzz(func(t *testing.T, seed, stream, base uint64, n uint16, gauss bool) {
		d := Rademacher
		if gauss {
			d = Gaussian
		}
		base %= 1 << 33
		key := NewKey(seed, stream)
		for _, p := range kernels.Available() {
			w := make([]float32, n)
			direction(p, d, w, 0, key, base, true)
			for i, v := range w {
				if want := At(d, key, base+uint64(i)); !kerneltest.SameBits(v, want) {
					t.Fatalf("%v %v base %d: [%d] = %v, want %v", p, d, base, i, v, want)
				}
			}
		}
	})
}
