//go:build purego || !(amd64 || arm64)

package kernels

func supported(p Impl) bool { return p == Generic }

const asmDisabled = true
