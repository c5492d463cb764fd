package rng

import (
	"fmt"
	"testing"

	"github.com/zofo/zofo/internal/host"
	"github.com/zofo/zofo/internal/kerneltest"
	"github.com/zofo/zofo/kernels"
)

// TestMain names the units of the benchmarks and the kernel path.
func TestMain(m *testing.M) {
	host.RunTests(m, "Unit params/s better=higher", fmt.Sprintf("kernels-active: %v", kernels.Active()),
		fmt.Sprintf("kernels-available: %v", kernels.Available()))
}

// forEachPath runs f as one subtest per kernel path this machine can run.
func forEachPath(t *testing.T, f func(t *testing.T, p Impl)) {
	t.Helper()
	kerneltest.ForEachPath(t, kernels.Available(), f)
}
