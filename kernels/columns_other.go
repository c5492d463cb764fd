//go:build purego || !(amd64 || arm64)

package kernels

// No assembly here: the Go reference does every element.

func crossEntropyColumnsAsm(Impl, []float32, []float32, int, int, int, []int32) int { return 0 }
