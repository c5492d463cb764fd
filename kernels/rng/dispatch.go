package rng

import "github.com/zofo/zofo/kernels"

// The direction kernels run on the path package kernels chose at start-up
// (ZOFO_KERNELS forces it for both), so one process never mixes paths.
type Impl = kernels.Impl

// The paths, as kernels names them.
const (
	Generic = kernels.Generic
	AVX2    = kernels.AVX2
	AVX512  = kernels.AVX512
	NEON    = kernels.NEON
)

var active = kernels.Active()
