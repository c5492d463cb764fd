//go:build !purego

package kernels

// crossEntropyColumnsAsm does the whole vectors of columns and returns
// how many columns that was.
func crossEntropyColumnsAsm(p Impl, loss, logits []float32, classes, n, ld int, labels []int32) int {
	w := whole(p, n)
	switch {
	case w == 0:
	case p == AVX512:
		crossEntropyColumnsAVX512(loss[:w], logits, labels[:w], classes, ld)
	default:
		crossEntropyColumnsAVX2(loss[:w], logits, labels[:w], classes, ld)
	}
	return w
}
