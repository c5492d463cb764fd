//go:build purego || !(amd64 || arm64)

package kernels

// No assembly here: the Go reference does every element.

func vectorLanes(Impl) int { return 0 }

func maxPool2Asm(Impl, []float32, []float32, []float32, int, int) {}

func maxUnpool2Asm(Impl, []float32, []float32, []float32, []float32, []float32, []float32, int) int {
	return 0
}
