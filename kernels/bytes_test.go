package kernels

import (
	"fmt"
	"math"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
)

// Every path converts bytes as math.FMA does, for every byte value, every
// length 0–80 and a row of MNIST, unaligned src and dst, dst's guards
// left alone. The pairs (a, b) include MNIST's normalization, results
// that overflow float32 or are subnormal, and one where the FMA's single
// rounding shows: 3·0.1 − 0.30000000000000004 is −2⁻⁵⁶·… fused, 0 if
// the product were rounded first.
func TestAffineBytesIsGeneric(t *testing.T) {
	r := newRand(41)
	pairs := [][2]float64{{1 / (255 * 0.3081), -0.1307 / 0.3081}, {0.1, -3 * 0.1}, {1e300, -1}, {-1e-40, 1e-44}, {2.5, 0}}
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, ab := range pairs {
			for _, n := range append(seq(80), 784) {
				for off := range 8 {
					src := make([]byte, off+n+8)
					for i := range src {
						src[i] = byte(r.IntN(256))
					}
					if n >= 256 {
						for i := range 256 { // every value once
							src[off+i] = byte(i)
						}
					}
					in := src[off : off+n]
					before := append([]byte(nil), src...)
					dst := kerneltest.NewGuarded(r, n, (off+3)%8)
					want := make([]float32, n)
					affineBytesGeneric(want, in, ab[0], ab[1])
					affineBytes(p, dst.S(), in, ab[0], ab[1])
					what := fmt.Sprintf("%v, a=%g b=%g, %d bytes at offset %d", p, ab[0], ab[1], n, off)
					if i := kerneltest.FirstDiff(want, dst.S()); i >= 0 {
						t.Fatalf("%s: dst[%d] = %#x, want %#x (byte %d)", what, i, math.Float32bits(dst.S()[i]), math.Float32bits(want[i]), in[i])
					}
					dst.CheckGuards(t, what)
					if string(before) != string(src) {
						t.Fatalf("%s: src changed", what)
					}
				}
			}
		}
	})
}

func seq(n int) []int {
	s := make([]int, n+1)
	for i := range s {
		s[i] = i
	}
	return s
}

// The reference rounds once: the fused 3·0.1 − 0.30000000000000004 is not
// zero, and the product 3·0.1 alone would round to the second operand.
func TestAffineBytesGenericIsFused(t *testing.T) {
	dst := make([]float32, 4)
	affineBytesGeneric(dst, []byte{0, 1, 3, 10}, 0.1, -3*0.1)
	if dst[2] == 0 || float32(3*0.1+(-3*0.1)) != 0 {
		t.Errorf("3·0.1 − 0.30000000000000004 = %g fused, want nonzero", dst[2])
	}
}

func TestAffineBytesRejectsShortDst(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	AffineBytes(make([]float32, 3), make([]byte, 4), 1, 0)
}

// cacheLines counts exactly the lines from the one holding the first byte
// to the one holding the last.
func TestCacheLines(t *testing.T) {
	for start := uintptr(4096); start < 4096+130; start++ {
		for n := 1; n <= 300; n++ {
			first, last := start/cacheLine, (start+uintptr(n)-1)/cacheLine
			if got := cacheLines(start, n); got != int(last-first+1) {
				t.Fatalf("%d bytes from %d: %d lines, want %d", n, start, got, last-first+1)
			}
		}
	}
}

// Prefetch is a hint: on every length and alignment it leaves memory as
// it was (and does not fault on the last byte of a buffer).
func TestPrefetchChangesNothing(t *testing.T) {
	buf := make([]byte, 400)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	before := append([]byte(nil), buf...)
	for off := range 70 {
		for n := 0; off+n <= len(buf); n += 1 + n/8 {
			Prefetch(buf[off : off+n])
		}
		Prefetch(buf[off:])
	}
	if string(before) != string(buf) {
		t.Error("Prefetch changed memory")
	}
}
