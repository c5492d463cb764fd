//go:build !purego

package rng

// Declarations of the kernels in neon_arm64.s (written by asm/neon); each
// takes whole blocks, as its caller in direction_arm64.go and chain_arm64.go arranges.

//go:noescape
func rademacherFillNEON(w []float32, ctr, k0, k1 uint32)

//go:noescape
func rademacherAddNEON(w []float32, alpha float32, ctr, k0, k1 uint32)

//go:noescape
func gaussianFillNEON(w []float32, ctr, k0, k1, k2, k3 uint32)

//go:noescape
func gaussianAddNEON(w []float32, alpha float32, ctr, k0, k1, k2, k3 uint32)

//go:noescape
func rademacherChain1NEON(dst, mid, src []float32, a *[3]float32, ctr, k0, k1, k2, k3 uint32)

//go:noescape
func rademacherChain2NEON(dst, mid, src []float32, a *[3]float32, ctr, k0, k1, k2, k3 uint32)

//go:noescape
func rademacherChain3NEON(dst, mid, src []float32, a *[3]float32, ctr, k0, k1, k2, k3 uint32)

//go:noescape
func gaussianChain1NEON(dst, mid, src []float32, a *[3]float32, ctr, k0, k1, k2, k3 uint32)

//go:noescape
func gaussianChain2NEON(dst, mid, src []float32, a *[3]float32, ctr, k0, k1, k2, k3 uint32)

//go:noescape
func gaussianChain3NEON(dst, mid, src []float32, a *[3]float32, ctr, k0, k1, k2, k3 uint32)
