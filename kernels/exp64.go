package kernels

import (
	"math"
	"sync"
)

// Exp64 sets x[i] = math.Exp(x[i]) for every element, with math.Exp's
// bits on every path: the x86 paths run, a vector of doubles at a time,
// the instructions Go's own amd64 math.Exp runs on a CPU with FMA, and
// leave lanes beyond ±700, NaN and ±Inf to math.Exp. They are used only
// if they agree with this build's math.Exp on a sample (expAgrees): a Go
// release that changed math.Exp would otherwise change every loss's bits.
func Exp64(x []float64) { exp64(active, x) }

func exp64(p Impl, x []float64) {
	for len(x) > 0 {
		done, width := exp64Asm(p, x)
		stop := len(x) // no vector path: everything in Go
		if width > 0 { // the vector it stopped before, or the tail
			stop = min(len(x), done+width)
		}
		exp64Generic(x[done:stop])
		x = x[stop:]
	}
}

func exp64Generic(x []float64) {
	for i, v := range x {
		x[i] = math.Exp(v)
	}
}

// expSample is where expAgrees compares a vector path with math.Exp:
// 4,096 points over [−700, 0] (softmax's range) and 1,024 over (0, 700].
func expSample() []float64 {
	x := make([]float64, 0, 5120)
	for i := range 4096 {
		x = append(x, -700*float64(i)/4095+float64(i%7)*1e-9)
	}
	for i := range 1024 {
		x = append(x, 700*float64(i+1)/1024-float64(i%5)*1e-9)
	}
	return x
}

var expChecks sync.Map // Impl → bool: the path's exp agrees with math.Exp

// expAgrees reports whether path p's vector exp gives math.Exp's bits on
// expSample; checked once per path.
func expAgrees(p Impl, run func([]float64) int) bool {
	if ok, found := expChecks.Load(p); found {
		return ok.(bool)
	}
	x := expSample()
	got := append([]float64(nil), x...)
	done := run(got)
	ok := done == len(x)
	for i, v := range x[:done] {
		ok = ok && math.Float64bits(got[i]) == math.Float64bits(math.Exp(v))
	}
	expChecks.Store(p, ok)
	return ok
}
