//go:build purego || !(amd64 || arm64)

package kernels

// No assembly here: the Go reference does every element.

func columnSumsAsm(Impl, []float32, []float32, int) int { return 0 }
