//go:build !purego

package kernels

func supported(p Impl) bool { return p == Generic || p == NEON }

const asmDisabled = false

func whole(p Impl, n int) int {
	if p == NEON {
		return n &^ 15
	}
	return 0
}
