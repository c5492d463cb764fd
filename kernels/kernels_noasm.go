//go:build purego || !(amd64 || arm64)

package kernels

// Without assembly every kernel is its generic reference.

func supported(p Impl) bool { return p == Generic }

func axpyAsm(Impl, float32, []float32, []float32) int           { return 0 }
func dotAsm(Impl, []float32, []float32) (float32, int)          { return 0, 0 }
func scaleAsm(Impl, float32, []float32) int                     { return 0 }
func addAsm(Impl, []float32, []float32, []float32) int          { return 0 }
func addReLUAsm(Impl, []float32, []float32, []float32) int      { return 0 }
func reluAsm(Impl, []float32, []float32) int                    { return 0 }
func reluBackwardAsm(Impl, []float32, []float32, []float32) int { return 0 }
func mulAsm(Impl, []float32, []float32, []float32) int          { return 0 }
func signAsm(Impl, []float32, []float32) (int, bool)            { return 0, false }

func microKernelAsm(Impl, int, operand, operand, []float32, int, float32, float32, int) bool {
	return false
}

func hasStridedKernels(Impl) bool { return false }
func hasMaskedLoads(Impl) bool    { return false }
func hasMaskedStores(Impl) bool   { return false }

func directionAsm(Impl, Dist, []float32, float32, Key, uint32, bool) int { return 0 }

const asmDisabled = true

func fmaPeak(Impl, int) float64 { return 0 }

func packT16Asm([]float32, []float32, int, int) int { return 0 }

func chainAsm(Impl, Dist, []float32, []float32, []float32, *[MaxChain]float32, int, Key, uint32) int {
	return 0
}

func chainRowsAsm(Impl, Dist, []float32, []float32, int, []float32, int, int, int, *[MaxChain]float32, int, Key, uint32) bool {
	return false
}

func crossEntropyColumnsAsm(Impl, []float32, []float32, int, int, int, []int32) int { return 0 }

func vectorLanes(Impl) int                                        { return 0 }
func maxPool2Asm(Impl, []float32, []float32, []float32, int, int) {}
func maxUnpool2Asm(Impl, []float32, []float32, []float32, []float32, []float32, []float32, int) int {
	return 0
}

func columnSumsAsm(Impl, []float32, []float32, int) int { return 0 }

func affineBytesAsm(Impl, []float32, []byte, float64, float64) int { return 0 }
func prefetchAsm(Impl) bool                                        { return false }
func prefetchLines(*byte, int)                                     {}
func exp64Asm(Impl, []float64) (done, width int)                   { return 0, 0 }

func channelsFirstAsm(Impl, []float32, []float32, int, int) int      { return 0 }
func addRowsAsm(Impl, []float32, int, []float32, int, int, int) bool { return false }
