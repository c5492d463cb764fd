//go:build purego || !(amd64 || arm64)

package kernels

// Without assembly every kernel is its generic reference.

func axpyAsm(Impl, float32, []float32, []float32) int           { return 0 }
func dotAsm(Impl, []float32, []float32) (float32, int)          { return 0, 0 }
func scaleAsm(Impl, float32, []float32) int                     { return 0 }
func addAsm(Impl, []float32, []float32, []float32) int          { return 0 }
func addReLUAsm(Impl, []float32, []float32, []float32) int      { return 0 }
func reluAsm(Impl, []float32, []float32) int                    { return 0 }
func reluBackwardAsm(Impl, []float32, []float32, []float32) int { return 0 }
func mulAsm(Impl, []float32, []float32, []float32) int          { return 0 }
func signAsm(Impl, []float32, []float32) (int, bool)            { return 0, false }
