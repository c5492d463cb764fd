package optim

import (
	"testing"

	"github.com/zofo/zofo/internal/host"
)

// TestMain names the CPU's family and model in benchmark output.
func TestMain(m *testing.M) { host.RunTests(m) }
