package rng

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/zofo/zofo/internal/kerneltest"
	"github.com/zofo/zofo/internal/roundf"
)

var dists = []Dist{Rademacher, Gaussian}

// Every path, base and length gives At's bits, for fill and for perturb
// (w + alpha·z with the product rounded first), with guards intact.
func TestDirectionMatchesAt(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	bases := []uint64{0, 1, 7, 15, 16, 31, 32, 33, 1 << 33, 1<<37 - 40}
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, d := range dists {
			for i, n := range kerneltest.TestLengths(r) {
				base := bases[i%len(bases)]
				if i%3 == 0 {
					base = r.Uint64N(1 << 30)
				}
				key := NewKey(r.Uint64(), r.Uint64())
				checkDirection(t, p, d, key, base, kerneltest.NewGuarded(r, n, i%16))
			}
		}
	})
}

func checkDirection(t *testing.T, p Impl, d Dist, key Key, base uint64, w *kerneltest.Guarded) {
	t.Helper()
	alpha := float32(-0.37)
	direction(p, d, w.S(), alpha, key, base, false)
	w.CheckGuards(t, "perturb")
	for i, got := range w.S() {
		want := w.Snapshot[i] + roundf.Mul(alpha, At(d, key, base+uint64(i)))
		if !kerneltest.SameBits(got, want) {
			t.Fatalf("%v %v perturb base %d n %d: w[%d] = %v, want %v", p, d, base, len(w.S()), i, got, want)
		}
	}
	direction(p, d, w.S(), 0, key, base, true)
	w.CheckGuards(t, "fill")
	for i, got := range w.S() {
		if want := At(d, key, base+uint64(i)); !kerneltest.SameBits(got, want) {
			t.Fatalf("%v %v fill base %d n %d: z[%d] = %v, want %v", p, d, base, len(w.S()), i, got, want)
		}
	}
}

// Filling in random chunks on several goroutines gives the bits of one
// whole fill: what parallel ZO training relies on.
func TestDirectionChunksAndThreads(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const n = 100_003
	key := NewKey(42, 7)
	forEachPath(t, func(t *testing.T, p Impl) {
		for _, d := range dists {
			whole := make([]float32, n)
			direction(Generic, d, whole, 0, key, 5, true)
			got := make([]float32, n)
			var wg sync.WaitGroup
			for lo, next := 0, 0; lo < n; lo = next {
				lo, hi := lo, min(n, lo+1+r.IntN(5000))
				wg.Go(func() { direction(p, d, got[lo:hi], 0, key, 5+uint64(lo), true) })
				next = hi
			}
			wg.Wait()
			if i := kerneltest.FirstDiff(whole, got); i >= 0 {
				t.Fatalf("%v %v: chunked threaded fill differs at %d", p, d, i)
			}
		}
	})
}

// PerturbParallel gives Perturb's bits at every thread count, for
// lengths around the split threshold and bases on and off a block.
func TestPerturbParallel(t *testing.T) {
	key := NewKey(3, 9)
	for _, d := range dists {
		for _, n := range []int{0, 100, minPerturbChunk*2 - 1, minPerturbChunk * 2, 3*minPerturbChunk + 77} {
			for _, base := range []uint64{0, 5, 32 * 1000} {
				w := make([]float32, n)
				for i := range w {
					w[i] = float32(i%97) * 0.01
				}
				want := slices.Clone(w)
				Perturb(d, want, -0.002, key, base)
				for threads := 1; threads <= 5; threads++ {
					got := slices.Clone(w)
					PerturbParallel(threads, d, got, -0.002, key, base)
					if i := kerneltest.FirstDiff(want, got); i >= 0 {
						t.Fatalf("%v n=%d base=%d threads=%d: differs at %d", d, n, base, threads, i)
					}
				}
			}
		}
	}
}

func moments(x []float64) (mean, variance, kurt float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var m2, m4 float64
	for _, v := range x {
		d := (v - mean) * (v - mean)
		m2 += d
		m4 += d * d
	}
	m2 /= float64(len(x))
	m4 /= float64(len(x))
	return mean, m2, m4 / (m2 * m2)
}

func sample(d Dist, key Key, n int) []float64 {
	z := make([]float32, n)
	Fill(d, z, key, 0)
	out := make([]float64, n)
	for i, v := range z {
		out[i] = float64(v)
	}
	return out
}

// Moments within 5 standard errors: the mean's is 1/√n, the variance's
// √(2/n) (Gaussian), the kurtosis's √(24/n).
func TestGaussianMoments(t *testing.T) {
	const n = 1 << 21
	mean, variance, kurt := moments(sample(Gaussian, NewKey(1, 1), n))
	if math.Abs(mean) > 5/math.Sqrt(n) || math.Abs(variance-1) > 5*math.Sqrt(2.0/n) || math.Abs(kurt-3) > 5*math.Sqrt(24.0/n) {
		t.Errorf("gaussian mean %g, variance %g, kurtosis %g", mean, variance, kurt)
	}
}

// The empirical CDF stays within the Kolmogorov–Smirnov 0.1% critical
// value 1.95/√n of Φ.
func TestGaussianKS(t *testing.T) {
	const n = 1 << 16
	x := sample(Gaussian, NewKey(3, 9), n)
	slices.Sort(x)
	var dmax float64
	for i, v := range x {
		cdf := 0.5 * math.Erfc(-v/math.Sqrt2)
		dmax = max(dmax, math.Abs(cdf-float64(i)/n), math.Abs(cdf-float64(i+1)/n))
	}
	if dmax > 1.95/math.Sqrt(n) {
		t.Errorf("KS distance %g > %g", dmax, 1.95/math.Sqrt(n))
	}
}

func TestRademacherBalance(t *testing.T) {
	const n = 1 << 21
	x := sample(Rademacher, NewKey(2, 5), n)
	mean, _, _ := moments(x)
	for _, v := range x {
		if v != 1 && v != -1 {
			t.Fatalf("rademacher value %v", v)
		}
	}
	if math.Abs(mean) > 5/math.Sqrt(n) {
		t.Errorf("rademacher mean %g over %d draws", mean, n)
	}
}

// Correlations, each ~N(0, 1/n) if independent: consecutive streams of one
// seed, neighbouring indices, and a Gaussian's cos/sin partner (i, i+8).
func TestNoCorrelation(t *testing.T) {
	const n = 1 << 20
	bound := 5 / math.Sqrt(n)
	for _, d := range dists {
		a, b := sample(d, NewKey(7, 0), n), sample(d, NewKey(7, 1), n)
		c := sample(d, NewKey(8, 0), n)
		checks := map[string][2][]float64{
			"stream 0 vs 1":      {a, b},
			"seed 7 vs 8":        {a, c},
			"index i vs i+1":     {a[:n-1], a[1:]},
			"index i vs i+8":     {a[:n-8], a[8:]},
			"index i vs i+32":    {a[:n-32], a[32:]},
			"stream 0 vs 1, i+1": {a[:n-1], b[1:]},
		}
		for name, xy := range checks {
			if r := corr(xy[0], xy[1]); math.Abs(r) > bound {
				t.Errorf("%v %s: correlation %g > %g", d, name, r, bound)
			}
		}
	}
}

func corr(x, y []float64) float64 {
	mx, vx, _ := moments(x)
	my, vy, _ := moments(y)
	var s float64
	for i := range x {
		s += (x[i] - mx) * (y[i] - my)
	}
	return s / float64(len(x)) / math.Sqrt(vx*vy)
}

// Keys of nearby (seed, stream) pairs are distinct.
func TestKeysDistinct(t *testing.T) {
	seen := map[Key][2]uint64{}
	for seed := uint64(0); seed < 64; seed++ {
		for stream := uint64(0); stream < 1024; stream++ {
			k := NewKey(seed, stream)
			if prev, ok := seen[k]; ok {
				t.Fatalf("NewKey(%d,%d) == NewKey(%d,%d)", seed, stream, prev[0], prev[1])
			}
			seen[k] = [2]uint64{seed, stream}
		}
	}
}

// logf and the sin/cos series are accurate, not only self-consistent.
func TestTranscendentals(t *testing.T) {
	for u := uint32(0); u < 1<<24; u += 997 {
		x := float32(int32(u)+1) * 0x1p-24
		if got, want := float64(roundf.Logf(x)), math.Log(float64(x)); math.Abs(got-want) > 2e-7*math.Max(1, math.Abs(want)) {
			t.Fatalf("roundf.Logf(%g) = %g, want %g", x, got, want)
		}
	}
	for v := uint32(0); v < 1<<31; v += 1 << 20 {
		for _, vv := range []uint32{v, v | 1<<31} {
			cb, sb := sincosQuarter(vv)
			theta := 2 * math.Pi * float64(vv>>8) * 0x1p-24
			if math.Abs(float64(math.Float32frombits(cb))-math.Cos(theta)) > 3e-7 ||
				math.Abs(float64(math.Float32frombits(sb))-math.Sin(theta)) > 3e-7 {
				t.Fatalf("sincos(%#x): %g %g, want %g %g", vv, math.Float32frombits(cb), math.Float32frombits(sb), math.Cos(theta), math.Sin(theta))
			}
		}
	}
}

// A direction is the same on every machine: these checksums were computed
// once and must hold on amd64, arm64 (qemu in CI) and purego builds alike.
func TestDirectionGolden(t *testing.T) {
	for _, c := range []struct {
		d    Dist
		want uint64
	}{{Rademacher, goldenRademacher}, {Gaussian, goldenGaussian}} {
		z := make([]float32, 1<<16+5)
		Fill(c.d, z, NewKey(42, 7), 3)
		var h uint64
		for _, v := range z {
			h = h*1099511628211 + uint64(math.Float32bits(v))
		}
		if h != c.want {
			t.Errorf("%v checksum %d, want %d: directions changed", c.d, h, c.want)
		}
	}
}

const (
	goldenRademacher = 14861768390527156224
	goldenGaussian   = 202828438212036422
)
