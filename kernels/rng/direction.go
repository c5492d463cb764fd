package rng

import "github.com/zofo/zofo/internal/team"

// Direction is one regenerable random direction over the span x[Lo:Hi] of
// a parameter vector x: element Lo+i moves by a·Scale·z(Key, i) for a
// coefficient a. Scale turns the unit-variance values of Dist into an
// estimator's distribution (1, or √d/‖z‖ for a direction on the sphere).
// optim draws directions, nn evaluates points along them, and both apply
// them to θ through these methods.
type Direction struct {
	Dist   Dist
	Key    Key
	Lo, Hi int
	Scale  float32
}

// Scaled is each coefficient of a times Scale, rounded: the coefficients
// the kernels apply.
func (d Direction) Scaled(a []float32) []float32 {
	out := make([]float32, len(a))
	for i, c := range a {
		out[i] = c * d.Scale
	}
	return out
}

// Perturb adds a·Scale·z to x[Lo:Hi] on up to threads goroutines.
func (d Direction) Perturb(threads int, x []float32, a float32) {
	PerturbParallel(threads, d.Dist, x[d.Lo:d.Hi], a*d.Scale, d.Key, 0)
}

// Chain applies the coefficients a to x[Lo:Hi] in turn, in one pass on up
// to threads goroutines (ChainParallel).
func (d Direction) Chain(threads int, x []float32, a []float32) {
	w := x[d.Lo:d.Hi]
	ChainParallel(threads, d.Dist, w, w, d.Scaled(a), d.Key, 0)
}

// Fill sets dst[i] = z(key, base+i) for distribution d.
func Fill(d Dist, dst []float32, key Key, base uint64) { direction(active, d, dst, 0, key, base, true) }

// Perturb is `w[i] += alpha * z(key, base+i)` in one pass, never
// materializing z. For Gaussian the product is rounded before the add (no
// FMA), so the result is the same bits on every path. ZO training calls it
// with +ε, −2ε, and ε − lr·ĝ (restore and update at once).
func Perturb(d Dist, w []float32, alpha float32, key Key, base uint64) {
	direction(active, d, w, alpha, key, base, false)
}

// blockOf is the index-space block a SIMD pass covers for one counter:
// 32 Rademacher values share one 32-bit word, 16 Gaussians come from 8 pairs.
func blockOf(d Dist) uint64 {
	if d == Rademacher {
		return 32
	}
	return 16
}

// direction runs the generic code up to the first block boundary in index
// space, the assembly over whole blocks, and the generic code on the tail.
func direction(p Impl, d Dist, w []float32, alpha float32, key Key, base uint64, fill bool) {
	blk := blockOf(d)
	head := int((blk - base%blk) % blk)
	head = min(head, len(w))
	directionGeneric(d, w[:head], alpha, key, base, fill)
	start := base + uint64(head)
	n := directionAsm(p, d, w[head:], alpha, key, uint32(start/blk), fill)
	directionGeneric(d, w[head+n:], alpha, key, start+uint64(n), fill)
}

func directionGeneric(d Dist, w []float32, alpha float32, key Key, base uint64, fill bool) {
	if d == Rademacher {
		rademacherGeneric(w, alpha, key, base, fill)
	} else {
		gaussianGeneric(w, alpha, key, base, fill)
	}
}

// minPerturbChunk is the fewest elements worth a goroutine: a pass over
// them takes about 5 µs at 7e9 values/s, a few times the hand-off.
const minPerturbChunk = 1 << 15

// PerturbParallel is Perturb split over up to threads goroutines. Every
// element gets the value Perturb gives it (the directions are a function
// of the index), so the result is the same bits for any thread count.
func PerturbParallel(threads int, d Dist, w []float32, alpha float32, key Key, base uint64) {
	splitBlocks(threads, d, len(w), func(lo, hi int) { Perturb(d, w[lo:hi], alpha, key, base+uint64(lo)) })
}

// splitBlocks runs f over [0, n) in up to threads parts of whole direction
// blocks (from an aligned base each part starts on a counter), each part
// at least minPerturbChunk long.
func splitBlocks(threads int, d Dist, n int, f func(lo, hi int)) {
	parts := min(threads, n/minPerturbChunk)
	if parts < 2 {
		f(0, n)
		return
	}
	blk := int(blockOf(d))
	step := (n/parts + blk - 1) / blk * blk
	team.Parallel((n+step-1)/step, func(i int) { f(i*step, min(i*step+step, n)) })
}
