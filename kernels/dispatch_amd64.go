//go:build !purego

package kernels

import "github.com/klauspost/cpuid/v2"

// Detected once; cpuid also checks that the OS saves the vector state.
var (
	hasAVX2   = cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3)
	hasAVX512 = hasAVX2 && cpuid.CPU.Supports(cpuid.AVX512F, cpuid.AVX512DQ, cpuid.AVX512VL)
)

func supported(p Impl) bool {
	switch p {
	case Generic:
		return true
	case AVX2:
		return hasAVX2
	case AVX512:
		return hasAVX512
	}
	return false
}

// whole is the largest multiple of the path's vector width ≤ n: the
// kernels run blocks of four vectors, then single vectors.
func whole(p Impl, n int) int {
	switch p {
	case AVX512:
		return n &^ 15
	case AVX2:
		return n &^ 7
	}
	return 0
}

const asmDisabled = false
