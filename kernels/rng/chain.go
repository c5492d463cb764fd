package rng

import (
	"fmt"

	"github.com/zofo/zofo/internal/roundf"
)

// MaxChain is the most coefficients one Chain call applies.
const MaxChain = 3

// Chain sets dst[i] = ((src[i] + a[0]·z(base+i)) + a[1]·z(base+i)) + …,
// every product and add rounded in turn: the bits of copying src to dst
// and calling Perturb once per coefficient, from one generation of z and
// one pass over memory. dst may be src. ZO training evaluates perturbed
// weights with it without writing θ, and applies a step's perturbations
// and update to θ in one pass.
func Chain(d Dist, dst, src []float32, a []float32, key Key, base uint64) {
	co, steps := chainCoefs(a)
	checkChain("Chain", len(dst), len(src))
	chain(active, d, dst, dst, src, co, steps, key, base)
}

// ChainPair writes both points of a central difference at once:
// dstA = src + a1·z and dstB = dstA + a2·z, with the bits of Chain(a1)
// and Chain(a1, a2), generating z once.
func ChainPair(d Dist, dstA, dstB, src []float32, a1, a2 float32, key Key, base uint64) {
	checkChain("ChainPair", len(dstA), len(src))
	checkChain("ChainPair", len(dstB), len(src))
	chain(active, d, dstB, dstA, src, [MaxChain]float32{a1, a2}, 2, key, base)
}

// ChainRows is Chain on a rows×cols block: row r of src starts at
// src[r*lds] and has the counters base + r*lds onward (src is a window of
// a row-major matrix with leading dimension lds), and goes to dst[r*ldd:].
// dst may be src (with ldd = lds). ZO's perturbed weight tiles narrower
// than their layer are made this way.
func ChainRows(d Dist, dst []float32, ldd int, src []float32, lds, rows, cols int, a []float32, key Key, base uint64) {
	co, steps := chainCoefs(a)
	checkRowsChain("ChainRows", dst, ldd, src, lds, rows, cols)
	chainRows(active, d, dst, dst, ldd, src, lds, rows, cols, co, steps, key, base)
}

// ChainPairRows is ChainPair on a rows×cols block, as ChainRows.
func ChainPairRows(d Dist, dstA, dstB []float32, ldd int, src []float32, lds, rows, cols int, a1, a2 float32, key Key, base uint64) {
	checkRowsChain("ChainPairRows", dstA, ldd, src, lds, rows, cols)
	checkRowsChain("ChainPairRows", dstB, ldd, src, lds, rows, cols)
	chainRows(active, d, dstB, dstA, ldd, src, lds, rows, cols, [MaxChain]float32{a1, a2}, 2, key, base)
}

func checkRowsChain(fn string, dst []float32, ldd int, src []float32, lds, rows, cols int) {
	// The block's last row ends at (rows−1)·ld + cols; an ld shorter than a
	// row would overlap rows.
	end := func(ld int) int { return (rows-1)*ld + cols }
	short := rows > 0 && cols > 0 && (len(dst) < end(ldd) || len(src) < end(lds))
	if rows < 0 || cols < 0 || ldd < max(cols, 1) || lds < max(cols, 1) || short {
		panic(fmt.Sprintf("rng: %s: a %d×%d block does not fit dst (%d, ld %d) or src (%d, ld %d)",
			fn, rows, cols, len(dst), ldd, len(src), lds))
	}
}

// chainRows makes a block of whole rows one span; else it calls the
// assembly directly on each row when every row starts on a block and spans
// whole blocks (the fixed cost of chain's head and tail handling is
// several times a 64-float row's work), else chain.
func chainRows(p Impl, d Dist, dst, mid []float32, ldd int, src []float32, lds, rows, cols int, a [MaxChain]float32, steps int, key Key, base uint64) {
	if cols == lds && cols == ldd { // whole rows: one span, one call
		n := rows * cols
		chain(p, d, dst[:n], mid[:n], src[:n], a, steps, key, base)
		return
	}
	blk := blockOf(d)
	if base%blk == 0 && uint64(lds)%blk == 0 && chainRowsAsm(p, d, dst, mid, ldd, src, lds, rows, cols, &a, steps, key, uint32(base/blk)) {
		return
	}
	for r := 0; r < rows; r++ {
		chain(p, d, dst[r*ldd:][:cols], mid[r*ldd:][:cols], src[r*lds:][:cols], a, steps, key, base+uint64(r*lds))
	}
}

// ChainParallel is Chain split over up to threads goroutines, the same
// bits for any thread count, as PerturbParallel.
func ChainParallel(threads int, d Dist, dst, src []float32, a []float32, key Key, base uint64) {
	co, steps := chainCoefs(a)
	checkChain("ChainParallel", len(dst), len(src))
	splitBlocks(threads, d, len(src), func(lo, hi int) {
		chain(active, d, dst[lo:hi], dst[lo:hi], src[lo:hi], co, steps, key, base+uint64(lo))
	})
}

func chainCoefs(a []float32) ([MaxChain]float32, int) {
	if len(a) < 1 || len(a) > MaxChain {
		panic(fmt.Sprintf("rng: Chain: %d coefficients, want 1 to %d", len(a), MaxChain))
	}
	var co [MaxChain]float32
	copy(co[:], a)
	return co, len(a)
}

func checkChain(fn string, dst, src int) {
	if dst != src {
		panic(fmt.Sprintf("rng: %s: destination of %d elements for a source of %d", fn, dst, src))
	}
}

// chain is Chain with the point after the first step also written to mid
// (mid may be dst): the generic code up to the first block boundary in
// index space, the assembly over whole blocks, the generic code on the tail.
func chain(p Impl, d Dist, dst, mid, src []float32, a [MaxChain]float32, steps int, key Key, base uint64) {
	blk := blockOf(d)
	head := min(int((blk-base%blk)%blk), len(src))
	chainGeneric(d, dst[:head], mid[:head], src[:head], a, steps, key, base)
	start := base + uint64(head)
	n := head + chainAsm(p, d, dst[head:], mid[head:], src[head:], &a, steps, key, uint32(start/blk))
	chainGeneric(d, dst[n:], mid[n:], src[n:], a, steps, key, base+uint64(n))
}

// chainGeneric is the reference: z regenerated a chunk at a time by the
// generic fill, then the steps element by element.
func chainGeneric(d Dist, dst, mid, src []float32, a [MaxChain]float32, steps int, key Key, base uint64) {
	if len(src) == 0 {
		return
	}
	var z [64]float32
	for lo := 0; lo < len(src); lo += len(z) {
		zs := z[:min(len(z), len(src)-lo)]
		directionGeneric(d, zs, 0, key, base+uint64(lo), true)
		for i, zi := range zs {
			x := src[lo+i] + roundf.Mul(a[0], zi)
			mid[lo+i] = x
			for _, c := range a[1:steps] {
				x += roundf.Mul(c, zi)
			}
			dst[lo+i] = x
		}
	}
}
