//go:build purego || !(amd64 || arm64)

package rng

// No assembly here: the Go reference does every element.

func chainAsm(Impl, Dist, []float32, []float32, []float32, *[MaxChain]float32, int, Key, uint32) int {
	return 0
}

func chainRowsAsm(Impl, Dist, []float32, []float32, int, []float32, int, int, int, *[MaxChain]float32, int, Key, uint32) bool {
	return false
}
