package optim

import (
	"flag"
	"os"
	"testing"

	"github.com/zofo/zofo/internal/host"
)

// TestMain names the CPU's family and model in benchmark output.
func TestMain(m *testing.M) {
	flag.Parse()
	host.PrintBenchKeys(os.Stdout)
	os.Exit(m.Run())
}
