//go:build purego || !(amd64 || arm64)

package rng

// No assembly here: the Go reference does every element.

func directionAsm(Impl, Dist, []float32, float32, Key, uint32, bool) int { return 0 }
