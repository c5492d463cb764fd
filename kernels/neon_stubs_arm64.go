//go:build !purego

package kernels

// Declarations of the kernels in neon_arm64.s (written by asm/neon); each
// takes whole blocks, as its caller in kernels_arm64.go arranges.

//go:noescape
func axpyNEON(a float32, x, y []float32)

//go:noescape
func dotNEON(x, y []float32, acc *[16]float32)

//go:noescape
func scaleNEON(a float32, x []float32)

//go:noescape
func addNEON(dst, x, y []float32)

//go:noescape
func addReLUNEON(dst, x, y []float32)

//go:noescape
func reluNEON(dst, x []float32)

//go:noescape
func reluBackwardNEON(dx, dy, y []float32)

//go:noescape
func mulNEON(dst, x, y []float32)

//go:noescape
func signNEON(dst, x []float32, acc *[4]uint32)

//go:noescape
func gemmKernelNEON(k int, a *float32, as int, b *float32, bs int, c *float32, ldc int, alpha, beta float32)

// The chain kernels (see chain.go): rademacher over whole 32-element
// words, gaussian over whole 16-element blocks; k2 and k3 unused by
// rademacher.

// crossEntropyColumnsNEON takes len(loss) a multiple of 4.
//
//go:noescape
func crossEntropyColumnsNEON(loss, logits []float32, labels []int32, classes, ld int)

// maxPool2NEON pools windows windows of c channels (see kernels.MaxPool2Rows),
// writing up to max(c, 4) floats from each window's outputs on.
//
//go:noescape
func maxPool2NEON(out, top, bottom []float32, c, windows int)

// maxUnpool2NEON routes dy through windows windows of c channels (see
// kernels.MaxUnpool2Row), writing up to max(c, 4) floats from each
// window's gradients on.
//
//go:noescape
func maxUnpool2NEON(dxTop, dxBottom, top, bottom, y, dy []float32, c, windows int)

// columnSums{1…4}NEON set sums[0:4·n] to the column sums of x, rows rows
// of ld floats, row by row.
//
//go:noescape
func columnSums1NEON(sums, x *float32, rows, ld int)

//go:noescape
func columnSums2NEON(sums, x *float32, rows, ld int)

//go:noescape
func columnSums3NEON(sums, x *float32, rows, ld int)

//go:noescape
func columnSums4NEON(sums, x *float32, rows, ld int)

// affineBytesNEON sets dst[i] = float32(a·src[i] + b) with one float64
// FMA; len(src) is a multiple of 8.
//
//go:noescape
func affineBytesNEON(dst []float32, src []byte, a, b float64)

// prefetchLines asks for the lines cache lines from p (lines ≥ 1).
//
//go:noescape
func prefetchLines(p *byte, lines int)
