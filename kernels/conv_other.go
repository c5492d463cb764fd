//go:build purego || !amd64

package kernels

// No assembly here: the Go reference does every element.

func narrowOffsetAsm(Impl, int, []float32, []int, []float32, int, []float32, int, float32, int, []float32, bool) {
	panic("kernels: no narrow micro-kernel")
}

func narrowHalvesAsm(Impl, int, []float32, []int, int, []float32, int, []float32, int, []float32, bool) {
	panic("kernels: no narrow micro-kernel")
}

func hasTapsKernel(Impl, int, int) bool { return false }

func tapsKernelAsm(Impl, int, []float32, []int, int, []float32, int, []float32, float32) {
	panic("kernels: no taps kernel")
}
